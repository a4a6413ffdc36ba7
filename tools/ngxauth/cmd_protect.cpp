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

// The report of several operations of one session, in order.
void merge(swag::report& into, swag::report r) {
    for (auto& c : r.changes) into.changes.push_back(std::move(c));
    for (auto& n : r.notes) into.notes.push_back(std::move(n));
}

// The apps as the messages name them: "dockge", "dockge, radarr and sonarr".
std::string names_of(const std::vector<std::string>& apps) {
    if (apps.size() < 2) return apps.empty() ? std::string() : apps.front();
    const std::vector<std::string> head(apps.begin(), apps.end() - 1);
    return join(head, ", ") + " and " + apps.back();
}

// ",\"apps\":[...]" for the JSON report of a command on several apps; nothing for one.
std::string apps_json(const std::vector<std::string>& apps) {
    return apps.size() < 2 ? std::string() : ",\"apps\":[" + json_strings(apps) + "]";
}

// The Authentik half plans one app against the outpost as it is: several apps would plan
// over each other's writes.
void refuse_several_with_api(const std::vector<std::string>& apps, std::string_view command) {
    if (apps.size() < 2) return;
    throw usage_failure(fmt::format(
        "{}: with Authentik's API, one app at a time (or leave out --authentik-url)", command));
}

// The outcome lines: "X is ...", "X, Y and Z are ...".
outcome_text outcome_for(std::string_view command, const std::vector<std::string>& apps,
                         std::string_view already, std::string_view now, const std::string& subject) {
    const auto who = names_of(apps);
    const char* verb = apps.size() < 2 ? "is" : "are";
    return {command, subject, fmt::format("{} {} {}", who, verb, already),
            fmt::format("{} {} {}", who, verb, now), apps_json(apps)};
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
    auto plan = ak::plan_protect(c, target_for(s, a.apps.front(), a.ak, a.replace, conn), &where);
    const bool write = !o.dry_run && !o.check;
    if (!o.json) print_steps(plan.steps, o.out, o.dry_run ? stderr : stdout);
    ak::undo_log undo;
    // Whatever fails from the first write on (a later write, the nginx half) undoes what this
    // run made in Authentik.
    try {
        if (write) ak::apply(c, plan, undo);
        text.extra_json += steps_json(c, plan.version, plan.steps, c.writes());
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
    swag::protect_options po;
    po.with = provider_or_throw(a.provider);
    po.replace = a.replace;
    po.insert = a.insert;
    po.from_sample = a.from_sample;
    const bool both = conn && po.with == swag::provider::authentik;
    if (both) refuse_several_with_api(a.apps, "protect");
    swag::session s(swag::layout::detect(o.root));
    // Every app in the one session: one diff, one transaction, one --validate. A refusal of
    // any app throws before anything is written.
    swag::report r;
    for (const auto& app : a.apps) merge(r, s.protect(app, po));
    const auto text = outcome_for("protect", a.apps, "already protected by " + a.provider,
                                  "now protected by " + a.provider, join(a.apps, " "));
    const int rc = both ? protect_both(o, a, s, r, *conn, text) : finish(s, r, o, text);
    if (rc != exit_ok || !a.verify) return rc;
    // Written (or protected already) and reloaded: ask the live site, as `verify APP` would.
    verify_args v = *a.verify;
    v.apps = a.apps;
    return cmd_verify(o, v);
}

int cmd_unprotect(const options& o, const protect_args& a) {
    const auto conn = ak::resolve(o.authentik);
    const auto with = provider_or_throw(a.provider);
    if (conn && with == swag::provider::authentik) refuse_several_with_api(a.apps, "unprotect");
    swag::session s(swag::layout::detect(o.root));
    swag::report r;
    for (const auto& app : a.apps) merge(r, s.unprotect(app, with));
    auto text = outcome_for("unprotect", a.apps, "not protected by " + a.provider + "; nothing to do",
                            "no longer protected by " + a.provider, join(a.apps, " "));
    if (!conn || with != swag::provider::authentik) return finish(s, r, o, text);
    // nginx stops asking first, then the outpost lets go: never a window in which nginx asks
    // an outpost that no longer knows the app (500 for everyone).
    auto c = make_client(*conn);
    const auto app = pick(s.status(), a.apps.front()).front().app;
    const auto plan = ak::plan_unprotect(c, app, outpost_for(s.where(), a.ak.outpost), a.ak.purge);
    if (!o.json) {
        std::FILE* to = o.dry_run ? stderr : stdout;
        print_steps(plan.steps, o.out, to);
        for (const auto& k : plan.kept) {
            fmt::print(to, "{} {} was made by a person; --purge leaves it\n", o.out.dim("note:"), k);
        }
    }
    std::vector<std::string> kept;
    for (const auto& k : plan.kept) kept.push_back(ngxconf::json_quote(k));
    const bool write = !o.dry_run && !o.check;
    // The writes come after the nginx half (below); the report counts what they will be.
    text.extra_json += steps_json(c, c.version(), plan.steps,
                                 write ? static_cast<int>(plan.steps.size()) : 0,
                                 {"\"kept\":[" + join(kept, ",") + "]"});
    const int rc = finish(s, r, o, text);
    if (rc == exit_ok && write) ak::apply(c, plan);
    return rc;
}

}  // namespace ngxauth
