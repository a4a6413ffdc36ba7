#pragma once
// Where an app answers on the live site, from its conf's server_name and the user's domain:
// what `verify` requests, and the external host of the app's Authentik provider.
#include <string>
#include <vector>

#include "ngxconf/swag/swag.hpp"

namespace ngxauth {

// The app's server names as written ("dockge.*", "dockge.example.com"); none for a subfolder
// app (it is served by default.conf's catch-all server).
[[nodiscard]] std::vector<std::string> server_names(const ngxconf::swag::app_status& a);
// The host a subdomain app answers on: its first `server_name NAME.*` with DOMAIN for the
// `*`, or a full name as written; APP.DOMAIN when the conf names none. A subfolder app: DOMAIN.
[[nodiscard]] std::string host_of(const ngxconf::swag::app_status& a, const std::string& domain);
// https://HOST/ for a subdomain app, https://DOMAIN/APP/ for a subfolder one.
[[nodiscard]] std::string url_of(const ngxconf::swag::app_status& a, const std::string& domain);
// Whether `host` is one a server_name of the app names ("dockge.*" names dockge.example.com).
[[nodiscard]] bool serves_host(const ngxconf::swag::app_status& a, const std::string& host);
// "radarr", "radarr.subdomain", "radarr.subfolder.conf" -> the matching apps; throws
// swag.app_not_found when none.
[[nodiscard]] std::vector<ngxconf::swag::app_status> pick(
    const std::vector<ngxconf::swag::app_status>& all, const std::string& wanted);

}  // namespace ngxauth
