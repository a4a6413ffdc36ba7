// protect's checks on the model: the provider's files are whole, and after the edits every
// location that must ask for a login does (else --insert adds the missing lines, else the
// edits are taken back and protect refuses).
#include <algorithm>

#include "protect_check.hpp"

namespace ngxconf::swag::detail {
namespace {

std::string provider_word(provider p) { return std::string(name_of(p)); }

error invalid(const context& ctx, const fs::path& file, const std::string& why, source_region where = {}) {
    // The error's place names the file when it has one; else the message does.
    return error(diag_code::swag_provider_file_invalid,
                 (where.file.empty() ? file_label(ctx, file) + " " : std::string()) + why +
                     ": the lines protect turns on would include it, and nginx would refuse the tree "
                     "or let visitors in",
                 {}, std::move(where));
}

document& parsed(const context& ctx, const fs::path& file) {
    try {
        if (document* d = ctx.existing(file)) return *d;
    } catch (const ngxconf::error& e) {
        throw invalid(ctx, file, std::string("does not parse (") + e.what() + ")", e.where());
    }
    throw invalid(ctx, file, "is missing");
}

// The first enabled top-level directive of that name, else null.
directive top_level(document& doc, std::string_view name) { return find_first(doc.root(), name); }

}  // namespace

void require_provider_endpoints(const context& ctx, provider p) {
    if (p == provider::basic) return;
    const auto& row = info(p);
    const fs::path server_file = ctx.root_file(row.server_file);
    const fs::path location_file = ctx.root_file(row.location_file);
    document& server = parsed(ctx, server_file);
    document& location = parsed(ctx, location_file);

    const directive ar = top_level(location, "auth_request");
    if (!ar || ar.arg_count() != 1 || ar.arg(0) == "off") {
        throw invalid(ctx, location_file, "has no auth_request line");
    }
    std::vector<placed> endpoints;
    for (const auto& loc : find_all(server.root(), "location")) endpoints.push_back({loc, server_file});
    if (!pick_location(ar.arg(0), endpoints)) {
        throw invalid(ctx, server_file, "has no location for the auth subrequest " + ar.arg(0));
    }
    for (const auto& e : find_all(location.root(), "error_page")) {
        const std::string target = e.arg_count() ? e.arg(e.arg_count() - 1) : std::string();
        if (!target.starts_with('@')) continue;
        const bool found = std::any_of(endpoints.begin(), endpoints.end(),
                                       [&](const placed& l) { return named_location(l.d) == target; });
        if (!found) throw invalid(ctx, server_file, "has no location " + target + " for error_page 401");
    }
}

workspace_snapshot snapshot(workspace& ws) {
    workspace_snapshot s;
    for (document* d : ws.documents()) s.texts.emplace_back(d->source_name(), to_string(*d));
    return s;
}

void restore(const context& ctx, const workspace_snapshot& s) {
    for (const auto& [path, text] : s.texts) {
        document* d = ctx.ws.find(path);
        if (!d || to_string(*d) == text) continue;
        ctx.ws.replace(path, parse(text, path.string(), ctx.parse));
    }
}

std::vector<change> insert_where_open(const context& ctx, const conf_model& m, provider p) {
    std::vector<change> out;
    std::vector<directive> servers_done;
    for (const auto* l : failing(m)) {
        if (l->state.verdict != location_verdict::open) continue;
        if (m.conf.kind == app_kind::subdomain && p != provider::basic && l->server < m.servers.size()) {
            const directive s = m.servers[l->server].server;
            const auto lines = lines_in(s.body(), p, level::server, ctx.container_root());
            const bool on = std::any_of(lines.begin(), lines.end(), [](const directive& d) { return d.enabled(); });
            if (!on && std::find(servers_done.begin(), servers_done.end(), s) == servers_done.end()) {
                servers_done.push_back(s);
                for (auto& c : insert_lines(m.conf.path, s.body(), p, level::server, ctx.container_root())) {
                    out.push_back(std::move(c));
                }
            }
        }
        const auto own = lines_in(l->loc.body(), p, level::location, ctx.container_root());
        const bool own_on = std::any_of(own.begin(), own.end(), [](const directive& d) { return line_on(d); });
        if (own_on) continue;  // a second include would be a duplicate auth_request
        for (auto& c : insert_lines(m.conf.path, l->loc.body(), p, level::location, ctx.container_root())) {
            out.push_back(std::move(c));
        }
    }
    return out;
}

error refusal(const context& ctx, const std::vector<conf_model>& models, provider p, bool inserted) {
    std::vector<std::string> parts;
    diag_code code = diag_code::none;
    bool any_open = false;
    source_region where;
    for (const auto& m : models) {
        for (const auto* l : failing(m)) {
            parts.push_back(file_label(ctx, m.conf.path) + ": " + describe_failure(*l));
            any_open = any_open || l->state.verdict == location_verdict::open;
            if (code == diag_code::none) {
                code = l->state.reason;
                where = region_of(m.conf.path, l->state.line);
            }
        }
    }
    if (any_open) code = diag_code::swag_location_open;
    std::vector<std::string> hints;
    if (any_open && !inserted) {
        hints.push_back("--insert adds the " + provider_word(p) + " line(s) to each location named");
    }
    if (code == diag_code::swag_user_file_missing) {
        hints.push_back("create the user file first: htpasswd -c FILE USER (inside the container: "
                        "docker exec -it swag htpasswd -c /config/nginx/.htpasswd USER)");
    }
    return error(code,
                 "protecting with " + provider_word(p) + " would leave " +
                     (parts.size() == 1 ? "a location" : std::to_string(parts.size()) + " locations") +
                     " without a working login: " + join(parts, "; ") + "; nothing was changed",
                 std::move(hints), std::move(where));
}

}  // namespace ngxconf::swag::detail
