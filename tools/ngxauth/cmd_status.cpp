// status: one row per proxy-conf (app, kind, providers, server, locations, problems).
#include <fmt/core.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <vector>

#include "commands.hpp"
#include "ngxconf/json.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;

bool has(const std::vector<swag::provider>& v, swag::provider p) {
    return std::find(v.begin(), v.end(), p) != v.end();
}


// Every provider enabled anywhere in the app, in the table's order.
std::vector<std::string> providers_of(const swag::app_status& a) {
    std::vector<std::string> out;
    for (auto p : {swag::provider::authentik, swag::provider::authelia, swag::provider::ldap,
                   swag::provider::tinyauth, swag::provider::basic}) {
        if (has(a.server_level, p) || has(a.location_level, p)) {
            out.emplace_back(swag::name_of(p));
        }
    }
    return out;
}

// The server-level line of the provider in use (any provider, not only Authentik): "on"
// when every provider whose location lines are on has its server-level line on too.
std::string server_of(const swag::app_status& a) {
    if (a.location_level.empty()) return a.server_level.empty() ? "off" : "on";
    // Every provider whose location lines are on needs its server-level line.
    for (auto p : a.location_level) {
        if (!has(a.server_level, p)) return "off";
    }
    return "on";
}

// How many locations get each verdict: "1 protected, 1 open on purpose", "1 OPEN".
std::string locations_of(const swag::app_status& a) {
    using v = swag::location_verdict;
    std::vector<std::string> parts;
    for (const auto& [verdict, word] : {std::pair{v::protected_, "protected"}, {v::open, "OPEN"},
                                       {v::broken, "broken"}, {v::open_on_purpose, "open on purpose"}}) {
        const auto n = std::count_if(a.locations.begin(), a.locations.end(),
                                     [&](const auto& l) { return l.verdict == verdict; });
        if (n != 0) parts.push_back(fmt::format("{} {}", n, word));
    }
    return parts.empty() ? std::string("none") : join(parts, ", ");
}

// Whether a problem of the app makes nginx fail or leaves it open (red, not yellow).
bool has_error(const swag::app_status& a) {
    return std::any_of(a.problems.begin(), a.problems.end(),
                       [](const auto& p) { return p.level == ngxconf::severity::error; });
}

// The problems' messages, for the last column: "line 6: ..." in the app's own conf,
// "site-confs/default.conf:12: ..." in another file.
std::string problems_of(const swag::app_status& a, const std::filesystem::path& root) {
    std::vector<std::string> messages;
    for (const auto& p : a.problems) {
        const auto line = p.where.begin.line;
        if (!p.where.file.empty() && std::filesystem::path(p.where.file) != a.file) {
            const auto file = display_path(p.where.file, root);
            messages.push_back(line != 0 ? fmt::format("{}:{}: {}", file, line, p.message)
                                         : fmt::format("{}: {}", file, p.message));
        } else {
            messages.push_back(line != 0 ? fmt::format("line {}: {}", line, p.message) : p.message);
        }
    }
    return join(messages, "; ");
}

std::size_t terminal_width() {
    if (::isatty(STDOUT_FILENO) != 1) return 0;
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 0;
}

// {"ok": true, "apps": [...], "recovered": [...]}: the envelope of every --json output.
std::string status_json(const std::vector<swag::app_status>& apps,
                        const std::filesystem::path& root, const std::vector<std::string>& recovered,
                        const std::string& extra) {
    std::string out = "{\"ok\":true,\"apps\":[";
    for (std::size_t i = 0; i < apps.size(); ++i) {
        const auto& a = apps[i];
        std::vector<std::string> server, loc, locs, probs;
        for (auto p : a.server_level) server.push_back(ngxconf::json_quote(swag::name_of(p)));
        for (auto p : a.location_level) loc.push_back(ngxconf::json_quote(swag::name_of(p)));
        for (const auto& l : a.locations) {
            locs.push_back(fmt::format(
                "{{\"match\":{},\"line\":{},\"has_line\":{},\"enabled\":{},\"passes\":{},"
                "\"verdict\":{},\"by\":{},\"reason\":{},\"why\":{}}}",
                ngxconf::json_quote(l.match), l.line, l.has_line ? "true" : "false",
                l.enabled ? "true" : "false", l.passes ? "true" : "false",
                ngxconf::json_quote(swag::to_string(l.verdict)),
                l.by ? ngxconf::json_quote(swag::name_of(*l.by)) : std::string("null"),
                l.reason == ngxconf::diag_code::none ? std::string("null")
                                                     : ngxconf::json_quote(ngxconf::to_string(l.reason)),
                l.why.empty() ? std::string("null") : ngxconf::json_quote(l.why)));
        }
        for (const auto& p : a.problems) probs.push_back(json_diagnostic(p, root));
        out += fmt::format(
            "{}\n  {{\"app\":{},\"kind\":{},\"file\":{},\"protected\":{},\"server_level\":[{}],"
            "\"location_level\":[{}],\"locations\":[{}],\"problems\":[{}]}}",
            i ? "," : "", ngxconf::json_quote(a.app),
            ngxconf::json_quote(a.kind == swag::app_kind::subdomain ? "subdomain" : "subfolder"),
            ngxconf::json_quote(display_path(a.file, root)), a.protected_ ? "true" : "false",
            join(server, ","), join(loc, ","), join(locs, ","), join(probs, ","));
    }
    out += fmt::format("{}]{},\"recovered\":[{}]}}\n", apps.empty() ? "" : "\n", extra,
                       json_strings(recovered));
    return out;
}

// The apps named on the command line ("radarr", "radarr.subfolder"), in status order.
std::vector<swag::app_status> named(const std::vector<swag::app_status>& all,
                                    const std::vector<std::string>& names) {
    std::vector<swag::app_status> out;
    for (const auto& wanted : names) {
        std::size_t found = 0;
        for (const auto& a : all) {
            const auto kind = a.kind == swag::app_kind::subdomain ? ".subdomain" : ".subfolder";
            if (a.app == wanted || a.app + kind == wanted || a.app + kind + ".conf" == wanted) {
                out.push_back(a);
                ++found;
            }
        }
        if (found == 0) {
            throw swag::error(ngxconf::diag_code::swag_app_not_found,
                              fmt::format("no active proxy-conf for '{}'", wanted));
        }
    }
    return out;
}

// One line per location: match, line, verdict (coloured), provider or reason.
void print_locations(const options& o, const std::vector<swag::app_status>& apps,
                     const std::filesystem::path& root) {
    for (const auto& a : apps) {
        const auto head = fmt::format("{} ({})", a.app, display_path(a.file, root));
        fmt::print("{}  {}\n", o.out.bold(head),
                   a.protected_ ? o.out.green("protected") : o.out.yellow("not protected"));
        std::size_t width = 0;
        for (const auto& l : a.locations) width = std::max(width, l.match.size());
        for (const auto& l : a.locations) {
            const std::string verdict(swag::to_string(l.verdict));
            std::string cell = fmt::format("{:<15}", verdict);
            if (l.verdict == swag::location_verdict::protected_) cell = o.out.green(cell);
            if (l.verdict == swag::location_verdict::open || l.verdict == swag::location_verdict::broken) {
                cell = o.out.red(cell);
            }
            const std::string note = l.verdict == swag::location_verdict::protected_ && l.by
                                         ? fmt::format("by {}", swag::name_of(*l.by))
                                         : l.why;
            fmt::print("  location {:<{}}  line {:<4} {} {}\n", l.match, width, l.line, cell, note);
        }
        for (const auto& p : a.problems) fmt::print("  {}: {}\n", ngxconf::to_string(p.level), p.message);
    }
}

}  // namespace

void print_apps(const options& o, const std::vector<swag::app_status>& apps,
                const std::vector<std::string>& wanted, const std::filesystem::path& root);

int cmd_status(const options& o, const std::vector<std::string>& wanted) {
    swag::session s(swag::layout::detect(o.root));
    const auto all = s.status();
    const auto apps = wanted.empty() ? all : named(all, wanted);
    const auto& root = s.where().root;
    // With Authentik's API: whether its objects agree with what nginx protects.
    const auto ak = authentik_findings(o, s);
    if (o.json) {
        const auto extra = ak.empty() ? std::string()
                                      : fmt::format(",\"authentik\":[{}]", findings_json(ak, root));
        fmt::print("{}", status_json(apps, root, o.recovered, extra));
        return exit_ok;
    }
    print_apps(o, apps, wanted, root);
    print_findings(ak, root, o.out);
    return exit_ok;
}

void print_apps(const options& o, const std::vector<swag::app_status>& apps,
                const std::vector<std::string>& wanted, const std::filesystem::path& root) {
    if (apps.empty()) {
        fmt::print("no proxy-confs in {}\n", (root / "proxy-confs").string());
        return;
    }
    if (!wanted.empty()) {
        print_locations(o, apps, root);
        return;
    }

    using row = std::array<std::string, 6>;
    std::vector<row> rows;
    rows.push_back({"APP", "KIND", "PROVIDERS", "SERVER", "LOCATIONS", "PROBLEMS"});
    for (const auto& a : apps) {
        const auto prov = providers_of(a);
        rows.push_back({a.app, a.kind == swag::app_kind::subdomain ? "subdomain" : "subfolder",
                        prov.empty() ? "-" : join(prov, ","),
                        server_of(a),
                        locations_of(a), a.problems.empty() ? "-" : problems_of(a, root)});
    }
    std::array<std::size_t, 6> width{};
    for (const auto& r : rows) {
        for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
    }
    // The last column takes what is left of the terminal (never less than 20 columns).
    const auto term = terminal_width();
    std::size_t used = 0;
    for (std::size_t c = 0; c + 1 < width.size(); ++c) used += width[c] + 2;
    const std::size_t last_max = term > used + 20 ? term - used : std::string::npos;

    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto r = rows[i];
        if (r[5].size() > last_max) r[5] = r[5].substr(0, last_max - 3) + "...";
        std::string line;
        for (std::size_t c = 0; c < r.size(); ++c) {
            const std::string pad(c + 1 < r.size() ? width[c] - r[c].size() + 2 : 0, ' ');
            std::string cell = r[c];
            if (i == 0) {
                cell = o.out.bold(cell);
            } else {
                const auto& a = apps[i - 1];
                if (c == 0 && a.protected_) cell = o.out.green(cell);
                if (c == 2 && !a.protected_ && cell != "-") cell = o.out.yellow(cell);
                if (c == 5 && !a.problems.empty()) {
                    cell = has_error(a) ? o.out.red(cell) : o.out.yellow(cell);
                }
            }
            line += cell + pad;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        fmt::print("{}\n", line);
    }
}

}  // namespace ngxauth
