// Building the model of a proxy-conf: its server blocks as nginx sees them (includes
// expanded through the session's workspace) and its locations. The verdicts are in
// effective.cpp.
#include <algorithm>

#include "model.hpp"

namespace ngxconf::swag::detail {
namespace {

// Nested includes deeper than this are not followed (nginx has no limit, SWAG uses two).
constexpr std::size_t max_include_depth = 16;

// The provider whose -server.conf or -location.conf `path` is, if any.
std::optional<provider> provider_file_of(const context& ctx, const fs::path& path) {
    for (const auto& row : provider_table()) {
        if (row.server_file.empty()) continue;
        if (path == ctx.root_file(row.server_file) || path == ctx.root_file(row.location_file)) {
            return row.id;
        }
    }
    return std::nullopt;
}

struct frame {
    std::vector<directive> items;
    std::size_t next = 0;
    fs::path file;
    const document* doc = nullptr;
};

std::vector<directive> enabled_children(const block& b) {
    std::vector<directive> out;
    if (!b) return out;
    for (const node n : b) {
        const directive d = n.as_directive();
        if (d && d.enabled()) out.push_back(d);
    }
    return out;
}

// The documents an include pulls in; provider files that are missing or do not parse become
// problems, other files are skipped silently (doctor reports unresolved includes).
std::vector<std::pair<document*, fs::path>> included(const context& ctx, const directive& inc,
                                                     scope_contents& out) {
    std::vector<std::pair<document*, fs::path>> docs;
    for (const auto& path : ctx.ws.resolve_include(inc)) {
        const auto owner = provider_file_of(ctx, fs::path(path).lexically_normal());
        try {
            if (document* d = ctx.existing(path)) {
                docs.emplace_back(d, path);
            } else if (owner) {
                out.problems.push_back({path, diag_code::swag_files_missing, "does not exist"});
            }
        } catch (const ngxconf::error& e) {
            if (owner) out.problems.push_back({path, diag_code::swag_provider_file_invalid, e.what()});
        }
    }
    return docs;
}

bool on_stack(const std::vector<frame>& stack, const document* d) {
    return std::any_of(stack.begin(), stack.end(), [&](const frame& f) { return f.doc == d; });
}

}  // namespace

scope_contents expand(const context& ctx, const block& scope, const fs::path& file) {
    scope_contents out;
    std::vector<frame> stack;
    stack.push_back({enabled_children(scope), 0, file, nullptr});
    while (!stack.empty()) {
        frame& top = stack.back();
        if (top.next == top.items.size()) {
            stack.pop_back();
            continue;
        }
        const directive d = top.items[top.next++];
        if (d.name() != "include" || d.has_block()) {
            out.directives.push_back({d, top.file});
            continue;
        }
        if (stack.size() > max_include_depth) continue;
        auto docs = included(ctx, d, out);
        // Pushed in reverse so that the first file is expanded first.
        for (auto it = docs.rbegin(); it != docs.rend(); ++it) {
            if (on_stack(stack, it->first)) continue;  // a cycle: nginx -t reports it
            stack.push_back({enabled_children(it->first->root()), 0, it->second, it->first});
        }
    }
    return out;
}

namespace {

server_model make_server(const context& ctx, const directive& server, const fs::path& file) {
    server_model s{server, file, expand(ctx, server.body(), file), {}};
    for (const auto& p : s.contents.directives) {
        if (p.d.name() == "location" && p.d.body()) s.locations.push_back(p);
    }
    return s;
}

bool is_main(const directive& loc, app_kind kind, bool first_prefix) {
    if (kind == app_kind::subdomain) return loc.arg_count() == 1 && loc.arg(0) == "/";
    return first_prefix;
}

// The matches of the locations the conf's .sample ships without an SSO provider's line;
// nullopt when there is no readable .sample.
std::optional<std::vector<std::string>> shipped_open_matches(const context& ctx, const fs::path& conf) {
    fs::path sample = conf;
    sample += ".sample";
    if (!on_disk(sample)) return std::nullopt;
    std::optional<document> doc;
    try {
        doc.emplace(parse_file(sample, ctx.parse));
    } catch (const ngxconf::error&) {
        return std::nullopt;
    }
    std::vector<std::string> open;
    for (const auto& loc : locations_in(doc->root())) {
        bool carries = false;
        // Basic-auth lines alone do not count: SWAG offers them on endpoints it leaves open
        // to SSO (Prometheus' /-/reload ...).
        for (const auto& row : provider_table()) {
            if (row.id == provider::basic) continue;
            carries = carries || !lines_in(loc.body(), row.id, level::location, ctx.container_root()).empty();
        }
        if (!carries) open.push_back(location_match(loc));
    }
    return open;
}

void add_locations(conf_model& m, const block& scope, std::size_t server,
                   const std::optional<std::vector<std::string>>& shipped_open) {
    bool seen_prefix = false;
    for (const auto& loc : locations_in(scope)) {
        if (!named_location(loc).empty()) continue;  // reached only by error_page / try_files
        const bool prefix = loc.arg_count() == 1 ? !loc.arg(0).starts_with('~') && !loc.arg(0).starts_with('=')
                                                 : loc.arg_count() == 2 && loc.arg(0) == "^~";
        location_model l;
        l.loc = loc;
        l.server = server;
        l.passes = proxies(loc);
        l.shipped_open = shipped_open && std::find(shipped_open->begin(), shipped_open->end(),
                                                   location_match(loc)) != shipped_open->end();
        // A subfolder app's main location is its first top-level prefix location that passes
        // requests on (`location /sonarr { return 301 ...; }` only redirects).
        const bool candidate = prefix && l.passes && ancestors(loc).empty();
        l.main = is_main(loc, m.conf.kind, candidate && !seen_prefix);
        seen_prefix = seen_prefix || candidate;
        m.locations.push_back(std::move(l));
    }
}

// A subfolder conf the session created (an activated .sample) is not on disk for the glob
// of default.conf yet: its locations join the server as nginx will see them after the save.
void join_pending(conf_model& m) {
    if (m.servers.empty()) return;
    auto& locs = m.servers.front().locations;
    for (const auto& l : m.locations) {
        if (!ancestors(l.loc).empty()) continue;
        const bool present = std::any_of(locs.begin(), locs.end(), [&](const placed& p) { return p.d == l.loc; });
        if (!present) locs.push_back({l.loc, m.conf.path});
    }
}

void build_subfolder(const context& ctx, conf_model& m) {
    document* dc = nullptr;
    try {
        dc = ctx.existing(ctx.default_conf());
    } catch (const ngxconf::error& e) {
        m.problems.push_back(make_diag(severity::error, diag_code::swag_unreadable,
                                       "unreadable: " + error_words(e),
                                       ctx.default_conf(), e.where().begin.line));
    }
    if (dc) {
        for (const auto& s : subfolder_servers(*dc)) m.servers.push_back(make_server(ctx, s, ctx.default_conf()));
    }
    add_locations(m, m.doc->root(), 0, shipped_open_matches(ctx, m.conf.path));
    join_pending(m);
}

}  // namespace

conf_model model_of(const context& ctx, const app_conf& conf, document& doc) {
    conf_model m;
    m.conf = conf;
    m.doc = &doc;
    if (conf.kind == app_kind::subfolder) {
        build_subfolder(ctx, m);
    } else {
        const auto shipped_open = shipped_open_matches(ctx, conf.path);
        for (const auto& s : servers_of(doc)) {
            m.servers.push_back(make_server(ctx, s, conf.path));
            add_locations(m, s.body(), m.servers.size() - 1, shipped_open);
        }
    }
    for (auto& l : m.locations) evaluate(ctx, m, l);
    return m;
}

}  // namespace ngxconf::swag::detail
