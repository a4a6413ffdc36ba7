// authentik login / authentik version: the connection itself.
#include <fmt/core.h>

#include "authentik/api_error.hpp"
#include "authentik_cli.hpp"
#include "commands.hpp"
#include "ngxconf/json.hpp"

namespace ngxauth {

// Checks the URL and token with one API call before saving them: a config that does not work
// is never written.
int cmd_authentik_login(const options& o) {
    if (o.authentik.url.empty()) throw usage_failure("authentik login needs --authentik-url URL");
    const auto conn = authentik::resolve(o.authentik);
    auto c = make_client(*conn);
    const auto version = c.version();
    authentik::save_config(*conn);
    const auto path = authentik::config_path().string();
    if (o.json) {
        fmt::print("{{\"ok\":true,\"url\":{},\"version\":{},\"config\":{},\"recovered\":[]}}\n",
                   ngxconf::json_quote(conn->url), ngxconf::json_quote(version),
                   ngxconf::json_quote(path));
    } else {
        fmt::print("Authentik {} at {}: saved to {} (mode 600)\n", version, conn->url, path);
    }
    return exit_ok;
}

int cmd_authentik_version(const options& o) {
    const auto conn = authentik::resolve(o.authentik);
    if (!conn) {
        throw usage_failure("no Authentik URL: give --authentik-url URL or run `ngxauth authentik login`");
    }
    auto c = make_client(*conn);
    const auto& version = c.version();
    if (o.json) {
        fmt::print("{{\"ok\":true,\"url\":{},\"version\":{},\"recovered\":[]}}\n",
                   ngxconf::json_quote(conn->url), ngxconf::json_quote(version));
    } else {
        fmt::print("{}\n", version);
    }
    return exit_ok;
}

}  // namespace ngxauth
