#pragma once
// The pieces every command that talks to Authentik shares: the client (with the --insecure
// warning), the outpost nginx talks to, the domain of the apps, and the plan printed or put
// into JSON.
#include <optional>
#include <cstdio>
#include <string>
#include <vector>

#include "authentik/client.hpp"
#include "authentik/objects.hpp"
#include "authentik/sync.hpp"
#include "commands.hpp"

namespace ngxauth {

// A client for the connection; warns on stderr when TLS is not checked.
[[nodiscard]] authentik::client make_client(const authentik::connection& c);

// The outpost nginx asks: --outpost NAME, else the host of authentik-server.conf's
// `set $upstream_authentik HOST;` (authentik-server when the file has none).
[[nodiscard]] authentik::outpost_ref outpost_for(const ngxconf::swag::layout& where,
                                                 const std::string& outpost_option);

// The apps' domain: --domain, else the Authentik URL's host without its first label
// (https://auth.example.com -> example.com); throws usage_failure when neither gives one.
[[nodiscard]] std::string domain_for(const authentik_args& a, const authentik::connection& c);

// The provider and application APP needs: external host https://HOST from its server_name and
// the domain; mode, flows and cookie domain from the options.
[[nodiscard]] authentik::app_target target_for(ngxconf::swag::session& s, const std::string& app,
                                               const authentik_args& a, bool replace,
                                               const authentik::connection& conn);

// "authentik: POST /api/v3/providers/proxy/ {...}" lines (bodies with secrets removed).
// On `to`: stdout, or stderr under --dry-run (whose stdout is the patch alone).
void print_steps(const std::vector<authentik::api_step>& steps, const style& st,
                 std::FILE* to = stdout);
// ,"authentik":{"url":...,"version":...,"writes":N,"plan":[...]} for the command's JSON;
// `writes`: the API writes the run made (or, for writes still to come, will make).
[[nodiscard]] std::string steps_json(const authentik::client& c, const std::string& version,
                                     const std::vector<authentik::api_step>& steps, int writes,
                                     const std::vector<std::string>& extra_members = {});

}  // namespace ngxauth
