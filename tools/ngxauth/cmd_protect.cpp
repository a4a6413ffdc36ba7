// protect APP / unprotect APP: turn the provider's commented auth lines on or off.
#include <fmt/core.h>

#include "commands.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;

swag::provider provider_or_throw(const std::string& name) {
    if (auto p = swag::provider_named(name)) return *p;
    // CLI11 checks the value first; this only guards callers that skip it.
    throw ngxconf::usage_error(fmt::format("unknown provider '{}'", name));
}

}  // namespace

int cmd_protect(const options& o, const protect_args& a) {
    // Refused before anything is written: a protect that cannot be checked as asked.
    if (a.verify && !verify_available()) return exit_usage;
    swag::session s(swag::layout::detect(o.root));
    swag::protect_options po;
    po.with = provider_or_throw(a.provider);
    po.replace = a.replace;
    po.insert = a.insert;
    po.from_sample = a.from_sample;
    const auto r = s.protect(a.app, po);
    const int rc =
        finish(s, r, o,
               {"protect", a.app, fmt::format("{} is already protected by {}", a.app, a.provider),
                fmt::format("{} is now protected by {}", a.app, a.provider)});
    if (rc != exit_ok || !a.verify) return rc;
    // Written (or protected already) and reloaded: ask the live site, as `verify APP` would.
    verify_args v = *a.verify;
    v.apps = {a.app};
    return cmd_verify(o, v);
}

int cmd_unprotect(const options& o, const protect_args& a) {
    swag::session s(swag::layout::detect(o.root));
    const auto r = s.unprotect(a.app, provider_or_throw(a.provider));
    return finish(s, r, o,
                  {"unprotect", a.app,
                   fmt::format("{} is not protected by {}; nothing to do", a.app, a.provider),
                   fmt::format("{} is no longer protected by {}", a.app, a.provider)});
}

}  // namespace ngxauth
