// Hosts and URLs of apps on the live site (site.hpp).
#include "site.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "ngxconf/ngxconf.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;

std::string lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

bool ends_with(const std::string& s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::vector<std::string> server_names(const swag::app_status& a) {
    std::vector<std::string> out;
    if (a.kind == swag::app_kind::subfolder) return out;
    const auto doc = ngxconf::parse_file(a.file);
    for (const auto& d : ngxconf::find_all(doc.root(), "server_name", {.recursive = true})) {
        for (const auto& name : d.args()) out.push_back(name);
    }
    return out;
}

std::string host_of(const swag::app_status& a, const std::string& domain) {
    if (a.kind == swag::app_kind::subfolder) return domain;
    for (const auto& name : server_names(a)) {
        if (name.size() > 2 && ends_with(name, ".*")) return name.substr(0, name.size() - 1) + domain;
        if (name.find('*') == std::string::npos && name.find('.') != std::string::npos &&
            name.front() != '~') {
            return name;
        }
    }
    return a.app + "." + domain;
}

std::string url_of(const swag::app_status& a, const std::string& domain) {
    if (a.kind == swag::app_kind::subfolder) return fmt::format("https://{}/{}/", domain, a.app);
    return fmt::format("https://{}/", host_of(a, domain));
}

bool serves_host(const swag::app_status& a, const std::string& host_in) {
    const auto host = lower(host_in);
    for (const auto& raw : server_names(a)) {
        const auto name = lower(raw);
        if (name.size() > 2 && ends_with(name, ".*") &&
            host.rfind(name.substr(0, name.size() - 1), 0) == 0) {
            return true;
        }
        if (name.size() > 2 && name.rfind("*.", 0) == 0 && ends_with(host, name.substr(1))) return true;
        if (name == host) return true;
    }
    return false;
}

std::vector<swag::app_status> pick(const std::vector<swag::app_status>& all,
                                   const std::string& wanted) {
    std::string name = wanted;
    if (name.size() > 5 && name.substr(name.size() - 5) == ".conf") name.resize(name.size() - 5);
    std::vector<swag::app_status> out;
    for (const auto& a : all) {
        const auto kind = a.kind == swag::app_kind::subdomain ? ".subdomain" : ".subfolder";
        if (a.app == name || a.app + kind == name) out.push_back(a);
    }
    if (out.empty()) {
        throw swag::error(ngxconf::diag_code::swag_app_not_found,
                          fmt::format("no active proxy-conf for '{}'", wanted));
    }
    return out;
}

}  // namespace ngxauth
