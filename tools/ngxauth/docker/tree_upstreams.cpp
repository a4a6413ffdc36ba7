// Reading the tree's upstream values for the container checks (tree_upstreams.hpp).
#include "tree_upstreams.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "ngxconf/ngxconf.hpp"

namespace ngxauth::docker {
namespace {

namespace fs = std::filesystem;
namespace swag = ngxconf::swag;

bool is_set_of(const ngxconf::const_directive& d, std::string_view variable) {
    return d.name() == "set" && d.arg_count() == 2 && d.arg(0) == variable;
}

// The value `set VARIABLE value;` gives in the block of `at`, else in an enclosing block.
std::string set_value(const ngxconf::const_directive& at, std::string_view variable) {
    for (auto scope = at.parent(); scope; scope = scope.is_root() ? ngxconf::const_block() : scope.owner_directive().parent()) {
        for (const auto n : scope) {
            const auto d = n.as_directive();
            if (d && d.enabled() && is_set_of(d, variable)) return d.arg(1);
        }
    }
    return {};
}

std::optional<ngxconf::document> parsed(const fs::path& file) {
    try {
        return ngxconf::parse_file(file);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool uses(const swag::app_status& a, swag::provider p) {
    return std::find(a.server_level.begin(), a.server_level.end(), p) != a.server_level.end() ||
           std::find(a.location_level.begin(), a.location_level.end(), p) != a.location_level.end();
}

// The scheme and port of the first proxy_pass whose URL's host is `variable`.
void scheme_port_of(const ngxconf::document& doc, const std::string& variable, auth_upstream& u) {
    for (const auto& pp : ngxconf::find_all(doc.root(), "proxy_pass", {.recursive = true})) {
        if (pp.arg_count() != 1) continue;
        const std::string url = pp.arg(0);
        const auto sep = url.find("://");
        if (sep == std::string::npos || url.compare(sep + 3, variable.size(), variable) != 0) continue;
        u.scheme = url.substr(0, sep);
        const auto after = url.substr(sep + 3 + variable.size());
        if (after.starts_with(':')) {
            int port = 0;
            const auto [end, ec] = std::from_chars(after.data() + 1, after.data() + after.size(), port);
            if (ec == std::errc() && end != after.data() + 1) u.port = port;
        }
        return;
    }
}

}  // namespace

std::vector<app_upstream> app_upstreams(const std::vector<swag::app_status>& apps) {
    std::vector<app_upstream> out;
    for (const auto& a : apps) {
        const auto doc = parsed(a.file);
        if (!doc) continue;
        const auto first = out.size();
        for (const auto& s : ngxconf::find_all(doc->root(), "set", {.recursive = true})) {
            if (!is_set_of(s, "$upstream_app")) continue;
            app_upstream u{a.app, a.file, s.position().line, s.arg(1),
                           set_value(s, "$upstream_port"), set_value(s, "$upstream_proto")};
            const bool seen = std::any_of(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                                          [&](const app_upstream& o) {
                                              return std::tie(o.host, o.port, o.proto) ==
                                                     std::tie(u.host, u.port, u.proto);
                                          });
            if (!seen) out.push_back(std::move(u));
        }
    }
    return out;
}

std::vector<auth_upstream> auth_upstreams(const fs::path& root, const std::vector<swag::app_status>& apps) {
    std::vector<auth_upstream> out;
    for (const auto p : {swag::provider::authentik, swag::provider::authelia, swag::provider::ldap,
                         swag::provider::tinyauth}) {
        const std::string name(swag::name_of(p));
        const fs::path file = root / (name + "-server.conf");
        std::error_code ec;
        if (!fs::exists(file, ec)) continue;
        const auto doc = parsed(file);
        if (!doc) continue;
        const std::string variable = "$upstream_" + name;
        for (const auto& s : ngxconf::find_all(doc->root(), "set", {.recursive = true})) {
            if (!is_set_of(s, variable)) continue;
            auth_upstream u{name, variable, file, s.position().line, s.arg(1), {}, std::nullopt,
                            std::any_of(apps.begin(), apps.end(), [&](const auto& a) { return uses(a, p); })};
            scheme_port_of(*doc, variable, u);
            out.push_back(std::move(u));
            break;  // the first one: doctor's tree check reports lines that disagree
        }
    }
    return out;
}

}  // namespace ngxauth::docker
