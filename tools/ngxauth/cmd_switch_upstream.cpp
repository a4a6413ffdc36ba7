// switch-upstream TARGET: point authentik-server.conf at another Authentik (or outpost).
#include <fmt/core.h>

#include "commands.hpp"
#include "docker/checks.hpp"
#include "docker_cli.hpp"
#include "ngxconf/json.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;

// "authentik-server:9443 (https)", "authentik-server (http)" for a URL without a port.
std::string shown(const std::optional<swag::upstream_target>& u) {
    if (!u) return "nothing";
    const std::string host = u->host.empty() ? "$upstream_authentik" : u->host;
    return fmt::format("{}{} ({})", host, u->port ? fmt::format(":{}", *u->port) : "",
                       u->scheme.value_or("?"));
}

// What to type to reach the other scheme on Authentik's port for it, for a "kept" line.
std::string other_scheme(const swag::upstream_target& u) {
    const bool https = u.scheme && *u.scheme == "https";
    return fmt::format("{}://{}:{}", https ? "http" : "https", u.host, https ? 9000 : 9443);
}

// {"host":...,"scheme":...,"port":...} (null members for what the conf does not say).
std::string upstream_json(const std::optional<swag::upstream_target>& u) {
    if (!u) return "null";
    return fmt::format("{{\"host\":{},\"scheme\":{},\"port\":{}}}",
                       u->host.empty() ? "null" : ngxconf::json_quote(u->host),
                       u->scheme ? ngxconf::json_quote(*u->scheme) : "null",
                       u->port ? std::to_string(*u->port) : "null");
}

// docker.not_a_container when Docker shows SWAG's container and `host` is no container on a
// network it shares (an IP or a dotted name outside Docker is fine); --strict refuses it.
std::optional<ngxconf::diagnostic> container_warning(const options& o, const switch_args& a,
                                                     const std::string& host,
                                                     const std::filesystem::path& root) {
    if (o.docker.off) return std::nullopt;
    const auto view = look_at_docker(o, root, {});
    if (!view.swag) return std::nullopt;
    using kind = docker::resolution::kind;
    const auto r = docker::resolve(host, *view.swag, view.containers);
    if (r.what == kind::container || r.what == kind::outside) return std::nullopt;
    const std::string why = r.what == kind::stopped     ? "container " + r.target->name + " is not running"
                            : r.what == kind::elsewhere ? "container " + r.target->name +
                                                              " shares no network with SWAG's container " +
                                                              view.swag->name
                                                        : "no container on a network SWAG's container " +
                                                              view.swag->name + " shares answers to it";
    const std::string message = host + " is not a container SWAG can reach: " + why;
    if (a.strict) {
        throw swag::error(ngxconf::diag_code::docker_not_a_container, message + "; nothing written (--strict)",
                          {"docker ps shows the containers; without --strict this is a warning"});
    }
    return ngxconf::diagnostic{ngxconf::severity::warning, ngxconf::diag_code::docker_not_a_container,
                               message, {}, {}, {}};
}

}  // namespace

int cmd_switch_upstream(const options& o, const switch_args& a) {
    auto target = swag::upstream_target::parse(a.target);
    if (a.scheme) target.scheme = *a.scheme;
    if (a.port) target.port = static_cast<std::uint16_t>(*a.port);

    swag::session s(swag::layout::detect(o.root));
    const auto warning = container_warning(o, a, target.host, s.where().root);
    if (warning) fmt::print(stderr, "ngxauth: warning: {}\n", warning->message);
    const auto before = s.upstream();
    const auto r = s.switch_upstream(target);
    const auto after = s.upstream();
    std::string nothing = fmt::format("Authentik already points at {}; nothing to do", shown(after));
    // A bare host keeps the scheme and port: say so, and how to change them.
    if (after && !target.scheme && !target.port && after->scheme) {
        nothing += fmt::format("\nkept {} on port {}; for {} write {}", *after->scheme,
                               after->port ? std::to_string(*after->port) : "(none)",
                               *after->scheme == "https" ? "http" : "https", other_scheme(*after));
    }
    return finish(s, r, o,
                  {"switch-upstream", a.target, std::move(nothing),
                   fmt::format("auth requests: {} -> {}", shown(before), shown(after)),
                   fmt::format(",\"upstream\":{{\"before\":{},\"after\":{}}}{}",
                               upstream_json(before), upstream_json(after),
                               warning ? ",\"docker\":[" + json_diagnostic(*warning, s.where().root) + "]"
                                       : std::string())});
}

}  // namespace ngxauth
