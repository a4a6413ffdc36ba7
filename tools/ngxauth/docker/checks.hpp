#pragma once
// doctor's container checks: whether the upstreams of the tree's confs reach containers as
// SWAG's nginx would reach them (Docker's embedded DNS on the networks SWAG shares), and
// whether Authentik trusts SWAG's address. Pure functions of plain data (no Engine calls):
// tests build the containers by hand. Each finding names the app, container and network and
// carries its fix (diagnostic::fix, also at the end of the message).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "ngxconf/diagnostic.hpp"

namespace ngxauth::docker {

// One `set $upstream_app HOST;` of an active proxy-conf with the $upstream_port and
// $upstream_proto set beside it.
struct app_upstream {
    std::string app;             // "radarr"
    std::filesystem::path file;
    std::uint32_t line = 0;      // of the `set $upstream_app`
    std::string host;
    std::string port;            // as written ("" when not set)
    std::string proto;           // "http", "https" ("" when not set)
};

// An auth provider's upstream: `set $upstream_authentik HOST;` of authentik-server.conf and
// the scheme and port of its first proxy_pass to it (the same for the other providers'
// -server.conf files that set one).
struct auth_upstream {
    std::string provider;        // "authentik", "authelia", ...
    std::string variable;        // "$upstream_authentik"
    std::filesystem::path file;
    std::uint32_t line = 0;
    std::string host;
    std::string scheme;          // "" when no proxy_pass names it
    std::optional<int> port;
    bool in_use = true;          // some app turns this provider on (else findings are milder)
};

// The environment key Authentik reads its trusted proxy ranges from: the only one ngxauth
// asks the Engine for with the containers doctor looks at.
inline constexpr const char* trusted_proxy_key = "AUTHENTIK_LISTEN__TRUSTED_PROXY_CIDRS";
// Authentik's trusted proxy ranges when that key is unset.
[[nodiscard]] const std::vector<std::string>& default_trusted_proxies();

// Whether `address` (IPv4 or IPv6, no brackets) lies in `cidr` ("10.0.0.0/8", "::1/128", a
// bare address meaning a single host); false for anything that does not parse.
[[nodiscard]] bool in_cidr(std::string_view address, std::string_view cidr);

// How nginx in `swag` reaches `host`.
struct resolution {
    enum class kind : std::uint8_t {
        container,   // a running container answers on a network both share
        outside,     // an IP literal or a dotted name that is no container: outside Docker
        stopped,     // a container of that name exists and is not running
        elsewhere,   // a running container of that name shares no network with SWAG
        unknown,     // no container answers to that name
    };
    kind what = kind::unknown;
    const container* target = nullptr;  // container, stopped, elsewhere
    std::string network;                // container: the shared network it answered on
};
// As Docker's DNS answers on the user-defined networks SWAG is on (the default `bridge` has no
// names): container name, aliases, DNS names, short id (names_on), case-insensitively; an IP
// literal of a container on a shared network counts as that container.
[[nodiscard]] resolution resolve(std::string_view host, const container& swag,
                                 const std::vector<container>& all);

// Per app upstream: docker.resolved (info), docker.upstream_outside (info),
// docker.upstream_unresolved / docker.upstream_stopped (errors), docker.upstream_port (warning:
// the port is none of the ports the image exposes, when it exposes some).
[[nodiscard]] std::vector<ngxconf::diagnostic> check_apps(const container& swag,
                                                          const std::vector<container>& all,
                                                          const std::vector<app_upstream>& apps);

// Per auth upstream: docker.resolved / docker.upstream_outside (info), docker.upstream_port,
// docker.auth_unresolved (an error while the provider is in use, else a warning) naming the
// candidates (containers labelled io.goauthentik.outpost-uuid, images goauthentik/server and
// goauthentik/proxy) and the `ngxauth switch-upstream NAME` that fixes it;
// docker.untrusted_proxy (error) when SWAG's address on the network it shares with Authentik is
// outside the trusted proxy ranges (trusted_proxy_key in that container's env, else the
// defaults). The scheme/port pairing (https 9443, http 9000) is the tree's own check
// (swag.scheme_port_mismatch), not repeated here.
[[nodiscard]] std::vector<ngxconf::diagnostic> check_auth(const container& swag,
                                                          const std::vector<container>& all,
                                                          const std::vector<auth_upstream>& auth);

}  // namespace ngxauth::docker
