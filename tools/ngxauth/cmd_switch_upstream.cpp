// switch-upstream TARGET: point authentik-server.conf at another Authentik (or outpost).
#include <fmt/core.h>

#include "commands.hpp"

namespace ngxauth {

int cmd_switch_upstream(const options& o, const switch_args& a) {
    namespace swag = ngxconf::swag;
    auto target = swag::upstream_target::parse(a.target);
    if (a.scheme) target.scheme = *a.scheme;
    if (a.port) target.port = static_cast<std::uint16_t>(*a.port);

    swag::session s(swag::layout::detect(o.root));
    const auto r = s.switch_upstream(target);
    std::string where = target.host;
    if (target.scheme || target.port) {
        where = fmt::format("{}{}{}", target.scheme ? *target.scheme + "://" : "", target.host,
                            target.port ? fmt::format(":{}", *target.port) : "");
    }
    return finish(s, r, o,
                  {"switch-upstream", a.target,
                   fmt::format("Authentik already points at {}; nothing to do", where),
                   fmt::format("auth requests now go to {}", where)});
}

}  // namespace ngxauth
