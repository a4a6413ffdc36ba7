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
#include "ngxconf/save.hpp"
#include "ngxconf/workspace.hpp"

namespace ngxconf::swag {

enum class provider : std::uint8_t { authentik, authelia, ldap, tinyauth, basic };
[[nodiscard]] std::string_view name_of(provider p) noexcept;
[[nodiscard]] std::optional<provider> provider_named(std::string_view name) noexcept;

// Where the SWAG nginx tree is: ROOT is /config/nginx inside the container. Confs name
// files by their container path (/config/nginx/...); `container_root` maps them to `root`.
struct layout {
    std::filesystem::path root;
    std::string container_root = "/config/nginx";

    // --root, else $NGXAUTH_ROOT, else the first of /config/nginx and
    // /docker/swag/config/nginx that holds proxy-confs/; throws swag::error(root_not_found)
    // naming every place it looked.
    [[nodiscard]] static layout detect(const std::optional<std::filesystem::path>& explicit_root);
};

enum class app_kind : std::uint8_t { subdomain, subfolder };

// A domain failure the user can act on; `suggestions` carries close app names etc.
class error : public ngxconf::error {
public:
    enum class kind : std::uint8_t {
        root_not_found,
        app_not_found,         // suggestions: close matches; sample_only: only .sample exists
        invalid_app_name,      // '/', "..", empty: nothing outside ROOT is touched
        other_provider_enabled,// protect without --replace
        no_auth_lines,         // the conf has no commented line to enable (use insert)
        invalid_target,        // switch-upstream: not a hostname / IP / URL
        authentik_files_missing,
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
// read (0 for a new file).
struct change {
    std::filesystem::path file;
    std::uint32_t line = 0;
    std::string what;    // "enable", "disable", "set", "insert", "create", "activate"
    std::string before;  // the line's text before ("" for inserts)
    std::string after;   // and after ("" for removals)
};

struct report {
    std::vector<change> changes;
    std::vector<std::string> notes;  // "already protected", "location ~ /api left open on purpose"
    [[nodiscard]] bool changed() const noexcept { return !changes.empty(); }
};

struct protect_options {
    provider with = provider::authentik;
    bool replace = false;      // disable another enabled provider instead of refusing
    bool insert = false;       // add the auth lines where the conf has none
    bool from_sample = false;  // activate APP.subdomain.conf from its .sample first
};

// A switch-upstream target: `authentik-outpost`, `10.0.0.5`, `[fd00::5]`, or a URL such as
// `https://outpost.example.com:9443`. scheme/port default to those of the URL, else
// to the current ones of the file.
struct upstream_target {
    std::string host;
    std::optional<std::string> scheme;  // "http" or "https"
    std::optional<std::uint16_t> port;
    // Parses and validates (hostname labels, IPv4, bracketed IPv6, URL); throws
    // swag::error(invalid_target).
    [[nodiscard]] static upstream_target parse(std::string_view text);
};

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
    std::vector<std::string> problems;    // "two providers", "half-enabled", "version differs"
};

struct finding {
    enum class level : std::uint8_t { ok, info, warning, error } severity = level::info;
    std::string message;
    std::filesystem::path file;
    std::uint32_t line = 0;
};

class session {
public:
    explicit session(layout where, parse_options opts = {});

    report protect(std::string_view app, const protect_options& opts = {});
    // The exact reverse of protect: the app's conf comes back byte-identical. For a subfolder
    // app the shared server-level line of site-confs/default.conf is disabled only when no
    // other subfolder app still needs it.
    report unprotect(std::string_view app, provider with = provider::authentik);
    // Rewrites every `set $upstream_authentik ...;` and the scheme/port of the
    // `proxy_pass http://$upstream_authentik:9000...` lines of authentik-server.conf (paths
    // kept); when moving to https/9443 also the $upstream_proto/$upstream_port of the conf
    // serving Authentik itself when its $upstream_app is the target host.
    report switch_upstream(const upstream_target& target);
    report generate_auth_subdomain(const gen_options& opts = {});

    [[nodiscard]] std::vector<app_status> status();
    [[nodiscard]] std::vector<finding> doctor();

    // Pending edits of all operations so far.
    [[nodiscard]] std::string diff() const;
    [[nodiscard]] std::vector<file_change> pending_changes() const;
    transaction_result save(const transaction_options& opts);
    [[nodiscard]] const layout& where() const noexcept;
    [[nodiscard]] workspace& files() noexcept;

private:
    layout layout_;
    workspace ws_;
};

}  // namespace ngxconf::swag
