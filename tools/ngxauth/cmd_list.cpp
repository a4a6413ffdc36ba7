// list: every app SWAG offers (proxy-confs/*.conf.sample) and every active conf, one row per
// app and kind: whether it is active, and its protection as status computes it.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <map>
#include <vector>

#include "commands.hpp"
#include "ngxconf/json.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;
namespace fs = std::filesystem;

struct offered_app {
    std::string app;
    swag::app_kind kind = swag::app_kind::subdomain;
    bool sample = false;                     // SWAG ships APP.KIND.conf.sample
    std::optional<swag::app_status> active;  // APP.KIND.conf exists
};

std::string_view kind_name(swag::app_kind k) {
    return k == swag::app_kind::subdomain ? "subdomain" : "subfolder";
}

// "radarr.subdomain.conf.sample" -> {radarr, subdomain}; nullopt for anything else. SWAG's
// _template confs are a starting point for a new app, not an app.
std::optional<std::pair<std::string, swag::app_kind>> sample_name(const std::string& file) {
    for (auto kind : {swag::app_kind::subdomain, swag::app_kind::subfolder}) {
        const auto tail = fmt::format(".{}.conf.sample", kind_name(kind));
        if (file.size() <= tail.size() || !file.ends_with(tail)) continue;
        auto app = file.substr(0, file.size() - tail.size());
        if (app == "_template") return std::nullopt;
        return std::pair{std::move(app), kind};
    }
    return std::nullopt;
}

// The samples and the active confs, merged, in the order of status (natural, subdomain first).
std::vector<offered_app> offered(swag::session& s) {
    using key = std::pair<std::string, swag::app_kind>;
    const auto less = [](const key& a, const key& b) {
        if (a.first != b.first) return swag::natural_less(a.first, b.first);
        return a.second < b.second;
    };
    std::map<key, offered_app, decltype(less)> by(less);
    std::error_code ec;
    for (fs::directory_iterator it(s.where().root / "proxy-confs", ec), end; !ec && it != end;
         it.increment(ec)) {
        if (auto n = sample_name(it->path().filename().string())) {
            auto& e = by[*n];
            e.app = n->first;
            e.kind = n->second;
            e.sample = true;
        }
    }
    for (auto& a : s.status()) {
        auto& e = by[{a.app, a.kind}];
        e.app = a.app;
        e.kind = a.kind;
        e.active = std::move(a);
    }
    std::vector<offered_app> out;
    for (auto& [k, e] : by) out.push_back(std::move(e));
    return out;
}

// Every provider whose line is on somewhere in the app.
std::vector<std::string> providers_on(const swag::app_status& a) {
    std::vector<std::string> out;
    for (auto p : {swag::provider::authentik, swag::provider::authelia, swag::provider::ldap,
                   swag::provider::tinyauth, swag::provider::basic}) {
        const auto on = [p](const std::vector<swag::provider>& v) {
            return std::find(v.begin(), v.end(), p) != v.end();
        };
        if (on(a.server_level) || on(a.location_level)) out.emplace_back(swag::name_of(p));
    }
    return out;
}

// "authentik", "none", "incomplete: authelia" (some line on, not protected), "-" (inactive).
std::string protection_of(const offered_app& e) {
    if (!e.active) return "-";
    const auto on = providers_on(*e.active);
    if (e.active->protected_) return join(on, ",");
    return on.empty() ? std::string("none") : "incomplete: " + join(on, ",");
}

std::string list_json(const std::vector<offered_app>& apps, const std::vector<std::string>& recovered) {
    std::string out = "{\"ok\":true,\"apps\":[";
    for (std::size_t i = 0; i < apps.size(); ++i) {
        const auto& e = apps[i];
        const auto on = e.active ? providers_on(*e.active) : std::vector<std::string>{};
        out += fmt::format(
            "{}\n  {{\"app\":{},\"kind\":\"{}\",\"sample\":{},\"active\":{},\"protected\":{},"
            "\"providers\":[{}]}}",
            i ? "," : "", ngxconf::json_quote(e.app), kind_name(e.kind), e.sample ? "true" : "false",
            e.active ? "true" : "false", e.active && e.active->protected_ ? "true" : "false",
            json_strings(on));
    }
    out += fmt::format("{}],\"recovered\":[{}]}}\n", apps.empty() ? "" : "\n", json_strings(recovered));
    return out;
}

void print_table(const options& o, const std::vector<offered_app>& apps) {
    using row = std::array<std::string, 4>;
    std::vector<row> rows{{"APP", "KIND", "ACTIVE", "PROTECTION"}};
    for (const auto& e : apps) {
        rows.push_back({e.app, std::string(kind_name(e.kind)),
                        e.active ? (e.sample ? "yes" : "yes (no sample)") : "no", protection_of(e)});
    }
    std::array<std::size_t, 4> width{};
    for (const auto& r : rows) {
        for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::string line;
        for (std::size_t c = 0; c < rows[i].size(); ++c) {
            auto cell = rows[i][c];
            const std::string pad(c + 1 < rows[i].size() ? width[c] - cell.size() + 2 : 0, ' ');
            if (i == 0) cell = o.out.bold(cell);
            const bool is_protected = i != 0 && apps[i - 1].active && apps[i - 1].active->protected_;
            if (c == 0 && is_protected) cell = o.out.green(cell);
            if (c == 3 && cell.starts_with("incomplete")) cell = o.out.yellow(cell);
            line += cell + pad;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        fmt::print("{}\n", line);
    }
}

}  // namespace

int cmd_list(const options& o) {
    swag::session s(swag::layout::detect(o.root));
    const auto apps = offered(s);
    if (o.json) {
        fmt::print("{}", list_json(apps, o.recovered));
        return exit_ok;
    }
    if (apps.empty()) {
        fmt::print("no proxy-confs or samples in {}\n", (s.where().root / "proxy-confs").string());
        return exit_ok;
    }
    print_table(o, apps);
    const auto active = std::count_if(apps.begin(), apps.end(), [](const auto& e) { return e.active.has_value(); });
    const auto prot = std::count_if(apps.begin(), apps.end(),
                                    [](const auto& e) { return e.active && e.active->protected_; });
    fmt::print("{} offered or active, {} active, {} protected\n", apps.size(), active, prot);
    return exit_ok;
}

}  // namespace ngxauth
