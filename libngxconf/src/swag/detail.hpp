#pragma once
// Internals of ngxconf::swag shared by its sources: the provider table, the session context
// (layout + workspace), app lookup, the shape of a proxy-conf, and report helpers.
#include <ngxconf/document.hpp>
#include <ngxconf/edit.hpp>
#include <ngxconf/node.hpp>
#include <ngxconf/query.hpp>
#include <ngxconf/swag/swag.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ngxconf::swag::detail {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- providers (providers.cpp)

// Server-level lines sit directly in a server block (subdomain confs) or in the main server
// block of site-confs/default.conf (subfolder confs); location-level lines directly in a
// location block.
enum class level : std::uint8_t { server, location };

struct provider_info {
    provider id;
    std::string_view name;           // "authentik": what provider_named() accepts
    std::string_view comment_word;   // "authentik" in "# enable for Authentik (...)"
    std::string_view server_file;    // "authentik-server.conf"; empty for basic auth
    std::string_view location_file;  // "authentik-location.conf"; empty for basic auth
    std::string_view comment_label;  // "Authentik", "ldap auth": as SWAG's comments spell it
};

[[nodiscard]] std::span<const provider_info> provider_table() noexcept;
[[nodiscard]] const provider_info& info(provider p) noexcept;

// Whether `d` (enabled or commented out) is one of p's lines at that level. Names and paths
// are matched exactly: `#uth_basic` is not basic auth, `/config/nginx/authentik-server.conf.bak`
// is not authentik. `container_root` is the folder the include paths start with.
[[nodiscard]] bool is_line(const directive& d, provider p, level l,
                           std::string_view container_root);
// Whether such a line is on: enabled, and for `auth_basic` not `off`.
[[nodiscard]] bool line_on(const directive& d);
// The lines of p at that level directly in `scope` (commented-out ones too, but never those of
// a commented-out block such as `#location / { ... #}`), in document order.
[[nodiscard]] std::vector<directive> lines_in(const block& scope, provider p, level l,
                                              std::string_view container_root);
// The directives protect --insert writes for p at that level: {name, args} pairs.
struct line_spec {
    std::string name;
    std::vector<std::string> args;
};
[[nodiscard]] std::vector<line_spec> lines_to_insert(provider p, level l,
                                                     std::string_view container_root);
// Whether a whole-line comment is p's "# enable for ..." comment (SWAG's wording).
[[nodiscard]] bool is_enable_comment(const comment& c, provider p);
// SWAG's comment above p's line at that level, as its samples word it: "# enable for Authentik
// (requires authentik-location.conf in the location block)", "# enable the next two lines for
// http auth".
[[nodiscard]] std::string enable_comment_text(provider p, level l);
// "/config/nginx/authentik-server.conf" for p at that level (empty for basic auth).
[[nodiscard]] std::string include_path(provider p, level l, std::string_view container_root);

// ---------------------------------------------------------------- session context

struct context {
    const layout& where;
    workspace& ws;
    const parse_options& parse;

    [[nodiscard]] fs::path proxy_confs() const { return where.root / "proxy-confs"; }
    [[nodiscard]] fs::path default_conf() const { return where.root / "site-confs" / "default.conf"; }
    [[nodiscard]] fs::path root_file(std::string_view name) const { return where.root / name; }
    [[nodiscard]] std::string_view container_root() const { return where.container_root; }

    // The document of an existing file: loaded already (or created in this session), else
    // parsed from disk; nullptr when there is no such file. Parse errors throw.
    [[nodiscard]] document* existing(const fs::path& path) const;
    // Whether the file exists on disk or was created in this session.
    [[nodiscard]] bool exists(const fs::path& path) const;
};

// Whether a path names a file (or a symlink to one) on disk.
[[nodiscard]] bool on_disk(const fs::path& path);
// Whether a path is a symlink to nothing.
[[nodiscard]] bool dangling_symlink(const fs::path& path);

// ---------------------------------------------------------------- apps (apps.cpp)

struct app_conf {
    std::string app;
    app_kind kind = app_kind::subdomain;
    fs::path path;  // ROOT/proxy-confs/APP.KIND.conf
};

[[nodiscard]] std::string_view kind_suffix(app_kind k) noexcept;  // ".subdomain.conf"
// Throws error(invalid_app_name) for "", names with '/', "..", NUL.
void validate_app_name(std::string_view app);
// What the user typed, without a ".subdomain[.conf]" / ".subfolder[.conf]" tail (which then
// restricts the kind).
struct app_query {
    std::string name;
    std::optional<app_kind> only;
};
[[nodiscard]] app_query parse_app_query(std::string_view app);
// The active confs of an app (subdomain first). Empty when there are none.
[[nodiscard]] std::vector<app_conf> active_confs(const context& ctx, const app_query& q);
// The .sample confs of an app (subdomain first).
[[nodiscard]] std::vector<app_conf> sample_confs(const context& ctx, const app_query& q);
// Every active proxy-conf of the tree (disk and this session), sorted by file name.
[[nodiscard]] std::vector<app_conf> all_active_confs(const context& ctx);
// error(swag_app_not_found) with close matches; swag_sample_only when a .sample exists.
[[noreturn]] void throw_app_not_found(const context& ctx, const app_query& q, bool sample_only,
                                      std::string_view why);
// The subfolder confs (other than `except`) and default.conf locations that use p: while
// any is left, default.conf's server-level line of p must stay on.
[[nodiscard]] std::vector<std::string> subfolder_users(const context& ctx, provider p,
                                                       const fs::path& except);
// ASCII letters in lower case (names, matches and comment words compare case-insensitively).
[[nodiscard]] std::string lower(std::string_view s);
// Whether name a sorts before b as people sort names: digit runs by value ("app2" < "app10"),
// the rest bytewise, a name before its longer extensions ("radarr" < "radarr-4k").
[[nodiscard]] bool natural_less(std::string_view a, std::string_view b);

// ---------------------------------------------------------------- conf shape (scan.cpp)

// The enabled top-level `server` blocks of a document.
[[nodiscard]] std::vector<directive> servers_of(document& doc);
// The enabled `location` blocks below `scope`, at any depth, in document order.
[[nodiscard]] std::vector<directive> locations_in(const block& scope);
// The innermost enclosing enabled `server` block of a node, or null.
[[nodiscard]] directive server_of(const node& n);
// The server blocks of site-confs/default.conf that include proxy-confs/*.subfolder.conf.
[[nodiscard]] std::vector<directive> subfolder_servers(document& default_conf);
// "~ (/radarr)?/api": the location's arguments as written.
[[nodiscard]] std::string location_match(const directive& loc);
// "location ~ (/radarr)?/api (line 58)"
[[nodiscard]] std::string describe_location(const directive& loc);
// An error's own words without its "FILE:LINE:COL: " prefix: the finding that carries it names
// the place already (else the path shows twice).
[[nodiscard]] inline std::string error_words(const ngxconf::error& e) {
    return e.description().empty() ? std::string(e.what()) : std::string(e.description());
}
// Whether a location passes requests on (proxy_pass, grpc_pass, ... enabled, in it or in its
// `if` blocks, not in nested locations).
[[nodiscard]] bool proxies(const directive& loc);
// Whether a location only redirects (its enabled directives are return/rewrite).
[[nodiscard]] bool redirect_only(const directive& loc);
// Whether a location serves an endpoint that SWAG's confs leave open on purpose: an API,
// /.well-known, DNS-over-HTTPS, metrics, RPC, sockets, feeds (see the table in scan.cpp).
[[nodiscard]] bool open_on_purpose(const directive& loc);
// The first `## Version ...` line of a document's source ("" if none).
[[nodiscard]] std::string version_line(std::string_view text);
// "2025/07/18" from "## Version 2025/07/18 - Changelog: ..." ("" if none).
[[nodiscard]] std::string version_date(std::string_view version_line);

// ---------------------------------------------------------------- reports (scan.cpp)

// A node's printed line(s) without the final line end.
[[nodiscard]] std::string line_text(const node& n);
// The 1-based line of a node in the file as read (0 for a node created in this session).
[[nodiscard]] std::uint32_t line_of(const node& n);
// Toggles `d`; returns the change when a byte changed. A line that cannot be toggled alone
// (multi-line, part of a commented-out block) throws ngxconf::error at its position.
std::optional<change> toggle(const fs::path& file, const directive& d, bool on);
// The change record of a directive just inserted after `anchor_line`.
[[nodiscard]] change inserted(const fs::path& file, std::uint32_t anchor_line, const directive& d);
// Inserts p's lines of that level into `scope` where SWAG would have them: after p's
// "# enable for ..." comment, else after the last auth line of that level, else (server
// level) after client_max_body_size, else first.
std::vector<change> insert_lines(const fs::path& file, const block& scope, provider p, level l,
                                 std::string_view container_root);
// "a, b, c"
[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view sep = ", ");
// A diagnostic about a file (line 0: the whole file; an empty path: no file).
[[nodiscard]] diagnostic make_diag(severity level, diag_code code, std::string message,
                                   const fs::path& file = {}, std::uint32_t line = 0);
// A source_region naming a file and, when known, a line.
[[nodiscard]] source_region region_of(const fs::path& file, std::uint32_t line = 0);
// "radarr.subdomain.conf" for reports and notes.
[[nodiscard]] std::string file_label(const context& ctx, const fs::path& p);

// ---------------------------------------------------------------- hosts (target.cpp)

// Why `host` is not a hostname (RFC 1123 labels; '_' allowed for Docker names), an IPv4
// address or a bracketed IPv6 address; nullopt when it is one.
[[nodiscard]] std::optional<std::string> host_problem(std::string_view host);
// A single DNS label: a container on the same Docker network (not "remote").
[[nodiscard]] bool is_container_name(std::string_view host);

// ---------------------------------------------------------------- upstream (upstream.cpp)

// `proxy_pass http://$upstream_authentik:9000/outpost.goauthentik.io/auth/nginx;` in parts.
struct upstream_ref {
    std::string scheme;  // "http"
    std::string var;     // "$upstream_authentik" as written (or "${upstream_authentik}")
    std::string port;    // "9000" ("" when the URL has none)
    std::string suffix;  // "/outpost.goauthentik.io/auth/nginx" (kept)

    [[nodiscard]] std::string url() const {
        return scheme + "://" + var + (port.empty() ? "" : ":" + port) + suffix;
    }
};
// The parts of a proxy_pass argument to $upstream_authentik; nullopt for any other URL.
[[nodiscard]] std::optional<upstream_ref> parse_ref(std::string_view arg);
// An enabled `set VAR value;`.
[[nodiscard]] bool is_set_of(const directive& d, std::string_view var);

// ---------------------------------------------------------------- operations

report protect(context& ctx, std::string_view app, const protect_options& opts);
report unprotect(context& ctx, std::string_view app, provider with);
report switch_upstream(context& ctx, const upstream_target& given);
std::optional<upstream_target> current_upstream(context& ctx);
report generate_auth_subdomain(context& ctx, const gen_options& opts);
std::vector<app_status> status(context& ctx);
std::vector<diagnostic> doctor(context& ctx);

// The proxy-confs that serve Authentik itself (auth/authentik.subdomain.conf, and confs
// generate_auth_subdomain wrote), active ones.
[[nodiscard]] std::vector<app_conf> authentik_serving_confs(const context& ctx);
// The marker comment generate_auth_subdomain writes on the second line.
inline constexpr std::string_view generated_marker = "# generated by ngxauth";

}  // namespace ngxconf::swag::detail
