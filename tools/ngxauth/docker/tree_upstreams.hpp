#pragma once
// The upstreams of a SWAG tree that doctor's container checks look at: each active app's
// `set $upstream_app/$upstream_port/$upstream_proto`, and each auth provider's
// `set $upstream_PROVIDER HOST;` with its proxy_pass scheme and port.
#include <vector>

#include "checks.hpp"
#include "ngxconf/swag/swag.hpp"

namespace ngxauth::docker {

// One entry per distinct (host, port, proto) of each app `apps` lists (status() of the
// session); a conf that does not parse is left out (doctor reports it elsewhere).
[[nodiscard]] std::vector<app_upstream> app_upstreams(const std::vector<ngxconf::swag::app_status>& apps);

// The -server.conf of each provider under `root` that sets its upstream variable; in_use when
// an app of `apps` turns that provider on.
[[nodiscard]] std::vector<auth_upstream> auth_upstreams(
    const std::filesystem::path& root, const std::vector<ngxconf::swag::app_status>& apps);

}  // namespace ngxauth::docker
