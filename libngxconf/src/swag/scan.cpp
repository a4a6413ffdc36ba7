// The shape of a proxy-conf (servers, locations, what they do) and report helpers.
#include <algorithm>
#include <array>

#include "detail.hpp"

namespace ngxconf::swag::detail {
namespace {

bool is_pass(std::string_view name) {
    static constexpr std::array<std::string_view, 6> passes = {
        "proxy_pass", "grpc_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "memcached_pass"};
    return std::find(passes.begin(), passes.end(), name) != passes.end();
}

bool proxies_in(const block& b) {
    for (const node n : b) {
        const directive d = n.as_directive();
        if (!d || !d.enabled()) continue;
        if (is_pass(d.name())) return true;
        if (d.name() == "location") continue;  // a nested location is judged on its own
        if (const block inner = d.body(); inner && proxies_in(inner)) return true;
    }
    return false;
}

// Words of a location's match that mark an endpoint SWAG leaves open on purpose: clients
// that cannot follow a login redirect (apps, feeds, e-readers, webhooks, git LFS) or that
// carry their own tokens (APIs, RPC, sockets). Found by reading the proxy locations of the
// shipped confs that have no auth line. A conf with a .sample is also judged by its sample
// (model.cpp), which covers SWAG's rarer open endpoints (/control, /getnzb, ...) without
// opening generic words such as "download" or "hub" in confs written by hand.
constexpr std::array<std::string_view, 20> open_words = {
    "api",   "metrics", "rpc",  "jsonrpc", "xmlrpc", "graphql", "rest",   "socket", "websocket",
    "websockify", "rss", "opds", "kobo", "webhook", "webhooks", "public", "share", "health",
    "lfs", "swagger"};
constexpr std::array<std::string_view, 3> open_parts = {".well-known", "dns-query", "/outpost."};

}  // namespace

bool on_disk(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

bool dangling_symlink(const fs::path& path) {
    std::error_code ec;
    return fs::is_symlink(path, ec) && !fs::exists(path, ec);
}

document* context::existing(const fs::path& path) const {
    if (document* d = ws.find(path)) return d;
    if (!on_disk(path)) return nullptr;
    return &ws.open(path);
}

bool context::exists(const fs::path& path) const {
    return ws.find(path) != nullptr || on_disk(path);
}

std::vector<directive> servers_of(document& doc) {
    return find_all(doc.root(), "server");
}

std::vector<directive> locations_in(const block& scope) {
    std::vector<directive> out;
    for (const auto& d : find_all(scope, "location", {.recursive = true})) {
        if (d.body()) out.push_back(d);
    }
    return out;
}

directive server_of(const node& n) {
    for (const auto& a : ancestors(n)) {
        if (a.name() == "server" && a.enabled()) return a;
    }
    return {};
}

std::vector<directive> subfolder_servers(document& default_conf) {
    std::vector<directive> out;
    for (const auto& s : servers_of(default_conf)) {
        for (const auto& inc : find_all(s.body(), "include")) {
            if (inc.arg_count() == 1 && inc.arg(0).ends_with(".subfolder.conf")) {
                out.push_back(s);
                break;
            }
        }
    }
    return out;
}

std::string location_match(const directive& loc) {
    std::string out;
    for (std::size_t i = 0; i < loc.arg_count(); ++i) {
        if (i) out += ' ';
        out += loc.raw_arg(i);
    }
    return out;
}

std::string describe_location(const directive& loc) {
    std::string out = "location " + location_match(loc);
    if (const auto line = line_of(loc)) out += " (line " + std::to_string(line) + ")";
    return out;
}

bool proxies(const directive& loc) {
    const block b = loc.body();
    return b && proxies_in(b);
}

bool redirect_only(const directive& loc) {
    const block b = loc.body();
    if (!b) return false;
    bool any = false;
    for (const node n : b) {
        const directive d = n.as_directive();
        if (!d || !d.enabled()) continue;
        if (d.name() != "return" && d.name() != "rewrite") return false;
        any = true;
    }
    return any;
}

bool open_on_purpose(const directive& loc) {
    const std::string match = lower(location_match(loc));
    for (const auto part : open_parts) {
        if (match.find(part) != std::string::npos) return true;
    }
    std::string word;
    const auto word_is_open = [&] {
        return !word.empty() && std::find(open_words.begin(), open_words.end(), word) != open_words.end();
    };
    for (const char c : match) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            word += c;
            continue;
        }
        if (word_is_open()) return true;
        word.clear();
    }
    return word_is_open();
}

std::string version_line(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (line.starts_with("## Version")) return std::string(line);
        pos = end + 1;
    }
    return {};
}

std::string version_date(std::string_view line) {
    if (!line.starts_with("## Version")) return {};
    line.remove_prefix(10);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    const auto end = line.find_first_of(" \t");
    return std::string(line.substr(0, end));
}

std::string line_text(const node& n) {
    std::string s = n.text();
    if (s.ends_with('\n')) s.pop_back();
    if (s.ends_with('\r')) s.pop_back();
    return s;
}

std::uint32_t line_of(const node& n) { return n.position().line; }

std::optional<change> toggle(const fs::path& file, const directive& d, bool on) {
    std::string before = line_text(d);
    const auto status = on ? enable_at_block_indent(d) : set_enabled(d, false);
    if (status == toggle_status::unchanged) return std::nullopt;
    if (status != toggle_status::changed) {
        throw error(diag_code::swag_cannot_toggle,
                    std::string("cannot ") + (on ? "enable" : "disable") + " \"" + before +
                        "\": " + std::string(to_string(status)),
                    {}, d.region());
    }
    return change{file, line_of(d), on ? change_kind::enable : change_kind::disable,
                  std::move(before), line_text(d)};
}

change inserted(const fs::path& file, std::uint32_t anchor_line, const directive& d) {
    return change{file, anchor_line, change_kind::insert, "", line_text(d)};
}

std::vector<change> insert_lines(const fs::path& file, const block& scope, provider p, level l,
                                 std::string_view container_root) {
    node anchor;
    insert_at where = insert_at::after;
    for (const node n : scope) {
        if (const comment c = n.as_comment(); c && is_enable_comment(c, p)) {
            anchor = n;
            break;
        }
    }
    // Without SWAG's comment the new lines get it too, as in the samples.
    const bool with_comment = !anchor;
    if (!anchor) {
        for (const node n : scope) {
            const directive d = n.as_directive();
            if (!d || d.in_commented_block()) continue;
            for (const auto& row : provider_table()) {
                if (is_line(d, row.id, l, container_root)) anchor = n;
            }
        }
    }
    // Where SWAG's samples have the server-level lines: after client_max_body_size.
    if (!anchor && l == level::server) {
        for (const node n : scope) {
            const directive d = n.as_directive();
            if (d && d.enabled() && d.name() == "client_max_body_size") anchor = n;
        }
    }
    std::uint32_t anchor_line = 0;
    if (anchor) {
        anchor_line = line_of(anchor);
    } else {
        anchor = scope;
        where = insert_at::first_child;
        if (const directive owner = scope.owner_directive()) anchor_line = line_of(owner);
    }
    if (with_comment) {
        anchor = insert_comment(anchor, where, enable_comment_text(p, l));
        where = insert_at::after;
    }
    std::vector<change> out;
    for (const auto& spec : lines_to_insert(p, l, container_root)) {
        const directive d = insert_directive(anchor, where, spec.name, spec.args);
        out.push_back(inserted(file, anchor_line, d));
        anchor = d;
        where = insert_at::after;
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

source_region region_of(const fs::path& file, std::uint32_t line) {
    source_region r;
    r.file = file.string();
    r.begin.line = line;
    r.end.line = line;
    return r;
}

diagnostic make_diag(severity level, diag_code code, std::string message, const fs::path& file,
                     std::uint32_t line) {
    diagnostic d;
    d.level = level;
    d.code = code;
    d.message = std::move(message);
    d.where = region_of(file, line);
    return d;
}

std::string file_label(const context& ctx, const fs::path& p) {
    const fs::path rel = p.lexically_relative(ctx.where.root);
    if (!rel.empty() && !rel.string().starts_with("..")) return rel.string();
    return p.string();
}

}  // namespace ngxconf::swag::detail
