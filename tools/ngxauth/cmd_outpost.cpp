// outpost create / outpost list: a proxy outpost for a remote machine, with the files it runs
// from, and the outposts Authentik has.
#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "authentik/api_error.hpp"
#include "authentik/kit.hpp"
#include "authentik_cli.hpp"
#include "commands.hpp"
#include "ngxconf/json.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;
namespace ak = authentik;
using ngxconf::diag_code;

// Each app's provider and application, made when missing; their provider pks.
std::vector<int> ensure_apps(const options& o, ak::client& c, swag::session& s,
                             const outpost_args& a, std::vector<ak::api_step>& steps) {
    std::vector<int> pks;
    for (const auto& app : a.apps) {
        auto plan = ak::plan_protect(c, target_for(s, app, a.ak, false, c.where()), nullptr);
        steps.insert(steps.end(), plan.steps.begin(), plan.steps.end());
        if (!o.dry_run) {
            ak::undo_log undo;  // what is made here stays: it is what the user asked for
            ak::apply(c, plan, undo);
        }
        if (plan.provider) pks.push_back(plan.provider->pk);
    }
    return pks;
}

ak::json outpost_config(const std::string& authentik_host, const std::string& upstream) {
    return {{"authentik_host", authentik_host},
            {"authentik_host_insecure", false},
            {"log_level", "info"},
            // How SWAG reaches this outpost, so `protect` finds it from $upstream_authentik.
            {"ngxauth_upstream", upstream}};
}

// The outpost NAME with the providers on it (created, or completed: others kept).
ak::outpost ensure_outpost(const options& o, ak::client& c, const outpost_args& a,
                           const std::vector<int>& pks, const std::string& host,
                           std::vector<ak::api_step>& steps) {
    const std::string upstream = a.upstream.empty() ? a.name : a.upstream;
    if (auto found = ak::find_outpost(c, {a.name})) {
        auto providers = found->providers;
        for (int pk : pks) {
            if (std::find(providers.begin(), providers.end(), pk) != providers.end()) continue;
            providers.push_back(pk);
            steps.push_back({"PATCH", "/api/v3/outposts/instances/" + found->pk + "/",
                             ak::json{{"providers", providers}}});
            if (!o.dry_run) (void)ak::attach(c, found->pk, pk);
        }
        auto config = found->config.is_object() ? found->config : ak::json::object();
        if (config.value("authentik_host", "") != host || config.value("ngxauth_upstream", "") != upstream) {
            config["authentik_host"] = host;
            config["ngxauth_upstream"] = upstream;
            steps.push_back({"PATCH", "/api/v3/outposts/instances/" + found->pk + "/", {{"config", config}}});
            if (!o.dry_run) {
                (void)c.send("PATCH", "/api/v3/outposts/instances/" + found->pk + "/", {{"config", config}});
            }
        }
        return o.dry_run ? *found : ak::get_outpost(c, found->pk);
    }
    const ak::json body{{"name", a.name}, {"type", "proxy"}, {"providers", pks},
                        {"service_connection", nullptr}, {"config", outpost_config(host, upstream)}};
    steps.push_back({"POST", "/api/v3/outposts/instances/", body});
    ak::outpost planned;
    planned.name = a.name;
    planned.providers = pks;
    if (o.dry_run) return planned;
    const auto made = c.send("POST", "/api/v3/outposts/instances/", body);
    return ak::get_outpost(c, made.value("pk", ""));
}

std::string token_of(ak::client& c, const ak::outpost& out) {
    const auto j = c.get("/api/v3/core/tokens/" + ak::query_value(out.token_identifier) + "/view_key/");
    const std::string key = j.value("key", "");
    if (key.empty() || key.find_first_of("\r\n \t") != std::string::npos) {
        throw ak::api_error(diag_code::authentik_bad_response,
                            "Authentik did not give the outpost's token");
    }
    return key;
}

// Protected apps whose providers the new outpost lacks: after switch-upstream nginx would ask
// it about them and get no answer it can use (500 for every request).
std::vector<std::string> left_behind(ak::client& c, swag::session& s, const ak::outpost& out) {
    std::vector<std::string> missing;
    for (const auto& app : s.status()) {
        const auto& sl = app.server_level;
        if (std::find(sl.begin(), sl.end(), swag::provider::authentik) == sl.end()) continue;
        const auto found = ak::find_application(c, app.app);
        const bool on = found && found->provider &&
                        std::find(out.providers.begin(), out.providers.end(), *found->provider) !=
                            out.providers.end();
        if (!on) missing.push_back(app.app);
    }
    return missing;
}

}  // namespace

int cmd_outpost_create(const options& o, const outpost_args& a) {
    const auto conn = ak::resolve(o.authentik);
    if (!conn) throw usage_failure("outpost create needs --authentik-url URL (or `ngxauth authentik login`)");
    const std::string host = a.authentik_host.empty() ? conn->url : a.authentik_host;
    if (host.find_first_of("\r\n \t") != std::string::npos) throw usage_failure("--authentik-host: not a URL");
    auto c = make_client(*conn);
    swag::session s(swag::layout::detect(o.root));
    std::vector<ak::api_step> steps;
    const auto version = c.version();
    const auto pks = ensure_apps(o, c, s, a, steps);
    const auto out = ensure_outpost(o, c, a, pks, host, steps);
    const auto behind = o.dry_run ? std::vector<std::string>{} : left_behind(c, s, out);
    const std::string dir = a.out.empty() ? "outpost-" + a.name : a.out;
    std::vector<std::string> files;
    if (!o.dry_run) files = ak::write_kit(dir, {a.name, version, host, token_of(c, out)});
    const std::string upstream = a.upstream.empty() ? a.name : a.upstream;
    const std::string next = "ngxauth switch-upstream " + upstream;
    if (a.apply && !behind.empty()) {
        throw ak::api_error(diag_code::authentik_not_on_outpost,
                            fmt::format("not switching: nginx protects {} too, whose provider is "
                                        "not on {}; nginx would answer 500 for it",
                                        join(behind, ", "), a.name),
                            {fmt::format("add it: --apps {}", join(a.apps, ",") + "," + join(behind, ","))}, 3);
    }
    if (o.json) {
        std::vector<std::string> quoted;
        for (const auto& f : files) quoted.push_back(ngxconf::json_quote(f));
        std::vector<std::string> left;
        for (const auto& b : behind) left.push_back(ngxconf::json_quote(b));
        fmt::print("{{\"ok\":true,\"outpost\":{{\"name\":{},\"pk\":{},\"providers\":{}}},\"dir\":{},"
                   "\"files_written\":[{}],\"not_on_outpost\":[{}],\"next\":{}{},\"recovered\":[]}}\n",
                   ngxconf::json_quote(a.name), ngxconf::json_quote(out.pk),
                   ak::json(out.providers).dump(), ngxconf::json_quote(dir), join(quoted, ","),
                   join(left, ","), ngxconf::json_quote(next),
                   steps_json(c, version, steps, c.writes()));
    } else {
        print_steps(steps, o.out);
        fmt::print("outpost {}: {} provider{}\n", a.name, out.providers.size(),
                   out.providers.size() == 1 ? "" : "s");
        for (const auto& f : files) fmt::print("wrote {}/{}\n", dir, f);
        for (const auto& b : behind) {
            fmt::print("{} {} is protected but not on {}: add it with --apps before switching\n",
                       o.out.yellow("warning:"), b, a.name);
        }
        if (!a.apply) fmt::print("next: {}\n", next);
    }
    if (!a.apply || o.dry_run) return exit_ok;
    return cmd_switch_upstream(o, {upstream, std::nullopt, std::nullopt});
}

int cmd_outpost_list(const options& o) {
    const auto conn = ak::resolve(o.authentik);
    if (!conn) throw usage_failure("outpost list needs --authentik-url URL (or `ngxauth authentik login`)");
    auto c = make_client(*conn);
    std::map<int, std::string> names;
    for (const auto& p : ak::all_providers(c)) names[p.pk] = p.name;
    auto list = ak::json::array();
    for (const auto& out : ak::all_outposts(c)) {
        auto providers = ak::json::array();
        for (int pk : out.providers) providers.push_back({{"pk", pk}, {"name", names[pk]}});
        auto health = c.get_if("/api/v3/outposts/instances/" + out.pk + "/health/");
        list.push_back({{"name", out.name}, {"pk", out.pk}, {"managed", out.managed},
                        {"providers", providers}, {"health", health ? *health : ak::json::array()}});
    }
    if (o.json) {
        fmt::print("{{\"ok\":true,\"version\":{},\"outposts\":{},\"recovered\":[]}}\n",
                   ngxconf::json_quote(c.version()), list.dump());
        return exit_ok;
    }
    for (const auto& out : list) {
        std::vector<std::string> ps;
        for (const auto& p : out["providers"]) ps.push_back(p["name"].get<std::string>());
        std::string seen = "never seen";
        if (out["health"].is_array() && !out["health"].empty()) {
            const auto& h = out["health"][0];
            seen = fmt::format("last seen {} (version {})", h.value("last_seen", "?"), h.value("version", "?"));
        }
        fmt::print("{}  {}  [{}]  {}\n", o.out.bold(out["name"].get<std::string>()),
                   out["managed"].get<std::string>().empty() ? "proxy" : "embedded",
                   ps.empty() ? "no providers" : join(ps, ", "), seen);
    }
    return exit_ok;
}

}  // namespace ngxauth
