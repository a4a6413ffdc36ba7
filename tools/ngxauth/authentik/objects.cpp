// Reading and writing Authentik's applications, proxy providers, outposts and flows.
#include "objects.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "api_error.hpp"

namespace ngxauth::authentik {
namespace {

using ngxconf::diag_code;

std::string str(const json& j, const char* key) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return "";
    return j[key].get<std::string>();
}

application application_of(const json& j) {
    application a;
    a.slug = str(j, "slug");
    a.name = str(j, "name");
    a.publisher = str(j, "meta_publisher");
    a.launch_url = str(j, "meta_launch_url");
    if (j.contains("provider") && j["provider"].is_number_integer()) a.provider = j["provider"].get<int>();
    return a;
}

proxy_provider provider_of(const json& j) {
    proxy_provider p;
    p.pk = j.value("pk", 0);
    p.name = str(j, "name");
    p.mode = str(j, "mode");
    p.external_host = str(j, "external_host");
    p.cookie_domain = str(j, "cookie_domain");
    return p;
}

outpost outpost_of(const json& j) {
    outpost o;
    o.pk = str(j, "pk");
    o.name = str(j, "name");
    o.managed = str(j, "managed");
    o.token_identifier = str(j, "token_identifier");
    if (j.contains("providers") && j["providers"].is_array()) {
        for (const auto& p : j["providers"]) {
            if (p.is_number_integer()) o.providers.push_back(p.get<int>());
        }
    }
    o.config = j.value("config", json::object());
    return o;
}

std::string outpost_path(const std::string& pk) { return "/api/v3/outposts/instances/" + pk + "/"; }

// Read-modify-write of the outpost's provider list with `change` (which returns false when
// there is nothing to do).
template <class Change>
bool update_providers(client& c, const std::string& outpost_pk, Change change) {
    for (int attempt = 0; attempt < 5; ++attempt) {
        const auto before = get_outpost(c, outpost_pk).providers;
        auto after = before;
        if (!change(after)) return false;
        // Authentik has no conditional update: a second read right before the write narrows
        // the window in which another writer's change would be lost.
        if (get_outpost(c, outpost_pk).providers != before) continue;
        (void)c.send("PATCH", outpost_path(outpost_pk), json{{"providers", after}});
        return true;
    }
    throw api_error(diag_code::authentik_outpost_changed,
                    "the outpost changed between every read and write; nothing was changed on it",
                    {"run the command again"});
}

}  // namespace

std::string provider_name_for(const std::string& app) { return app + " (ngxauth)"; }

std::optional<application> find_application(client& c, const std::string& slug) {
    for (const auto& j : c.list("/api/v3/core/applications/?slug=" + query_value(slug))) {
        if (str(j, "slug") == slug) return application_of(j);
    }
    return std::nullopt;
}

std::optional<proxy_provider> get_provider(client& c, int pk) {
    // A 404 here is also an application whose provider is not a proxy provider (OAuth2, ...).
    if (auto j = c.get_if(fmt::format("/api/v3/providers/proxy/{}/", pk))) return provider_of(*j);
    return std::nullopt;
}

std::optional<proxy_provider> find_provider_named(client& c, const std::string& name) {
    for (const auto& j : c.list("/api/v3/providers/proxy/?name__iexact=" + query_value(name))) {
        if (str(j, "name") == name) return provider_of(j);
    }
    return std::nullopt;
}

std::vector<proxy_provider> all_providers(client& c) {
    std::vector<proxy_provider> out;
    for (const auto& j : c.list("/api/v3/providers/proxy/")) out.push_back(provider_of(j));
    return out;
}

std::vector<application> all_applications(client& c) {
    std::vector<application> out;
    for (const auto& j : c.list("/api/v3/core/applications/")) out.push_back(application_of(j));
    return out;
}

std::optional<outpost> find_outpost(client& c, const outpost_ref& ref) {
    const auto query = ref.embedded()
                           ? "managed__iexact=" + query_value("goauthentik.io/outposts/embedded")
                           : "name__iexact=" + query_value(ref.upstream);
    for (const auto& j : c.list("/api/v3/outposts/instances/?" + query)) {
        auto o = outpost_of(j);
        if (ref.embedded() ? o.managed == "goauthentik.io/outposts/embedded" : o.name == ref.upstream) {
            return o;
        }
    }
    if (ref.embedded()) return std::nullopt;
    // An outpost `outpost create --upstream HOST` made: SWAG reaches it by another name.
    for (auto& o : all_outposts(c)) {
        if (o.config.is_object() && o.config.value("ngxauth_upstream", "") == ref.upstream) return o;
    }
    return std::nullopt;
}

outpost get_outpost(client& c, const std::string& pk) { return outpost_of(c.get(outpost_path(pk))); }

std::vector<outpost> all_outposts(client& c) {
    std::vector<outpost> out;
    for (const auto& j : c.list("/api/v3/outposts/instances/")) out.push_back(outpost_of(j));
    return out;
}

std::optional<std::string> flow_pk(client& c, const std::string& slug) {
    for (const auto& j : c.list("/api/v3/flows/instances/?slug=" + query_value(slug))) {
        if (str(j, "slug") == slug) return str(j, "pk");
    }
    return std::nullopt;
}

bool attach(client& c, const std::string& outpost_pk, int provider_pk) {
    return update_providers(c, outpost_pk, [&](std::vector<int>& v) {
        if (std::find(v.begin(), v.end(), provider_pk) != v.end()) return false;
        v.push_back(provider_pk);
        return true;
    });
}

bool detach(client& c, const std::string& outpost_pk, int provider_pk) {
    return update_providers(c, outpost_pk, [&](std::vector<int>& v) {
        const auto it = std::find(v.begin(), v.end(), provider_pk);
        if (it == v.end()) return false;
        v.erase(it);
        return true;
    });
}

bool same_url(std::string a, std::string b) {
    const auto norm = [](std::string& s) {
        while (!s.empty() && s.back() == '/') s.pop_back();
        for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    };
    norm(a);
    norm(b);
    return a == b;
}

json redacted(json body) {
    if (body.is_object()) {
        for (auto& [key, value] : body.items()) {
            if (key == "key" || key == "token" || key == "password" || key == "secret") {
                value = "(secret)";
            } else {
                value = redacted(value);
            }
        }
    }
    return body;
}

}  // namespace ngxauth::authentik
