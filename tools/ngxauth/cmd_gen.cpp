// gen auth-subdomain: write proxy-confs/SUBDOMAIN.subdomain.conf serving Authentik itself.
#include <fmt/core.h>

#include "commands.hpp"

namespace ngxauth {

int cmd_gen_auth_subdomain(const options& o, const gen_args& a) {
    namespace swag = ngxconf::swag;
    swag::gen_options g;
    g.subdomain = a.subdomain;
    g.upstream = a.upstream;
    g.port = static_cast<std::uint16_t>(a.port);
    g.scheme = a.scheme;
    g.force = a.force;

    swag::session s(swag::layout::detect(o.root));
    const auto r = s.generate_auth_subdomain(g);
    const auto file = fmt::format("proxy-confs/{}.subdomain.conf", a.subdomain);
    return finish(s, r, o,
                  {"gen auth-subdomain", a.subdomain,
                   fmt::format("{} is already up to date", file),
                   fmt::format("Authentik is served at {}.* by {}", a.subdomain, file)});
}

}  // namespace ngxauth
