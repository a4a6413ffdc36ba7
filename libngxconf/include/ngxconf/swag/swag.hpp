#pragma once
// ngxconf::swag — SWAG (linuxserver/swag) and Authentik knowledge, on top of the generic
// library. Every operation edits documents of a workspace and returns a report of what it
// changed (file, line, before, after); nothing is written until session::save(), and
// nothing here prints. The ngxauth CLI is a thin layer over this header.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/error.hpp"
#include "ngxconf/export.hpp"
#include "ngxconf/save.hpp"
#include "ngxconf/workspace.hpp"

namespace ngxconf::swag {

enum class provider : std::uint8_t { authentik, authelia, ldap, tinyauth, basic };
[[nodiscard]] NGXCONF_SWAG_API std::string_view name_of(provider p) noexcept;
[[nodiscard]] NGXCONF_SWAG_API std::optional<provider> provider_named(
    std::string_view name) noexcept;

// Where the SWAG nginx tree is: ROOT is /config/nginx inside the container. Confs name
// files by their container path (/config/nginx/...); `container_root` maps them to `root`.
struct NGXCONF_SWAG_API layout {
    std::filesystem::path root;
    std::string container_root = "/config/nginx";

    // --root, else $NGXAUTH_ROOT, else the first of /config/nginx and
    // /docker/swag/config/nginx that holds proxy-confs/; throws swag::error(root_not_found)
    // naming every place it looked and why it was refused. A --root or $NGXAUTH_ROOT that is
    // not a SWAG folder is an error (the defaults are not tried then). `root` comes back
    // absolute and lexically normal.
    [[nodiscard]] static layout detect(const std::optional<std::filesystem::path>& explicit_root);
};

enum class app_kind : std::uint8_t { subdomain, subfolder };

// A domain failure the user can act on. `suggestions` carries close app names for
// app_not_found, and for the other kinds hints on what to do ("copy authentik-server.conf.sample
// to authentik-server.conf"). Every error is thrown before the first edit of the operation:
// the session's documents are as they were.
class NGXCONF_SWAG_API error : public ngxconf::error {
public:
    enum class kind : std::uint8_t {
        root_not_found,
        app_not_found,         // suggestions: close matches; sample_only: only .sample exists
        invalid_app_name,      // '/', "..", empty: nothing outside ROOT is touched
        other_provider_enabled,// protect without --replace
        no_auth_lines,         // the conf has no commented line to enable (use insert); also:
                               // site-confs/default.conf missing or without the subfolder
                               // server block, a location-level line in a server block
                               // without the server-level one, half of basic auth, a conf
                               // with no location to protect, the provider's own portal
        invalid_target,        // switch-upstream: not a hostname / IP / URL; gen: bad options
        authentik_files_missing,// protect: the provider's -server/-location.conf missing;
                               // switch-upstream: authentik-server.conf missing or without
                               // any `set $upstream_authentik` / proxy_pass to switch
        would_overwrite,       // gen: a different file exists (use force)
    };
    error(kind k, std::string message, std::vector<std::string> suggestions = {},
          source_region where = {});
    [[nodiscard]] kind what_kind() const noexcept { return kind_; }
    [[nodiscard]] const std::vector<std::string>& suggestions() const noexcept { return suggestions_; }
    bool sample_only = false;

private:
    kind kind_;
    std::vector<std::string> suggestions_;
};

// One edit, for --dry-run output and summaries. `line` is 1-based in the file as it was
// read: the edited line; for "insert" the line the new one follows (the block's opening
// line when it goes first); 0 for a whole file ("create", "activate", "set" by gen --force)
// and for lines created earlier in the session. `before`/`after` are the line's text without
// its line end.
struct change {
    std::filesystem::path file;
    std::uint32_t line = 0;
    std::string what;    // "enable", "disable", "set", "insert", "create", "activate",
                         // "remove" (unprotect taking out a line this session inserted)
    std::string before;  // the line's text before ("" for inserts)
    std::string after;   // and after ("" for removals; "copy of X.sample" for "activate")
};

struct report {
    std::vector<change> changes;
    // "already protected by authentik: proxy-confs/x.subdomain.conf", "not protected by ...",
    // "proxy-confs/x.subdomain.conf: left open on purpose (no authentik line): location ~
    // (/x)?/api (line 58)", "site-confs/default.conf keeps authentik-server.conf on: still used
    // by y.subfolder.conf", "... is already up to date"
    std::vector<std::string> notes;
    [[nodiscard]] bool changed() const noexcept { return !changes.empty(); }
};

struct protect_options {
    provider with = provider::authentik;
    bool replace = false;      // disable another enabled provider instead of refusing
    // Add the auth lines where the conf has none: server-level in each server block (for a
    // subfolder app in default.conf), location-level in each location that passes requests
    // on (proxy_pass, grpc_pass, ...) and is not an endpoint SWAG leaves open on purpose
    // (api, .well-known, dns-query, metrics, rpc, socket, rss, ... in its match). Each line
    // goes after the provider's "# enable for ..." comment, else after the last auth line of
    // the block, else first in the block. Never into the conf serving the provider itself.
    bool insert = false;
    // Activate APP.subdomain.conf (else APP.subfolder.conf) from its .sample first.
    bool from_sample = false;
};

// A switch-upstream target: `authentik-outpost`, `10.0.0.5`, `[fd00::5]`, or a URL such as
// `https://outpost.example.com:9443` (no path, query, user or fragment). scheme/port default
// to those of the URL, else to the current ones of each proxy_pass line. Hostnames follow
// RFC 1123 labels, with '_' also allowed (Docker container names); `host` keeps the brackets
// of an IPv6 address.
struct NGXCONF_SWAG_API upstream_target {
    std::string host;
    std::optional<std::string> scheme;  // "http" or "https"
    std::optional<std::uint16_t> port;
    // Parses and validates (hostname labels, IPv4, bracketed IPv6, URL); throws
    // swag::error(invalid_target).
    [[nodiscard]] static upstream_target parse(std::string_view text);
};

// generate_auth_subdomain writes proxy-confs/SUBDOMAIN.subdomain.conf; every value is
// checked (hostname label, host, http/https, port 1-65535) and throws invalid_target.
struct gen_options {
    std::string subdomain = "auth";
    std::string upstream = "authentik-server";
    std::uint16_t port = 9000;
    std::string scheme = "http";
    bool force = false;  // overwrite a different existing file
};

// The state of one proxy-conf, for `status`.
struct location_state {
    std::string match;        // "/", "~ (/radarr)?/api", ...
    std::uint32_t line = 0;
    bool has_line = false;    // carries the provider's location-level line (commented or not)
    bool enabled = false;
};
struct app_status {
    std::string app;
    app_kind kind = app_kind::subdomain;
    std::filesystem::path file;
    std::vector<provider> server_level;   // providers whose server-level line is enabled
    std::vector<provider> location_level; // providers enabled in at least one location
    std::vector<location_state> locations;// for authentik
    bool protected_ = false;              // authentik server+every carrying location on
    // Each starts with its kind: "two providers enabled: ...", "half-enabled (broken): ..."
    // (location-level on, server-level off), "half-enabled: basic auth ...", "not protected:
    // ..." (server-level on, a carrying location off), "authentik files missing: ...",
    // "version differs from its .sample: ...", "unreadable: ..." (parse error).
    std::vector<std::string> problems;
};

struct finding {
    enum class level : std::uint8_t { ok, info, warning, error } severity = level::info;
    std::string message;
    std::filesystem::path file;
    std::uint32_t line = 0;
};

class NGXCONF_SWAG_API session {
public:
    explicit session(layout where, parse_options opts = {});

    // Turns on the provider's commented lines of APP: the server-level one in every server
    // block (subdomain) or in site-confs/default.conf (subfolder), the location-level one in
    // each location that carries it. `app` is a proxy-conf name ("radarr"), optionally with
    // its kind ("radarr.subdomain", "radarr.subfolder.conf"); an app active both ways is
    // protected in both confs (one of them without lines is then only a note). Idempotent.
    report protect(std::string_view app, const protect_options& opts = {});
    // The exact reverse of protect: the app's conf comes back byte-identical. For a subfolder
    // app the shared server-level line of site-confs/default.conf is disabled only when no
    // other active subfolder app (nor a location of default.conf itself) still needs it.
    // Lines protect inserted in this session are removed; inserted in an earlier session,
    // they are commented out like the shipped ones.
    report unprotect(std::string_view app, provider with = provider::authentik);
    // Rewrites every `set $upstream_authentik ...;` and the scheme/port of the
    // `proxy_pass http://$upstream_authentik:9000...` lines of authentik-server.conf (paths
    // kept). When the target gives a scheme and/or port (https/9443 for Authentik 2026.8+),
    // also the $upstream_proto/$upstream_port of the conf serving Authentik itself
    // (auth/authentik.subdomain.conf, or one gen wrote) in the locations whose $upstream_app
    // is the target host; another host (an outpost) leaves that conf alone, with a note.
    report switch_upstream(const upstream_target& target);
    report generate_auth_subdomain(const gen_options& opts = {});

    // Every active proxy-conf (*.subdomain.conf, *.subfolder.conf; not .sample), by name.
    [[nodiscard]] std::vector<app_status> status();
    // Authentik files, upstream values and their agreement, the conf serving Authentik,
    // each app's problems, includes under container_root that do not resolve, http/9000
    // (Authentik 2026.8+), remote https without SNI / Host header.
    [[nodiscard]] std::vector<finding> doctor();

    // Pending edits of all operations so far.
    [[nodiscard]] std::string diff() const;
    [[nodiscard]] std::vector<file_change> pending_changes() const;
    transaction_result save(const transaction_options& opts);
    [[nodiscard]] const layout& where() const noexcept;
    [[nodiscard]] workspace& files() noexcept;

private:
    layout layout_;
    parse_options parse_;  // for documents made outside the workspace (activated samples)
    workspace ws_;
};

}  // namespace ngxconf::swag
