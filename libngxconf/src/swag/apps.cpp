// Finding an app's proxy-confs: name checks, active and .sample files, close matches.
#include <algorithm>
#include <set>

#include "detail.hpp"

namespace ngxconf::swag::detail {
namespace {

constexpr std::string_view sample_ext = ".sample";

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// Levenshtein distance with adjacent transpositions ("wbe" -> "web" is one edit).
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

// The app and kind of a proxy-conf file name ("radarr.subdomain.conf"), if it is one.
std::optional<app_conf> conf_of(const fs::path& file) {
    const std::string name = file.filename().string();
    for (const auto k : {app_kind::subdomain, app_kind::subfolder}) {
        const auto suffix = kind_suffix(k);
        if (name.size() > suffix.size() && name.ends_with(suffix)) {
            return app_conf{name.substr(0, name.size() - suffix.size()), k, file};
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
        if (!c || !on_disk(it->path())) continue;
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
    std::sort(out.begin(), out.end(), [](const app_conf& a, const app_conf& b) {
        return a.path.filename().string() < b.path.filename().string();
    });
    return out;
}

std::vector<std::string> close_matches(std::string_view typed, const std::vector<std::string>& names,
                                       std::size_t limit) {
    const std::string t = lower(typed);
    const std::size_t max_distance = t.size() <= 3 ? 1 : t.size() <= 6 ? 2 : 3;
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto& name : names) {
        const std::string n = lower(name);
        std::size_t score = edit_distance(t, n);
        const bool prefix = t.size() >= 3 && (n.starts_with(t) || t.starts_with(n));
        if (score > max_distance && !prefix) continue;
        if (prefix) score = std::min<std::size_t>(score, max_distance);
        scored.emplace_back(score, name);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (auto& s : scored) {
        if (out.size() == limit) break;
        out.push_back(std::move(s.second));
    }
    return out;
}

void throw_app_not_found(const context& ctx, const app_query& q, bool sample_only,
                         std::string_view why) {
    std::string message(why);
    std::vector<std::string> suggestions;
    if (!sample_only) suggestions = close_matches(q.name, known_apps(ctx));
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
