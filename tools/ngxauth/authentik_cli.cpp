// Shared pieces of the commands that talk to Authentik (authentik_cli.hpp).
#include "authentik_cli.hpp"

#include <fmt/core.h>

#include "ngxconf/json.hpp"
#include "ngxconf/ngxconf.hpp"

namespace ngxauth {

authentik::client make_client(const authentik::connection& c) {
    if (c.insecure) {
        fmt::print(stderr, "ngxauth: warning: --insecure: the certificate of {} is not checked\n", c.url);
    }
    return authentik::client(c);
}

authentik::outpost_ref outpost_for(const ngxconf::swag::layout& where,
                                   const std::string& outpost_option) {
    if (!outpost_option.empty()) return {outpost_option};
    const auto file = where.root / "authentik-server.conf";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return {"authentik-server"};
    const auto doc = ngxconf::parse_file(file);
    for (const auto& d : ngxconf::find_all(doc.root(), "set", {.recursive = true})) {
        if (d.arg_count() == 2 && d.arg(0) == "$upstream_authentik") return {std::string(d.arg(1))};
    }
    return {"authentik-server"};
}

std::string domain_for(const authentik_args& a, const authentik::connection& c) {
    if (a.domain) return *a.domain;
    std::string host = c.url.substr(c.url.find("://") == std::string::npos ? 0 : c.url.find("://") + 3);
    host = host.substr(0, host.find_first_of("/:"));
    const auto dot = host.find('.');
    const bool name = !host.empty() && host.find_first_not_of("0123456789.") != std::string::npos &&
                      host.front() != '[';
    if (name && dot != std::string::npos && host.find('.', dot + 1) != std::string::npos) {
        return host.substr(dot + 1);
    }
    throw usage_failure("the Authentik half needs --domain DOMAIN (apps answer on APP.DOMAIN)");
}

void print_steps(const std::vector<authentik::api_step>& steps, const style& st, std::FILE* to) {
    for (const auto& s : steps) {
        fmt::print(to, "{} {} {}{}\n", st.cyan("authentik:"), s.method, s.path,
                   s.body.is_null() ? std::string() : " " + authentik::redacted(s.body).dump());
    }
}

std::string steps_json(const authentik::client& c, const std::string& version,
                       const std::vector<authentik::api_step>& steps, int writes,
                       const std::vector<std::string>& extra_members) {
    auto plan = authentik::json::array();
    for (const auto& s : steps) {
        plan.push_back({{"method", s.method}, {"path", s.path}, {"body", authentik::redacted(s.body)}});
    }
    std::string extra;
    for (const auto& m : extra_members) extra += "," + m;
    return fmt::format(",\"authentik\":{{\"url\":{},\"version\":{},\"writes\":{},\"plan\":{}{}}}",
                       ngxconf::json_quote(c.where().url), ngxconf::json_quote(version), writes,
                       plan.dump(), extra);
}

}  // namespace ngxauth
