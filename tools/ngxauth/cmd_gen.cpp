// gen auth-subdomain: write proxy-confs/SUBDOMAIN.subdomain.conf serving Authentik itself.
#include <fmt/core.h>

#include "commands.hpp"

namespace ngxauth {
namespace {

// Before a refusal to overwrite: on stderr, how the file on disk differs from what gen would
// write (the diff --force would apply).
void show_overwrite(const options& o, ngxconf::swag::gen_options g) {
    namespace swag = ngxconf::swag;
    g.force = true;
    swag::session s(swag::layout::detect(o.root));
    const auto path = s.where().root / "proxy-confs" / (g.subdomain + ".subdomain.conf");
    if (!std::filesystem::exists(path)) return;  // refused for another reason (the .sample)
    (void)s.generate_auth_subdomain(g);
    const auto diff = git_diff(s.pending_changes(), s.where().root);
    if (diff.empty()) return;
    std::fflush(stdout);
    fmt::print(stderr, "{}", diff);
}

}  // namespace

int cmd_gen_auth_subdomain(const options& o, const gen_args& a) {
    namespace swag = ngxconf::swag;
    // --upstream as switch-upstream reads a target (host, host:port, [v6]:port, URL); --port
    // and --scheme given win; https without a port is Authentik's 9443.
    const auto target = swag::upstream_target::parse(a.upstream);
    swag::gen_options g;
    g.subdomain = a.subdomain;
    g.upstream = target.host;
    g.scheme = a.scheme_given ? a.scheme : target.scheme.value_or(a.scheme);
    const std::uint16_t scheme_port = g.scheme == "https" ? 9443 : 9000;
    g.port = a.port_given ? static_cast<std::uint16_t>(a.port) : target.port.value_or(scheme_port);
    g.force = a.force;

    swag::session s(swag::layout::detect(o.root));
    swag::report r;
    try {
        r = s.generate_auth_subdomain(g);
    } catch (const swag::error& e) {
        if (e.code() == ngxconf::diag_code::swag_would_overwrite && !o.json) show_overwrite(o, g);
        throw;
    }
    const auto file = fmt::format("proxy-confs/{}.subdomain.conf", a.subdomain);
    return finish(s, r, o,
                  {"gen auth-subdomain", a.subdomain,
                   fmt::format("{} is already up to date", file),
                   fmt::format("Authentik is served at {}.* by {}", a.subdomain, file)});
}

}  // namespace ngxauth
