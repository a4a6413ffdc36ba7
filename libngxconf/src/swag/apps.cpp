// Finding an app's proxy-confs: name checks, active and .sample files, close matches.
#include <algorithm>
#include <set>

#include "detail.hpp"

namespace ngxconf::swag::detail {
namespace {

constexpr std::string_view sample_ext = ".sample";

// The app and kind of a proxy-conf file name ("radarr.subdomain.conf"), if it is one.
std::optional<app_conf> conf_of(const fs::path& file) {
    const std::string name = file.filename().string();
    for (const auto k : {app_kind::subdomain, app_kind::subfolder}) {
        const auto suffix = kind_suffix(k);
        if (name.size() > suffix.size() && name.ends_with(suffix)) {
            std::string app = name.substr(0, name.size() - suffix.size());
            // SWAG's _template confs are a starting point for a new app, not an app.
            if (app == "_template") return std::nullopt;
            return app_conf{std::move(app), k, file};
        }
    }
    return std::nullopt;
}

// Every app name of proxy-confs/, active or .sample.
std::vector<std::string> known_apps(const context& ctx) {
    std::set<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(ctx.proxy_confs(), ec), end; !ec && it != end; it.increment(ec)) {
        fs::path p = it->path();
        if (p.filename().string().ends_with(sample_ext)) p.replace_extension();
        if (auto c = conf_of(p)) names.insert(c->app);
    }
    for (const auto& c : all_active_confs(ctx)) names.insert(c.app);
    return {names.begin(), names.end()};
}

}  // namespace

std::string_view kind_suffix(app_kind k) noexcept {
    return k == app_kind::subdomain ? ".subdomain.conf" : ".subfolder.conf";
}

void validate_app_name(std::string_view app) {
    std::string why;
    if (app.empty()) {
        why = "it is empty";
    } else if (app.find('/') != std::string_view::npos) {
        why = "it contains '/'";
    } else if (app.find("..") != std::string_view::npos) {
        why = "it contains \"..\"";
    } else if (app.find('\0') != std::string_view::npos) {
        why = "it contains a NUL byte";
    }
    if (!why.empty()) {
        throw error(diag_code::swag_invalid_app_name,
                    "invalid app name \"" + std::string(app) + "\": " + why +
                        " (give the name of a proxy-conf, such as radarr)");
    }
}

app_query parse_app_query(std::string_view app) {
    validate_app_name(app);
    app_query q;
    std::string_view s = app;
    if (s.ends_with(sample_ext)) s.remove_suffix(sample_ext.size());
    if (s.ends_with(".conf")) s.remove_suffix(5);
    for (const auto k : {app_kind::subdomain, app_kind::subfolder}) {
        std::string_view tail = kind_suffix(k);
        tail.remove_suffix(5);  // ".subdomain"
        if (s.size() > tail.size() && s.ends_with(tail)) {
            s.remove_suffix(tail.size());
            q.only = k;
            break;
        }
    }
    q.name = std::string(s.empty() ? app : s);
    validate_app_name(q.name);
    return q;
}

std::vector<app_conf> active_confs(const context& ctx, const app_query& q) {
    std::vector<app_conf> out;
    for (const auto k : {app_kind::subdomain, app_kind::subfolder}) {
        if (q.only && *q.only != k) continue;
        fs::path p = ctx.proxy_confs() / (q.name + std::string(kind_suffix(k)));
        if (ctx.exists(p) && !ctx.ws.removed(p)) out.push_back({q.name, k, std::move(p)});
    }
    return out;
}

std::vector<app_conf> sample_confs(const context& ctx, const app_query& q) {
    std::vector<app_conf> out;
    for (const auto k : {app_kind::subdomain, app_kind::subfolder}) {
        if (q.only && *q.only != k) continue;
        fs::path p = ctx.proxy_confs() / (q.name + std::string(kind_suffix(k)) + std::string(sample_ext));
        if (on_disk(p)) out.push_back({q.name, k, std::move(p)});
    }
    return out;
}

std::vector<app_conf> all_active_confs(const context& ctx) {
    std::vector<app_conf> out;
    std::set<std::string> seen;
    std::error_code ec;
    for (fs::directory_iterator it(ctx.proxy_confs(), ec), end; !ec && it != end; it.increment(ec)) {
        auto c = conf_of(it->path());
        // A dangling symlink stays: nginx's include glob fails on it, status names it.
        if (!c || (!on_disk(it->path()) && !dangling_symlink(it->path()))) continue;
        seen.insert(it->path().filename().string());
        if (ctx.ws.removed(it->path())) continue;  // unprotect deactivated it in this session
        out.push_back(std::move(*c));
    }
    // Files created in this session (activated samples, generated confs).
    for (document* d : ctx.ws.documents()) {
        const fs::path p = d->source_name();
        if (p.parent_path() != ctx.proxy_confs()) continue;
        auto c = conf_of(p);
        if (!c || seen.count(p.filename().string()) || ctx.ws.removed(p)) continue;
        seen.insert(p.filename().string());
        out.push_back(std::move(*c));
    }
    // As people sort names: by app (radarr before radarr-4k, app2 before app10), then kind.
    std::sort(out.begin(), out.end(), [](const app_conf& a, const app_conf& b) {
        if (a.app != b.app) return natural_less(a.app, b.app);
        return a.kind < b.kind;
    });
    return out;
}

void throw_app_not_found(const context& ctx, const app_query& q, bool sample_only,
                         std::string_view why) {
    std::string message(why);
    for (const auto k : {app_kind::subdomain, app_kind::subfolder}) {
        const fs::path p = ctx.proxy_confs() / (q.name + std::string(kind_suffix(k)));
        if ((!q.only || *q.only == k) && dangling_symlink(p)) {
            std::error_code ec;
            throw error(diag_code::swag_app_not_found,
                        "proxy-confs/" + p.filename().string() + " is a symlink to " +
                            fs::read_symlink(p, ec).string() +
                            ", which does not exist (nginx will not start with it)");
        }
    }
    std::vector<std::string> suggestions;
    if (!sample_only) suggestions = close_matches(q.name, known_apps(ctx));
    // What was typed is no suggestion.
    std::erase(suggestions, q.name);
    throw error(sample_only ? diag_code::swag_sample_only : diag_code::swag_app_not_found,
                std::move(message), std::move(suggestions));
}

// The subfolder confs (other than `except`) and default.conf locations that use p: while
// any is left, default.conf's server-level line of p must stay on.
std::vector<std::string> subfolder_users(const context& ctx, provider p, const fs::path& except) {
    std::vector<std::string> users;
    for (const auto& c : all_active_confs(ctx)) {
        if (c.kind != app_kind::subfolder || c.path == except) continue;
        document* doc = nullptr;
        try {
            doc = ctx.existing(c.path);
        } catch (const ngxconf::error&) {
            users.push_back(c.path.filename().string() + " (unreadable, assumed to use it)");
            continue;
        }
        if (!doc) continue;
        bool uses = false;
        for (const auto& loc : locations_in(doc->root())) {
            for (const auto& d : lines_in(loc.body(), p, level::location, ctx.container_root())) {
                uses = uses || line_on(d);
            }
        }
        if (uses) users.push_back(c.path.filename().string());
    }
    if (document* dc = ctx.existing(ctx.default_conf())) {
        for (const auto& loc : locations_in(dc->root())) {
            for (const auto& d : lines_in(loc.body(), p, level::location, ctx.container_root())) {
                if (line_on(d)) {
                    users.push_back("site-confs/default.conf " + describe_location(loc));
                }
            }
        }
    }
    return users;
}

}  // namespace ngxconf::swag::detail
