// status: which provider protects each active proxy-conf, and what looks wrong.
#include <algorithm>
#include <fstream>
#include <iterator>

#include "model.hpp"

namespace ngxconf::swag::detail {
namespace {

void add_unique(std::vector<provider>& v, provider p) {
    if (std::find(v.begin(), v.end(), p) == v.end()) v.push_back(p);
}

// Keeps the providers in table order, for stable output.
void sort_providers(std::vector<provider>& v) {
    std::vector<provider> out;
    for (const auto& row : provider_table()) {
        if (std::find(v.begin(), v.end(), row.id) != v.end()) out.push_back(row.id);
    }
    v = std::move(out);
}

std::string names(const std::vector<provider>& v) {
    std::string out;
    for (const auto p : v) out += (out.empty() ? "" : ", ") + std::string(name_of(p));
    return out;
}

std::string sample_version(const fs::path& conf) {
    fs::path sample = conf;
    sample += ".sample";
    std::ifstream in(sample, std::ios::binary);
    if (!in) return {};
    std::string head(8192, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return version_line(head);
}

// Whether any line of p at location level is on in the location.
bool on_in(const context& ctx, const directive& loc, provider p) {
    for (const auto& d : lines_in(loc.body(), p, level::location, ctx.container_root())) {
        if (line_on(d)) return true;
    }
    return false;
}

bool server_on_in(const context& ctx, const directive& server, provider p) {
    for (const auto& d : lines_in(server.body(), p, level::server, ctx.container_root())) {
        if (d.enabled()) return true;
    }
    return false;
}

void add_problem(app_status& st, severity level, diag_code code, std::string message,
                 std::uint32_t line = 0) {
    st.problems.push_back(make_diag(level, code, std::move(message), st.file, line));
}

void check_files(const context& ctx, app_status& st, const std::vector<provider>& used) {
    for (const auto p : used) {
        if (p == provider::basic) continue;
        std::vector<std::string> missing;
        for (const auto file : {info(p).server_file, info(p).location_file}) {
            if (!ctx.exists(ctx.root_file(file))) missing.emplace_back(file);
        }
        if (missing.empty()) continue;
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        add_problem(
            st, severity::error, diag_code::swag_files_missing,
            std::string(name_of(p)) + " files missing: " + list + " (nginx fails to start)");
    }
}

// The failing locations of the model, while some auth of the app is on (an app without any
// is simply not protected); a location already named by a line problem is not named twice.
void add_model_problems(app_status& st, const conf_model& m) {
    st.problems.insert(st.problems.end(), m.problems.begin(), m.problems.end());
    // default.conf's server-level line is shared by every subfolder app: not this one's intent.
    const bool own_server_level = st.kind == app_kind::subdomain && !st.server_level.empty();
    const bool intent = !st.location_level.empty() || own_server_level ||
                        std::any_of(m.locations.begin(), m.locations.end(), [](const location_model& l) {
                            return l.state.verdict != location_verdict::open &&
                                   l.state.verdict != location_verdict::open_on_purpose;
                        });
    if (!intent) return;
    for (const auto* l : failing(m)) {
        const bool named = std::any_of(st.problems.begin(), st.problems.end(), [&](const diagnostic& d) {
            return d.level == severity::error && d.where.begin.line == l->state.line &&
                   d.where.file == st.file.string();
        });
        if (named) continue;
        add_problem(st, severity::error, l->state.reason, describe_failure(*l), l->state.line);
    }
}

// What status reads of a conf besides the model: its locations (named ones too) and the
// server blocks whose server-level lines count (default.conf's for a subfolder app).
struct conf_lines {
    const context& ctx;
    app_kind kind;
    std::vector<directive> locations;
    std::vector<directive> servers;
};

void provider_levels(app_status& st, const conf_lines& v) {
    for (const auto& row : provider_table()) {
        for (const auto& loc : v.locations) {
            if (on_in(v.ctx, loc, row.id)) add_unique(st.location_level, row.id);
        }
        for (const auto& s : v.servers) {
            if (server_on_in(v.ctx, s, row.id)) add_unique(st.server_level, row.id);
        }
    }
    sort_providers(st.server_level);
    sort_providers(st.location_level);
}

// Two providers: for a subfolder app only its own (location-level) lines count, as
// default.conf's server-level lines are shared by every subfolder app. Returns those used.
std::vector<provider> check_two_providers(app_status& st) {
    std::vector<provider> used = st.location_level;
    if (st.kind == app_kind::subdomain) {
        for (const auto p : st.server_level) add_unique(used, p);
    }
    sort_providers(used);
    if (used.size() > 1) {
        add_problem(st, severity::error, diag_code::swag_two_providers,
                    "two providers enabled: " + names(used) +
                        " (nginx allows one auth_request per location)");
    }
    return used;
}

void check_basic_half(app_status& st, const conf_lines& v, const directive& loc) {
    const auto lines = lines_in(loc.body(), provider::basic, level::location, v.ctx.container_root());
    const bool realm = std::any_of(lines.begin(), lines.end(), [](const directive& d) {
        return d.name() == "auth_basic" && line_on(d);
    });
    const bool file = std::any_of(lines.begin(), lines.end(), [](const directive& d) {
        return d.name() == "auth_basic_user_file" && d.enabled();
    });
    if (realm == file) return;
    add_problem(st, severity::warning, diag_code::swag_basic_auth_half,
                "half-enabled: basic auth in " + describe_location(loc) + " has " +
                    (realm ? "auth_basic" : "auth_basic_user_file") + " on but not " +
                    (realm ? "auth_basic_user_file" : "auth_basic"),
                line_of(loc));
}

// A location-level line on while its server-level line is off: per provider.
void check_half_protected(app_status& st, const conf_lines& v) {
    for (const auto& row : provider_table()) {
        for (const auto& loc : v.locations) {
            if (!on_in(v.ctx, loc, row.id)) continue;
            if (row.id == provider::basic) {
                check_basic_half(st, v, loc);
                continue;
            }
            const auto on_at = [&](const directive& s) { return s && server_on_in(v.ctx, s, row.id); };
            const bool server_on = v.kind == app_kind::subdomain
                                       ? on_at(server_of(loc))
                                       : std::any_of(v.servers.begin(), v.servers.end(), on_at);
            if (server_on) continue;
            add_problem(st, severity::error, diag_code::swag_half_protected,
                        "half-enabled (broken): " + std::string(row.location_file) + " is on in " +
                            describe_location(loc) + " but " + std::string(row.server_file) +
                            " is off " +
                            (v.kind == app_kind::subdomain ? "in its server block"
                                                           : "in site-confs/default.conf") +
                            ": the location asks for endpoints that only the server-level file defines",
                        line_of(loc));
        }
    }
}

// The server-level line on (subdomain), or a location's (subfolder: default.conf's line is
// shared), with a carrying location off: a half state.
void check_not_protected(app_status& st, const conf_lines& v) {
    const provider ak = provider::authentik;
    std::vector<directive> carrying;
    for (const auto& loc : v.locations) {
        if (!lines_in(loc.body(), ak, level::location, v.ctx.container_root()).empty()) carrying.push_back(loc);
    }
    const auto on = [&](const directive& l) { return on_in(v.ctx, l, ak); };
    const bool all_on = std::all_of(carrying.begin(), carrying.end(), on);
    const bool any_on = std::any_of(carrying.begin(), carrying.end(), on);
    const bool server_on = std::any_of(v.servers.begin(), v.servers.end(),
                                       [&](const directive& s) { return server_on_in(v.ctx, s, ak); });
    const bool half = v.kind == app_kind::subdomain ? server_on && !all_on : any_on && !all_on;
    for (const auto& loc : carrying) {
        if (!half || on(loc)) continue;
        add_problem(st, severity::error, diag_code::swag_not_protected,
                    "not protected: " + describe_location(loc) + " has " +
                        std::string(info(ak).location_file) +
                        " commented out while the app's other authentik lines are on",
                    line_of(loc));
    }
}

void check_version(app_status& st, const document& doc) {
    const std::string mine = version_line(doc.source());
    const std::string sample = sample_version(st.file);
    if (sample.empty() || mine.empty() || version_date(mine) == version_date(sample)) return;
    add_problem(st, severity::warning, diag_code::swag_version_differs,
                "version differs from its .sample: " + version_date(mine) + " vs " +
                    version_date(sample) +
                    " (SWAG warns at start-up; compare with the .sample and update by hand)");
}

app_status status_of(const context& ctx, const app_conf& c) {
    app_status st;
    st.app = c.app;
    st.kind = c.kind;
    st.file = c.path;
    document* doc = nullptr;
    try {
        doc = ctx.existing(c.path);
    } catch (const ngxconf::error& e) {
        add_problem(st, severity::error, diag_code::swag_unreadable,
                    "unreadable: " + error_words(e), e.where().begin.line);
        return st;
    }
    if (!doc && dangling_symlink(c.path)) {
        std::error_code ec;
        add_problem(st, severity::error, diag_code::swag_unreadable,
                    "a symlink to " + fs::read_symlink(c.path, ec).string() +
                        ", which does not exist: nginx will not start",
                    0);
    }
    if (!doc) return st;

    const conf_model model = model_of(ctx, c, *doc);
    for (const auto& l : model.locations) st.locations.push_back(l.state);
    conf_lines v{ctx, c.kind, locations_in(doc->root()), {}};
    for (const auto& s : model.servers) v.servers.push_back(s.server);

    provider_levels(st, v);
    const auto used = check_two_providers(st);
    check_half_protected(st, v);
    check_not_protected(st, v);
    add_model_problems(st, model);
    st.protected_ = app_protected(model);
    check_files(ctx, st, used);
    check_version(st, *doc);
    return st;
}

}  // namespace

std::vector<app_status> status(context& ctx) {
    std::vector<app_status> out;
    for (const auto& c : all_active_confs(ctx)) out.push_back(status_of(ctx, c));
    return out;
}

}  // namespace ngxconf::swag::detail
