// The names a container answers to on a network, as Docker's embedded DNS serves them.
#include <algorithm>

#include "model.hpp"

namespace ngxauth::docker {

namespace {

// Docker's predefined networks: the default bridge has no embedded DNS (containers there
// reach each other by IP only); host and none have no addresses of their own.
bool without_dns(const std::string& network) {
    return network == "bridge" || network == "host" || network == "none";
}

}  // namespace

std::vector<std::string> names_on(const container& c, const attachment& a) {
    std::vector<std::string> names;
    if (without_dns(a.network)) return names;
    const auto add = [&names](const std::string& n) {
        if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    };
    // API 1.44 and newer say it all in DNSNames; before, the name, the aliases (which hold
    // the short id on user-defined networks) and the short id are what the resolver knows.
    if (!a.dns_names.empty()) {
        for (const auto& n : a.dns_names) add(n);
        return names;
    }
    add(c.name);
    for (const auto& n : a.aliases) add(n);
    if (!c.id.empty()) add(c.short_id());
    return names;
}

}  // namespace ngxauth::docker
