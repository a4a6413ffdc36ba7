#pragma once
// What `ngxauth sync` reads from a container's labels, validated before any of it reaches a
// conf. The labels are swag-auto-proxy's, so its users can switch: swag=enable, swag_url,
// swag_port, swag_proto, swag_address, swag_auth, swag_auth_bypass, swag_preset_conf, and
// the custom-directive labels (swag_server_custom_directive, swag_location_custom_directive),
// refused unless allowed. Pure functions: no I/O, nothing printed.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model.hpp"
#include "ngxconf/check.hpp"
#include "ngxconf/diagnostic.hpp"
#include "ngxconf/swag/swag.hpp"

namespace ngxauth::docker {

inline constexpr std::string_view label_enable = "swag";  // = "enable"
inline constexpr std::string_view label_url = "swag_url";
inline constexpr std::string_view label_port = "swag_port";
inline constexpr std::string_view label_proto = "swag_proto";
inline constexpr std::string_view label_address = "swag_address";
inline constexpr std::string_view label_auth = "swag_auth";
inline constexpr std::string_view label_bypass = "swag_auth_bypass";
inline constexpr std::string_view label_preset = "swag_preset_conf";
inline constexpr std::string_view label_server_directive = "swag_server_custom_directive";
inline constexpr std::string_view label_location_directive = "swag_location_custom_directive";

// One directive of a custom-directive label, decoded (re-spelled by the editor when written,
// so no value can leave its argument).
struct custom_directive {
    std::string name;
    std::vector<std::string> args;
};

// A container's conf as its labels ask for it, every value checked.
struct desired_conf {
    std::string container;                  // the container's name: proxy-confs/NAME.subdomain.conf
    std::vector<std::string> server_names;  // swag_url split at ',' (default: NAME.*)
    std::string address;                    // swag_address (default: the container's name)
    std::optional<int> port;                // swag_port, else the single exposed TCP port
    std::optional<std::string> proto;       // swag_proto: "http" or "https"
    std::optional<ngxconf::swag::provider> auth;  // swag_auth (http = basic)
    std::vector<std::string> bypass;        // swag_auth_bypass: paths left without auth
    std::string preset;                     // swag_preset_conf: another sample's name
    std::vector<custom_directive> server_directives;    // with --allow-directives only
    std::vector<custom_directive> location_directives;  // (location /)
    std::vector<int> exposed_ports;         // the container's, for port_for()'s refusal
};

// Why a container is skipped: code sync.label_invalid, sync.port_ambiguous,
// sync.directives_refused (or sync.not_managed, a swag.* code from the plan); the message
// names the container, the label and its value.
struct refusal {
    ngxconf::diag_code code = ngxconf::diag_code::sync_label_invalid;
    std::string container;
    std::string label;
    std::string value;
    std::string message;
};

struct label_options {
    bool allow_directives = false;  // --allow-directives
    ngxconf::nginx_version nginx = ngxconf::newest_nginx_version;  // the directive table
};

// Whether the container asks for a conf at all (swag=enable).
[[nodiscard]] bool wants_sync(const container& c);

// The container's desired conf, or why not. The container's name must be a plain name
// (letters, digits, '_', '-'): it becomes a file name.
[[nodiscard]] std::variant<desired_conf, refusal> desired_from_labels(const container& c,
                                                                      const label_options& o);

// The port the conf gets: swag_port, else the single exposed TCP port, else the sample's
// own when the conf comes from a preset sample (`sample_port`), else a refusal
// (sync.port_ambiguous) naming the ports the container has.
[[nodiscard]] std::variant<int, refusal> port_for(const desired_conf& d,
                                                  std::optional<int> sample_port);

// The checks, one per kind of value.
// RFC 1123 host name (labels of letters, digits, '-', also '_' as Docker names have), an
// IPv4 address, or an IPv6 one (bare or in brackets), as inet_pton reads them.
[[nodiscard]] bool valid_host(std::string_view s);
// Digits only, 1-65535 ("80;evil", "+80", " 80", "080000" are refused).
[[nodiscard]] std::optional<int> parse_port(std::string_view s);
// One server_name token: a host name, optionally "*." / "." in front or ".*" at the end.
[[nodiscard]] bool valid_server_name(std::string_view s);
// A plain path: '/' then letters, digits and - . _ ~ / ; no "..", no "//".
[[nodiscard]] bool valid_bypass_path(std::string_view s);
// A container name usable as a conf's name (and a sample's): [A-Za-z0-9][A-Za-z0-9_-]*.
[[nodiscard]] bool valid_conf_name(std::string_view s);

// The directives of a custom-directive label's value: each a simple directive (no block)
// that nginx allows in `context` (ngxconf::check with the table of `v`); nullopt and the
// reason in `why` otherwise.
[[nodiscard]] std::optional<std::vector<custom_directive>> parse_custom_directives(
    std::string_view value, ngxconf::check_context context, ngxconf::nginx_version v,
    std::string& why);

// The refusal as a diagnostic (severity warning), for reports and --json.
[[nodiscard]] ngxconf::diagnostic to_diagnostic(const refusal& r);

}  // namespace ngxauth::docker
