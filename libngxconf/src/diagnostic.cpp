// The code table: the one place that names every diagnostic code.
#include <ngxconf/diagnostic.hpp>
#include <ngxconf/error.hpp>

#include <algorithm>

namespace ngxconf {

const std::vector<diag_code_info>& diag_codes() {
    using c = diag_code;
    // clang-format off
    static const std::vector<diag_code_info> table{
        {c::none,                     "none",                            "no code"},
        {c::unexpected_character,     "syntax.unexpected_character",     "unexpected character after a closing quote"},
        {c::unexpected_semicolon,     "syntax.unexpected_semicolon",     "unexpected \";\""},
        {c::unexpected_open_brace,    "syntax.unexpected_open_brace",    "unexpected \"{\""},
        {c::unexpected_close_brace,   "syntax.unexpected_close_brace",   "unexpected \"}\""},
        {c::eof_expecting_terminator, "syntax.eof_expecting_terminator", "end of file inside a directive"},
        {c::eof_expecting_close,      "syntax.eof_expecting_close",      "end of file inside a block"},
        {c::too_long_parameter,       "syntax.too_long_parameter",       "a token overflows nginx's 4096-byte buffer"},
        {c::eof_in_lua_block,         "syntax.eof_in_lua_block",         "end of file inside a Lua block"},
        {c::nesting_too_deep,         "syntax.nesting_too_deep",         "blocks nested deeper than max_depth"},
        {c::file_too_large,           "syntax.file_too_large",           "a file over 4 GiB"},
        {c::io_error,                 "io.error",                        "a file could not be read or written"},
        {c::modified_on_disk,         "io.modified_on_disk",             "a file changed since it was read"},
        {c::validation_failed,        "io.validation_failed",            "the validation command failed"},
        {c::locked,                   "io.locked",                       "another run holds the lock"},
        {c::include_error,            "include.error",                   "an include could not be followed"},
        {c::interrupted,              "io.interrupted",                  "a signal stopped a transaction; every file was put back"},
        {c::usage,                    "usage.invalid",                   "a command line the program refuses (exit 2)"},
        {c::bom,                      "lint.bom",                        "a UTF-8 byte order mark nginx reads as part of the first name"},
        {c::suspicious_disabled_name, "lint.suspicious_disabled_name",   "a commented-out directive whose name is a near miss"},
        {c::include_missing,          "include.missing",                 "an include names no file"},
        {c::include_cycle,            "include.cycle",                   "a file includes itself through a chain"},
        {c::include_parse_error,      "include.parse_error",             "an included file does not parse"},
        {c::include_io_error,         "include.io_error",                "an included file could not be read"},
        {c::include_too_many_files,   "include.too_many_files",          "an include matches more files than allowed"},
        {c::swag_two_providers,           "swag.two_providers",             "two providers enabled in one app"},
        {c::swag_half_protected,          "swag.half_protected",            "a location-level auth line on while its server-level line is off (broken)"},
        {c::swag_basic_auth_half,         "swag.basic_auth_half",           "only one of auth_basic / auth_basic_user_file on in a location"},
        {c::swag_not_protected,           "swag.not_protected",             "the server-level line on but a carrying location's line off"},
        {c::swag_files_missing,           "swag.files_missing",             "a provider in use lacks its -server.conf or -location.conf"},
        {c::swag_unreadable,              "swag.unreadable",                "a conf does not parse or cannot be read"},
        {c::swag_version_differs,         "swag.version_differs",           "a conf's ## Version differs from its .sample"},
        {c::swag_location_open,           "swag.location_open",             "a location that must ask for a login lets anyone in"},
        {c::swag_auth_endpoint_missing,   "swag.auth_endpoint_missing",     "the auth subrequest is not answered by the provider's endpoint in that server"},
        {c::swag_signin_missing,          "swag.signin_missing",            "error_page 401 names a location the server lacks (500 at run time)"},
        {c::swag_provider_file_invalid,   "swag.provider_file_invalid",     "a provider file does not parse or lacks its endpoint locations"},
        {c::swag_user_file_missing,       "swag.user_file_missing",         "auth_basic_user_file names no file (500 at run time)"},
        {c::swag_file_present,            "swag.file_present",              "authentik-server.conf / authentik-location.conf present"},
        {c::swag_file_missing,            "swag.file_missing",              "authentik-server.conf / authentik-location.conf missing"},
        {c::swag_upstream_host,           "swag.upstream_host",             "where auth requests go (set $upstream_authentik)"},
        {c::swag_upstream_unset,          "swag.upstream_unset",            "authentik-server.conf has no set $upstream_authentik line"},
        {c::swag_upstream_hosts_disagree, "swag.upstream_hosts_disagree",   "the set $upstream_authentik lines name different hosts"},
        {c::swag_upstream_scheme_port,    "swag.upstream_scheme_port",      "the scheme and port auth requests use"},
        {c::swag_upstream_ports_disagree, "swag.upstream_ports_disagree",   "the proxy_pass lines to $upstream_authentik disagree on scheme or port"},
        {c::swag_remote_https_no_sni,     "swag.remote_https_no_sni",       "a remote https upstream without proxy_ssl_server_name or a Host header"},
        {c::swag_plain_http_upstream,     "swag.plain_http_upstream",       "auth requests over http on port 9000, refused by Authentik 2026.8 and later"},
        {c::swag_no_serving_conf,         "swag.no_serving_conf",           "no proxy-conf serves Authentik itself"},
        {c::swag_serving_conf,            "swag.serving_conf",              "the proxy-conf serving Authentik itself"},
        {c::swag_serving_scheme_differs,  "swag.serving_scheme_differs",    "the conf serving Authentik uses another scheme than authentik-server.conf"},
        {c::swag_serving_port_differs,    "swag.serving_port_differs",      "the conf serving Authentik uses another port than authentik-server.conf"},
        {c::swag_app_protected,           "swag.app_protected",             "an app whose every location asks for a login, without problems"},
        {c::swag_include_unresolved,      "swag.include_unresolved",        "an include under the container root names no file"},
        {c::swag_include_generated,       "swag.include_generated",         "an include of a file SWAG writes at start-up is missing"},
        {c::swag_includes_resolve,        "swag.includes_resolve",          "every include under the container root resolves"},
        {c::swag_scheme_port_mismatch,    "swag.scheme_port_mismatch",      "https to Authentik's http port 9000, or http to its https port 9443"},
        {c::swag_directive_table,         "swag.directive_table",           "the nginx directive table doctor checked the tree against"},
        {c::swag_upstream_literal,         "swag.upstream_literal",          "an app's proxy_pass names a host itself instead of $upstream_app"},
        {c::swag_already_protected,       "swag.already_protected",         "nothing to do: the conf is already protected"},
        {c::swag_not_protected_by,        "swag.not_protected_by",          "nothing to undo: the conf is not protected by the provider"},
        {c::swag_left_open_on_purpose,    "swag.left_open_on_purpose",      "locations without an auth line stay open (APIs, well-known, ...)"},
        {c::swag_default_conf_kept,       "swag.default_conf_kept",         "default.conf keeps its server-level line for other subfolder apps"},
        {c::swag_conf_skipped,            "swag.conf_skipped",              "one of an app's two confs has no auth lines and is left as is"},
        {c::swag_foreign_proxy_pass,      "swag.foreign_proxy_pass",        "a proxy_pass of authentik-server.conf not to $upstream_authentik, left alone"},
        {c::swag_serving_other_host,      "swag.serving_other_host",        "the conf serving Authentik proxies another host, left alone"},
        {c::swag_also_serves_authentik,   "swag.also_serves_authentik",     "another proxy-conf also serves Authentik"},
        {c::swag_up_to_date,              "swag.up_to_date",                "the generated conf is already up to date"},
        {c::swag_overwritten,             "swag.overwritten",               "a different conf was overwritten (force)"},
        {c::swag_root_not_found,          "swag.root_not_found",            "no SWAG nginx folder found"},
        {c::swag_app_not_found,           "swag.app_not_found",             "no proxy-conf for the app"},
        {c::swag_sample_only,             "swag.sample_only",               "only the app's .sample exists"},
        {c::swag_invalid_app_name,        "swag.invalid_app_name",          "an app name with '/', '..', NUL, or empty"},
        {c::swag_other_provider_enabled,  "swag.other_provider_enabled",    "another provider is enabled (use replace)"},
        {c::swag_no_auth_lines,           "swag.no_auth_lines",             "no auth line to enable (use insert)"},
        {c::swag_invalid_target,          "swag.invalid_target",            "not a valid upstream or gen option"},
        {c::swag_provider_files_missing,  "swag.provider_files_missing",    "the provider's files are missing or have nothing to switch"},
        {c::swag_would_overwrite,         "swag.would_overwrite",           "a different file exists (use force)"},
        {c::swag_cannot_toggle,           "swag.cannot_toggle",             "an auth line that cannot be switched on or off alone"},
        {c::authentik_unreachable,         "authentik.unreachable",          "the Authentik API could not be reached (refused, no such host)"},
        {c::authentik_unauthorized,        "authentik.unauthorized",         "the API token is invalid or expired (401)"},
        {c::authentik_forbidden,           "authentik.forbidden",            "the token's user lacks a permission (403)"},
        {c::authentik_not_authentik,       "authentik.not_authentik",        "the URL does not serve Authentik's API (404)"},
        {c::authentik_tls,                 "authentik.tls",                  "the API's TLS certificate is not trusted"},
        {c::authentik_timeout,             "authentik.timeout",              "the API did not answer in time"},
        {c::authentik_server_error,        "authentik.server_error",         "the API failed (5xx), with its own error text"},
        {c::authentik_token_missing,       "authentik.token_missing",        "no API token given"},
        {c::authentik_token_file_unsafe,   "authentik.token_file_unsafe",    "the token file is readable by group or others"},
        {c::authentik_bad_response,        "authentik.bad_response",         "the API answered something that is not its schema"},
        {c::authentik_flow_missing,        "authentik.flow_missing",         "a flow named by slug does not exist"},
        {c::authentik_provider_differs,    "authentik.provider_differs",     "an existing provider has another mode or external host"},
        {c::authentik_outpost_missing,     "authentik.outpost_missing",      "the outpost nginx talks to does not exist"},
        {c::authentik_outpost_changed,     "authentik.outpost_changed",      "the outpost kept changing between read and write"},
        {c::authentik_request_refused,     "authentik.request_refused",      "the API refused a request (400) with its field errors"},
        {c::authentik_version,             "authentik.version",              "the Authentik server's version"},
        {c::authentik_in_sync,             "authentik.in_sync",              "an app's provider, external host and outpost agree with nginx"},
        {c::authentik_provider_missing,    "authentik.provider_missing",     "an app nginx protects has no provider in Authentik"},
        {c::authentik_external_host_differs,"authentik.external_host_differs","a provider's external host is not the app's host"},
        {c::authentik_not_on_outpost,      "authentik.not_on_outpost",       "a provider is not on the outpost nginx talks to"},
        {c::authentik_host_unprotected,    "authentik.host_unprotected",     "a provider on the outpost whose host nginx does not protect"},
        {c::authentik_rolled_back,         "authentik.rolled_back",          "what a failed run created in Authentik was undone"},
        {c::authentik_not_ngxauth_made,    "authentik.not_ngxauth_made",     "an object a person made, left alone by --purge"},
        {c::authentik_api_plan,            "authentik.api_plan",             "a write the run makes (or would make) through the API"},
        {c::directive_unknown,             "directive.unknown",              "no module of the nginx checked against has the directive"},
        {c::directive_not_allowed,         "directive.not_allowed",          "the directive is not allowed in its context"},
        {c::directive_invalid_args,        "directive.invalid_args",         "a number of arguments the directive does not take"},
        {c::directive_no_opening_brace,    "directive.no_opening_brace",     "a block directive ended by \";\""},
        {c::directive_not_terminated,      "directive.not_terminated",       "a directive that takes no block given one"},
        {c::docker_unreachable, "docker.unreachable", "the Docker socket or host is missing or refuses connections"},
        {c::docker_permission_denied, "docker.permission_denied", "the Docker socket is not open to this user (root or the docker group)"},
        {c::docker_api_too_old, "docker.api_too_old", "the Engine's API is older than 1.41 (Docker 20.10)"},
        {c::docker_timeout, "docker.timeout", "the Engine did not answer in time"},
        {c::docker_bad_response, "docker.bad_response", "the Engine answered something that is not its API"},
        {c::docker_swag_missing, "docker.swag_missing", "no SWAG container was found (or the one named does not exist)"},
        {c::docker_swag_mount, "docker.swag_mount", "SWAG's /config mount is not the parent of the tree ngxauth edits"},
        {c::docker_upstream_unresolved, "docker.upstream_unresolved", "an app's upstream names no container on a network SWAG shares"},
        {c::docker_upstream_outside, "docker.upstream_outside", "an app's upstream is an address or host outside Docker"},
        {c::docker_upstream_stopped, "docker.upstream_stopped", "the container an upstream names is not running"},
        {c::docker_upstream_port, "docker.upstream_port", "an upstream port the container's image does not expose"},
        {c::docker_auth_unresolved, "docker.auth_unresolved", "an auth upstream names no running container on a shared network"},
        {c::docker_untrusted_proxy, "docker.untrusted_proxy", "SWAG's address is outside Authentik's trusted proxy CIDRs"},
        {c::docker_resolved, "docker.resolved", "an upstream resolves to a running container on a shared network"},
        {c::docker_validated, "docker.validated", "nginx -t ran inside the SWAG container"},
        {c::docker_not_validated, "docker.not_validated", "nothing validated the change (no SWAG container, no --validate)"},
        {c::docker_swag_reloads, "docker.swag_reloads", "SWAG's auto-reload will reload nginx"},
        {c::docker_not_a_container, "docker.not_a_container", "a switch-upstream target is not a container on a shared network"},
        {c::docker_exec_failed, "docker.exec_failed", "a command run in the SWAG container failed"},
        {c::sync_label_invalid, "sync.label_invalid", "a container's label value is not valid (container skipped)"},
        {c::sync_port_ambiguous, "sync.port_ambiguous", "no swag_port label and not exactly one exposed port"},
        {c::sync_directives_refused, "sync.directives_refused", "custom-directive labels without --allow-directives, or not directives of that context"},
        {c::sync_not_managed, "sync.not_managed", "a conf of that name exists and sync did not write it"},
        {c::sync_plan, "sync.plan", "a conf sync adds, changes or removes"},
    };
    // clang-format on
    return table;
}

std::string_view to_string(diag_code code) noexcept {
    const auto& t = diag_codes();
    const auto it = std::find_if(t.begin(), t.end(), [code](const auto& r) { return r.code == code; });
    return it == t.end() ? std::string_view("unknown") : it->name;
}

std::optional<diag_code> diag_code_named(std::string_view name) noexcept {
    const auto& t = diag_codes();
    const auto it = std::find_if(t.begin(), t.end(), [name](const auto& r) { return r.name == name; });
    if (it == t.end()) return std::nullopt;
    return it->code;
}

std::string_view to_string(severity s) noexcept {
    switch (s) {
        case severity::ok: return "ok";
        case severity::info: return "info";
        case severity::warning: return "warning";
        case severity::error: return "error";
    }
    return "unknown";
}

diagnostic error::to_diagnostic() const {
    diagnostic d;
    d.level = severity::error;
    d.code = code_;
    d.message = description_;
    d.where = where_;
    return d;
}

}  // namespace ngxconf
