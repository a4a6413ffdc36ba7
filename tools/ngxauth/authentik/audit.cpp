// The Authentik side of status and doctor (audit.hpp).
#include "audit.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "../site.hpp"
#include "api_error.hpp"

namespace ngxauth::authentik {
namespace {

namespace swag = ngxconf::swag;
using ngxconf::diag_code;
using ngxconf::diagnostic;
using ngxconf::severity;

diagnostic finding(severity level, diag_code code, std::string message,
                   const std::filesystem::path& file = {}) {
    diagnostic d;
    d.level = level;
    d.code = code;
    d.message = std::move(message);
    d.where.file = file.string();
    return d;
}

bool by_authentik(const swag::app_status& a) {
    return std::find(a.server_level.begin(), a.server_level.end(), swag::provider::authentik) !=
           a.server_level.end();
}

// "https://dockge.example.com:8443/x" -> "dockge.example.com"
std::string host_part(std::string url) {
    if (const auto p = url.find("://"); p != std::string::npos) url.erase(0, p + 3);
    url = url.substr(0, url.find_first_of("/:"));
    return url;
}

struct world {
    std::map<std::string, application> apps;  // by slug
    std::map<int, proxy_provider> providers;  // by pk
};

world read_world(client& c) {
    world w;
    for (auto& a : all_applications(c)) w.apps.emplace(a.slug, a);
    for (auto& p : all_providers(c)) w.providers.emplace(p.pk, p);
    return w;
}

const proxy_provider* provider_for(const world& w, const std::string& slug) {
    if (auto a = w.apps.find(slug); a != w.apps.end() && a->second.provider) {
        if (auto p = w.providers.find(*a->second.provider); p != w.providers.end()) return &p->second;
    }
    for (const auto& [pk, p] : w.providers) {
        if (p.name == provider_name_for(slug)) return &p;
    }
    return nullptr;
}

void check_app(const swag::app_status& a, const world& w, const outpost& o,
               std::vector<diagnostic>& out) {
    const auto* p = provider_for(w, a.app);
    if (p == nullptr) {
        out.push_back(finding(severity::error, diag_code::authentik_provider_missing,
                              fmt::format("{}: nginx asks Authentik, which has no provider for it "
                                          "(every request gets 500); run `ngxauth protect {}`",
                                          a.app, a.app),
                              a.file));
        return;
    }
    const auto host = host_part(p->external_host);
    if (a.kind == swag::app_kind::subdomain && !serves_host(a, host)) {
        out.push_back(finding(severity::error, diag_code::authentik_external_host_differs,
                              fmt::format("{}: provider {} has external host {}, which the conf's "
                                          "server_name does not name",
                                          a.app, p->name, p->external_host),
                              a.file));
        return;
    }
    if (std::find(o.providers.begin(), o.providers.end(), p->pk) == o.providers.end()) {
        out.push_back(finding(severity::error, diag_code::authentik_not_on_outpost,
                              fmt::format("{}: provider {} is not on the outpost {} that nginx "
                                          "asks (every request gets 500)",
                                          a.app, p->name, o.name),
                              a.file));
        return;
    }
    out.push_back(finding(severity::ok, diag_code::authentik_in_sync,
                          fmt::format("{}: provider {} ({}) is on {}", a.app, p->name,
                                      p->external_host, o.name),
                          a.file));
}

// Providers on the outpost for hosts nginx does not send through Authentik.
void check_outpost(const std::vector<swag::app_status>& apps, const world& w, const outpost& o,
                   std::vector<diagnostic>& out) {
    for (int pk : o.providers) {
        const auto p = w.providers.find(pk);
        if (p == w.providers.end()) continue;  // not a proxy provider
        const auto host = host_part(p->second.external_host);
        const bool guarded = std::any_of(apps.begin(), apps.end(), [&](const swag::app_status& a) {
            return by_authentik(a) && (serves_host(a, host) || provider_for(w, a.app) == &p->second);
        });
        if (!guarded) {
            out.push_back(finding(severity::warning, diag_code::authentik_host_unprotected,
                                  fmt::format("provider {} on {} is for {}, which nginx does not "
                                              "protect with Authentik",
                                              p->second.name, o.name, p->second.external_host)));
        }
    }
}

std::vector<diagnostic> audit_or_throw(client& c, const std::vector<swag::app_status>& apps,
                                       const outpost_ref& where) {
    std::vector<diagnostic> out;
    out.push_back(finding(severity::info, diag_code::authentik_version,
                          fmt::format("Authentik {} at {}", c.version(), c.where().url)));
    const auto o = find_outpost(c, where);
    if (!o) {
        out.push_back(finding(severity::error, diag_code::authentik_outpost_missing,
                              fmt::format("Authentik has no outpost for $upstream_authentik {}",
                                          where.upstream)));
        return out;
    }
    const auto w = read_world(c);
    for (const auto& a : apps) {
        if (by_authentik(a)) check_app(a, w, *o, out);
    }
    check_outpost(apps, w, *o, out);
    return out;
}

}  // namespace

std::vector<diagnostic> audit(client& c, const std::vector<swag::app_status>& apps,
                              const outpost_ref& where) {
    try {
        return audit_or_throw(c, apps, where);
    } catch (const api_error& e) {
        return {finding(severity::error, e.code(), e.what())};
    }
}

}  // namespace ngxauth::authentik
