#pragma once
// nginx's generic directive check (ngx_conf_handler in src/core/ngx_conf_file.c) without
// nginx: is each directive known, allowed in its context, given a number of arguments its
// rule accepts, and written with `;` or `{` as it must be. The answers come from tables
// generated from nginx's own source (scripts/gen_directive_table.py): every ngx_command_t
// of nginx 1.22.1 and 1.26.3 and of the third-party modules Debian packages (lua, ndk,
// set-misc, headers-more, brotli, echo, dav-ext, geoip2, fancyindex, subs-filter,
// upstream-fair).
//
// Out of scope, as in nginx they are decided inside a directive's own handler: invalid
// values ("invalid value", "host not found"), duplicates ("is duplicate"), `if` conditions,
// missing files, unknown variables, and everything inside bodies a handler reads itself
// (map, geo, types, split_clients, charset_map, *_by_lua_block).
//
// Codes (diagnostic.hpp), messages in nginx's words, `where` at nginx's line (the line of the
// `;` or `{` that ends the directive), severity error:
//   directive.unknown           unknown directive "x"
//   directive.not_allowed       "x" directive is not allowed here
//   directive.invalid_args      invalid number of arguments in "x" directive
//   directive.no_opening_brace  directive "x" has no opening "{"
//   directive.not_terminated    directive "x" is not terminated by ";"
// nginx stops at its first error; check() goes on and reports every directive, skipping the
// body of a block whose own check failed (its context is unknown).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/diagnostic.hpp"
#include "ngxconf/document.hpp"
#include "ngxconf/export.hpp"

namespace ngxconf {

class workspace;

enum class nginx_version : std::uint8_t { v1_22, v1_26 };
// The newest table (what SWAG's current image runs is closest to it).
inline constexpr nginx_version newest_nginx_version = nginx_version::v1_26;
// "1.22", "1.26"; and back (also "1.22.1", "1.26.3").
[[nodiscard]] NGXCONF_API std::string_view to_string(nginx_version v) noexcept;
[[nodiscard]] NGXCONF_API std::optional<nginx_version> nginx_version_named(std::string_view s) noexcept;

// Where a file's directives are read: nginx's cf->module_type and cf->cmd_type.
enum class check_context : std::uint8_t {
    main, events, http, http_server, http_location, http_upstream,
    http_if_server, http_if_location, http_limit_except,
    stream, stream_server, stream_upstream, mail, mail_server,
};
// "main", "events", "http", "server" (http's), "location", "upstream" (http's), "if"
// (in a location), "limit_except", "stream", "stream_server", "stream_upstream", "mail",
// "mail_server"; the enumerator names are accepted too.
[[nodiscard]] NGXCONF_API std::string_view to_string(check_context c) noexcept;
[[nodiscard]] NGXCONF_API std::optional<check_context> check_context_named(std::string_view s) noexcept;

struct check_options {
    nginx_version version = newest_nginx_version;
    // A SWAG proxy-conf is read at http level, authentik-location.conf inside a location.
    check_context context = check_context::main;
    // The modules nginx has: module names ("http_lua", "http_v2", "stream_core") or source
    // groups ("nginx", "http-lua", "http-headers-more-filter"); "-NAME" takes one away
    // ({"nginx", "-stream", "-stream_*"}); a trailing '*' matches any name it begins.
    // Empty: every module of the table.
    std::vector<std::string> modules;
};

// One document alone: an include is checked as a directive, its files are not read.
[[nodiscard]] NGXCONF_API std::vector<diagnostic> check(const document& doc,
                                                        const check_options& options = {});
// `root` and what its includes pull in through the workspace: an included file's directives
// are checked in the context of the include line (a file included twice in one context is
// checked once; included files that are not loaded are skipped: the workspace reports them).
[[nodiscard]] NGXCONF_API std::vector<diagnostic> check(workspace& ws, const document& root,
                                                        const check_options& options = {});

// The table behind a version, for tools and documentation.
struct directive_info {
    std::string_view name;
    std::string_view module;      // "http_proxy"
    std::string_view source;      // "nginx", "http-lua", ...
    std::uint32_t type = 0;       // ngx_command_t's type mask, as nginx's source computes it
};
[[nodiscard]] NGXCONF_API std::vector<directive_info> directive_table(nginx_version v);

}  // namespace ngxconf
