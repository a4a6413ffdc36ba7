#pragma once
// The one way the library and its layers tell a caller something: a diagnostic with a stable
// code. Parse errors (the exceptions of error.hpp), validate() advice, include problems of a
// workspace, SWAG status problems, doctor findings and report notes all carry a `code` from
// the table below; callers decide on codes, never on message text, which may be reworded.
//
// Stability: a code's number and name never change once released; new codes are appended
// within their group. The names are what JSON output carries ("code": "include.missing").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/export.hpp"
#include "ngxconf/source.hpp"

namespace ngxconf {

enum class severity : std::uint8_t {
    ok,       // a check that passed (doctor lists what it verified)
    info,     // worth knowing, nothing to do
    warning,  // probably not what was meant; nginx accepts it
    error,    // nginx rejects it, or it defeats its purpose (an app left open)
};
[[nodiscard]] NGXCONF_API std::string_view to_string(severity s) noexcept;

// The codes, grouped by layer; numbers 0-15 are the parse and I/O codes that error::code()
// has always returned (error_code is the same type).
enum class diag_code : std::uint16_t {
    none = 0,
    // syntax: nginx 1.22's own structural errors (parse_error)
    unexpected_character = 1,      // syntax.unexpected_character   unexpected "X" after a quote
    unexpected_semicolon = 2,      // syntax.unexpected_semicolon   unexpected ";"
    unexpected_open_brace = 3,     // syntax.unexpected_open_brace  unexpected "{"
    unexpected_close_brace = 4,    // syntax.unexpected_close_brace unexpected "}"
    eof_expecting_terminator = 5,  // syntax.eof_expecting_terminator
    eof_expecting_close = 6,       // syntax.eof_expecting_close
    too_long_parameter = 7,        // syntax.too_long_parameter     nginx's 4096-byte buffer
    eof_in_lua_block = 8,          // syntax.eof_in_lua_block
    nesting_too_deep = 9,          // syntax.nesting_too_deep       over parse_options::max_depth
    file_too_large = 10,           // syntax.file_too_large         over 4 GiB
    // io: reading and writing files (io_error)
    io_error = 11,                 // io.error                      read, write, rename failed
    modified_on_disk = 12,         // io.modified_on_disk           changed since it was read
    validation_failed = 13,        // io.validation_failed          the validation command failed
    locked = 14,                   // io.locked                     another run holds the lock
    include_error = 15,            // include.error                 (kept for its number; the
                                   //                               include.* codes below say which)
    interrupted = 16,              // io.interrupted                a signal stopped a transaction
    usage = 17,                    // usage.invalid                 a command line the program refuses
    // lint: validate(), advice on a document that parses
    bom = 100,                     // lint.bom                      UTF-8 BOM read into the first name
    suspicious_disabled_name = 101,// lint.suspicious_disabled_name `#uth_basic`: did you mean ...
    // include: problems of a workspace's included files
    include_missing = 200,         // include.missing               a non-glob include names no file
    include_cycle = 201,           // include.cycle                 already included further up
    include_parse_error = 202,     // include.parse_error           the included file does not parse
    include_io_error = 203,        // include.io_error              it could not be read
    include_too_many_files = 204,  // include.too_many_files        over workspace_options::max_files
    // swag: the SWAG / Authentik layer (ngxconf::swag); numbers 300 and up
    // swag, status problems of an app (app_status::problems)
    swag_two_providers = 300,           // swag.two_providers
    swag_half_protected = 301,          // swag.half_protected
    swag_basic_auth_half = 302,         // swag.basic_auth_half
    swag_not_protected = 303,           // swag.not_protected
    swag_files_missing = 304,           // swag.files_missing
    swag_unreadable = 305,              // swag.unreadable
    swag_version_differs = 306,         // swag.version_differs
    swag_location_open = 307,           // swag.location_open
    swag_auth_endpoint_missing = 308,   // swag.auth_endpoint_missing
    swag_signin_missing = 309,          // swag.signin_missing
    swag_provider_file_invalid = 310,   // swag.provider_file_invalid
    swag_user_file_missing = 311,       // swag.user_file_missing
    // swag, doctor findings
    swag_file_present = 320,            // swag.file_present
    swag_file_missing = 321,            // swag.file_missing
    swag_upstream_host = 322,           // swag.upstream_host
    swag_upstream_unset = 323,          // swag.upstream_unset
    swag_upstream_hosts_disagree = 324, // swag.upstream_hosts_disagree
    swag_upstream_scheme_port = 325,    // swag.upstream_scheme_port
    swag_upstream_ports_disagree = 326, // swag.upstream_ports_disagree
    swag_remote_https_no_sni = 327,     // swag.remote_https_no_sni
    swag_plain_http_upstream = 328,     // swag.plain_http_upstream
    swag_no_serving_conf = 329,         // swag.no_serving_conf
    swag_serving_conf = 330,            // swag.serving_conf
    swag_serving_scheme_differs = 331,  // swag.serving_scheme_differs
    swag_serving_port_differs = 332,    // swag.serving_port_differs
    swag_app_protected = 333,           // swag.app_protected
    swag_include_unresolved = 334,      // swag.include_unresolved
    swag_include_generated = 335,       // swag.include_generated
    swag_includes_resolve = 336,        // swag.includes_resolve
    swag_scheme_port_mismatch = 337,    // swag.scheme_port_mismatch
    swag_directive_table = 338,         // swag.directive_table       which nginx table doctor used
    swag_upstream_literal = 339,        // swag.upstream_literal      proxy_pass to a literal host
    // swag, report notes (report::notes)
    swag_already_protected = 350,       // swag.already_protected
    swag_not_protected_by = 351,        // swag.not_protected_by
    swag_left_open_on_purpose = 352,    // swag.left_open_on_purpose
    swag_default_conf_kept = 353,       // swag.default_conf_kept
    swag_conf_skipped = 354,            // swag.conf_skipped
    swag_foreign_proxy_pass = 355,      // swag.foreign_proxy_pass
    swag_serving_other_host = 356,      // swag.serving_other_host
    swag_also_serves_authentik = 357,   // swag.also_serves_authentik
    swag_up_to_date = 358,              // swag.up_to_date
    swag_overwritten = 359,             // swag.overwritten
    // swag, refusals (swag::error::code())
    swag_root_not_found = 380,          // swag.root_not_found
    swag_app_not_found = 381,           // swag.app_not_found
    swag_sample_only = 382,             // swag.sample_only
    swag_invalid_app_name = 383,        // swag.invalid_app_name
    swag_other_provider_enabled = 384,  // swag.other_provider_enabled
    swag_no_auth_lines = 385,           // swag.no_auth_lines
    swag_invalid_target = 386,          // swag.invalid_target
    swag_provider_files_missing = 387,  // swag.provider_files_missing
    swag_would_overwrite = 388,         // swag.would_overwrite
    swag_cannot_toggle = 389,           // swag.cannot_toggle
    // authentik: ngxauth's Authentik API client (exit 6); numbers 400 and up
    authentik_unreachable = 400,        // authentik.unreachable
    authentik_unauthorized = 401,       // authentik.unauthorized
    authentik_forbidden = 402,          // authentik.forbidden
    authentik_not_authentik = 403,      // authentik.not_authentik
    authentik_tls = 404,                // authentik.tls
    authentik_timeout = 405,            // authentik.timeout
    authentik_server_error = 406,       // authentik.server_error
    authentik_token_missing = 407,      // authentik.token_missing
    authentik_token_file_unsafe = 408,  // authentik.token_file_unsafe
    authentik_bad_response = 409,       // authentik.bad_response
    authentik_flow_missing = 410,       // authentik.flow_missing
    authentik_provider_differs = 411,   // authentik.provider_differs
    authentik_outpost_missing = 412,    // authentik.outpost_missing
    authentik_outpost_changed = 413,    // authentik.outpost_changed
    authentik_request_refused = 414,    // authentik.request_refused
    authentik_version = 420,            // authentik.version
    authentik_in_sync = 421,            // authentik.in_sync
    authentik_provider_missing = 422,   // authentik.provider_missing
    authentik_external_host_differs = 423,// authentik.external_host_differs
    authentik_not_on_outpost = 424,     // authentik.not_on_outpost
    authentik_host_unprotected = 425,   // authentik.host_unprotected
    authentik_rolled_back = 430,        // authentik.rolled_back
    authentik_not_ngxauth_made = 431,   // authentik.not_ngxauth_made
    authentik_api_plan = 432,           // authentik.api_plan
    // directive: nginx's generic directive check (check.hpp); numbers 500 and up
    directive_unknown = 500,            // directive.unknown           unknown directive "x"
    directive_not_allowed = 501,        // directive.not_allowed       "x" directive is not allowed here
    directive_invalid_args = 502,       // directive.invalid_args      invalid number of arguments
    directive_no_opening_brace = 503,   // directive.no_opening_brace  directive "x" has no opening "{"
    directive_not_terminated = 504,     // directive.not_terminated    directive "x" is not terminated by ";"
    // docker, sync: ngxauth's Docker checks and label sync; numbers 600 and up
    docker_unreachable = 600,           // docker.unreachable
    docker_permission_denied = 601,     // docker.permission_denied
    docker_api_too_old = 602,           // docker.api_too_old
    docker_timeout = 603,               // docker.timeout
    docker_bad_response = 604,          // docker.bad_response
    docker_swag_missing = 605,          // docker.swag_missing
    docker_swag_mount = 606,            // docker.swag_mount
    docker_upstream_unresolved = 610,   // docker.upstream_unresolved
    docker_upstream_outside = 611,      // docker.upstream_outside
    docker_upstream_stopped = 612,      // docker.upstream_stopped
    docker_upstream_port = 613,         // docker.upstream_port
    docker_auth_unresolved = 614,       // docker.auth_unresolved
    docker_untrusted_proxy = 615,       // docker.untrusted_proxy
    docker_resolved = 616,              // docker.resolved
    docker_validated = 620,             // docker.validated
    docker_not_validated = 621,         // docker.not_validated
    docker_swag_reloads = 622,          // docker.swag_reloads
    docker_not_a_container = 623,       // docker.not_a_container
    docker_exec_failed = 624,           // docker.exec_failed
    sync_label_invalid = 630,           // sync.label_invalid
    sync_port_ambiguous = 631,          // sync.port_ambiguous
    sync_directives_refused = 632,      // sync.directives_refused
    sync_not_managed = 633,             // sync.not_managed
    sync_plan = 634,                    // sync.plan
};
using error_code = diag_code;

// "syntax.unexpected_close_brace", "include.missing", ...; "unknown" for a number not in the
// table (a newer library's code).
[[nodiscard]] NGXCONF_API std::string_view to_string(diag_code c) noexcept;
// The code of a name, for reading JSON back.
[[nodiscard]] NGXCONF_API std::optional<diag_code> diag_code_named(std::string_view name) noexcept;

// One row of the code table, for documentation and tools listing every code.
struct diag_code_info {
    diag_code code;
    std::string_view name;
    std::string_view summary;
};
[[nodiscard]] NGXCONF_API const std::vector<diag_code_info>& diag_codes();

// Another place that explains a diagnostic: the include line that led to a file, the line
// nginx would read instead.
struct related_region {
    source_region where;
    std::string message;
};

struct diagnostic {
    severity level = severity::warning;
    diag_code code = diag_code::none;
    std::string message;              // for people; never matched by code
    source_region where;              // file, begin/end (line, column, byte); line 0: no position
    std::vector<related_region> related;
    std::string fix;                  // how to fix it, when there is one way ("use --insert")
};

}  // namespace ngxconf
