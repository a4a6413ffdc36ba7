#pragma once
// The Authentik objects ngxauth reads and writes, found the way a person would find them in
// the admin UI: an application by its slug, its proxy provider, the outpost by name (or the
// embedded one), flows by slug. Field names follow Authentik's schema.yml (2024.x-2026.x).
#include <optional>
#include <string>
#include <vector>

#include "client.hpp"

namespace ngxauth::authentik {

// What marks an object as ngxauth's: the application's meta_publisher, and the provider's
// name "APP (ngxauth)". --purge deletes only objects that carry it.
inline constexpr const char* publisher_mark = "ngxauth";
[[nodiscard]] std::string provider_name_for(const std::string& app);

struct application {
    std::string slug, name, publisher, launch_url;
    std::optional<int> provider;  // pk of its provider, if any
};
struct proxy_provider {
    int pk = 0;
    std::string name, mode, external_host, cookie_domain;
};
struct outpost {
    std::string pk;  // uuid
    std::string name;
    std::string managed;  // "goauthentik.io/outposts/embedded" for the embedded one
    std::string token_identifier;
    std::vector<int> providers;
    json config;
};

// The outpost nginx's $upstream_authentik reaches: "authentik-server" (Authentik's own
// container) is the embedded outpost; any other host is the outpost of that name.
struct outpost_ref {
    std::string upstream;  // the host as nginx has it, or --outpost NAME
    [[nodiscard]] bool embedded() const { return upstream == "authentik-server"; }
};

[[nodiscard]] std::optional<application> find_application(client& c, const std::string& slug);
[[nodiscard]] std::optional<proxy_provider> get_provider(client& c, int pk);
[[nodiscard]] std::optional<proxy_provider> find_provider_named(client& c, const std::string& name);
[[nodiscard]] std::vector<proxy_provider> all_providers(client& c);
[[nodiscard]] std::vector<application> all_applications(client& c);
[[nodiscard]] std::optional<outpost> find_outpost(client& c, const outpost_ref& ref);
[[nodiscard]] outpost get_outpost(client& c, const std::string& pk);
[[nodiscard]] std::vector<outpost> all_outposts(client& c);
// A flow's pk by slug; nullopt when there is none.
[[nodiscard]] std::optional<std::string> flow_pk(client& c, const std::string& slug);

// Adds (or removes) provider `pk` on the outpost, keeping every other provider: read, re-read
// just before writing, and start over when another writer changed it in between (up to 5
// times, then authentik.outpost_changed). Returns whether it wrote.
bool attach(client& c, const std::string& outpost_pk, int provider_pk);
bool detach(client& c, const std::string& outpost_pk, int provider_pk);

// "https://Dockge.example.com/" and "https://dockge.example.com" are the same host.
[[nodiscard]] bool same_url(std::string a, std::string b);

// A JSON body as the plan prints it: values of keys that hold secrets replaced.
[[nodiscard]] json redacted(json body);

}  // namespace ngxauth::authentik
