// protect APP / unprotect APP: turn the provider's commented auth lines on or off; with an
// Authentik URL (given or saved), also the Authentik half: the app's proxy provider and
// application, on the outpost nginx talks to.
#include <fmt/core.h>

#include "authentik_cli.hpp"
#include "commands.hpp"
#include "ngxconf/json.hpp"
#include "site.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;
namespace ak = authentik;

swag::provider provider_or_throw(const std::string& name) {
    if (auto p = swag::provider_named(name)) return *p;
    // CLI11 checks the value first; this only guards callers that skip it.
    throw ngxconf::usage_error(fmt::format("unknown provider '{}'", name));
}

}  // namespace

ak::app_target target_for(swag::session& s, const std::string& name, const authentik_args& a,
                          bool replace, const ak::connection& conn) {
    const auto domain = domain_for(a, conn);
    const auto app = pick(s.status(), name).front();
    ak::app_target t;
    t.slug = app.app;
    t.external_host = "https://" + host_of(app, domain);
    t.domain_level = a.domain_level;
    t.cookie_domain = domain;
    t.authorization_flow = a.authorization_flow;
    t.invalidation_flow = a.invalidation_flow;
    t.replace = replace;
    return t;
}

namespace {

void undo_all(ak::client& c, ak::undo_log& undo) {
    if (undo.steps.empty()) return;
    const auto left = ak::rollback(c, undo);
    for (const auto& l : left) fmt::print(stderr, "ngxauth: authentik: could not undo {}\n", l);
    if (left.empty()) fmt::print(stderr, "ngxauth: authentik: what this run created was removed again\n");
}

// The nginx half with the Authentik half before it: the plan is read first (a refusal or an
// API failure writes nothing anywhere), written unless this is a dry run or a check, and
// undone when the nginx half then fails.
int protect_both(const options& o, const protect_args& a, swag::session& s, const swag::report& r,
                 const ak::connection& conn, outcome_text text) {
    auto c = make_client(conn);
    const auto where = outpost_for(s.where(), a.ak.outpost);
    auto plan = ak::plan_protect(c, target_for(s, a.app, a.ak, a.replace, conn), &where);
    const bool write = !o.dry_run && !o.check;
    if (!o.json) print_steps(plan.steps, o.out);
    ak::undo_log undo;
    // Whatever fails from the first write on (a later write, the nginx half) undoes what this
    // run made in Authentik.
    try {
        if (write) ak::apply(c, plan, undo);
        text.extra_json = steps_json(c, plan.version, plan.steps, c.writes());
        return finish(s, r, o, text);
    } catch (...) {
        undo_all(c, undo);
        throw;
    }
}

}  // namespace

int cmd_protect(const options& o, const protect_args& a) {
    // Refused before anything is written: a protect that cannot be checked as asked.
    if (a.verify && !verify_available()) return exit_usage;
    const auto conn = ak::resolve(o.authentik);
    if (!conn && a.ak.domain && !a.verify) {
        throw usage_failure("protect: --domain needs --verify or an Authentik URL (--authentik-url)");
    }
    swag::session s(swag::layout::detect(o.root));
    swag::protect_options po;
    po.with = provider_or_throw(a.provider);
    po.replace = a.replace;
    po.insert = a.insert;
    po.from_sample = a.from_sample;
    const auto r = s.protect(a.app, po);
    outcome_text text{"protect", a.app,
                      fmt::format("{} is already protected by {}", a.app, a.provider),
                      fmt::format("{} is now protected by {}", a.app, a.provider)};
    const bool both = conn && po.with == swag::provider::authentik;
    const int rc = both ? protect_both(o, a, s, r, *conn, text) : finish(s, r, o, text);
    if (rc != exit_ok || !a.verify) return rc;
    // Written (or protected already) and reloaded: ask the live site, as `verify APP` would.
    verify_args v = *a.verify;
    v.apps = {a.app};
    return cmd_verify(o, v);
}

int cmd_unprotect(const options& o, const protect_args& a) {
    const auto conn = ak::resolve(o.authentik);
    swag::session s(swag::layout::detect(o.root));
    const auto with = provider_or_throw(a.provider);
    const auto r = s.unprotect(a.app, with);
    outcome_text text{"unprotect", a.app,
                      fmt::format("{} is not protected by {}; nothing to do", a.app, a.provider),
                      fmt::format("{} is no longer protected by {}", a.app, a.provider)};
    if (!conn || with != swag::provider::authentik) return finish(s, r, o, text);
    // nginx stops asking first, then the outpost lets go: never a window in which nginx asks
    // an outpost that no longer knows the app (500 for everyone).
    auto c = make_client(*conn);
    const auto app = pick(s.status(), a.app).front().app;
    const auto plan = ak::plan_unprotect(c, app, outpost_for(s.where(), a.ak.outpost), a.ak.purge);
    if (!o.json) {
        print_steps(plan.steps, o.out);
        for (const auto& k : plan.kept) {
            fmt::print("{} {} was made by a person; --purge leaves it\n", o.out.dim("note:"), k);
        }
    }
    std::vector<std::string> kept;
    for (const auto& k : plan.kept) kept.push_back(ngxconf::json_quote(k));
    const bool write = !o.dry_run && !o.check;
    // The writes come after the nginx half (below); the report counts what they will be.
    text.extra_json = steps_json(c, c.version(), plan.steps,
                                 write ? static_cast<int>(plan.steps.size()) : 0,
                                 {"\"kept\":[" + join(kept, ",") + "]"});
    const int rc = finish(s, r, o, text);
    if (rc == exit_ok && write) ak::apply(c, plan);
    return rc;
}

}  // namespace ngxauth
