// The provider table: the one place that knows which lines turn each auth provider on.
#include <algorithm>
#include <array>

#include "detail.hpp"

namespace ngxconf::swag {
namespace detail {
namespace {

// SWAG's order in a server block is ldap, Authelia, Authentik, Tinyauth; in a location basic
// auth comes first. Paths are relative to the container root (/config/nginx).
constexpr std::array<provider_info, 5> table{{
    {provider::authentik, "authentik", "authentik", "authentik-server.conf", "authentik-location.conf", "Authentik"},
    {provider::authelia, "authelia", "authelia", "authelia-server.conf", "authelia-location.conf", "Authelia"},
    {provider::ldap, "ldap", "ldap", "ldap-server.conf", "ldap-location.conf", "ldap auth"},
    {provider::tinyauth, "tinyauth", "tinyauth", "tinyauth-server.conf", "tinyauth-location.conf", "Tinyauth"},
    {provider::basic, "basic", "", "", "", ""},
}};

// Basic auth is a pair of directives, both location-level.
constexpr std::string_view basic_names[] = {"auth_basic", "auth_basic_user_file"};

}  // namespace

std::span<const provider_info> provider_table() noexcept { return table; }

const provider_info& info(provider p) noexcept {
    for (const auto& i : table) {
        if (i.id == p) return i;
    }
    return table.back();  // unreachable: every enumerator has a row
}

std::string enable_comment_text(provider p, level l) {
    if (p == provider::basic) return "# enable the next two lines for http auth";
    const auto& i = info(p);
    // Each level's comment names the file the other level needs.
    const bool server = l == level::server;
    return "# enable for " + std::string(i.comment_label) + " (requires " +
           std::string(server ? i.location_file : i.server_file) + " in the " +
           (server ? "location" : "server") + " block)";
}

std::string include_path(provider p, level l, std::string_view container_root) {
    const auto& i = info(p);
    const std::string_view file = l == level::server ? i.server_file : i.location_file;
    if (file.empty()) return {};
    std::string out(container_root);
    if (out.empty() || out.back() != '/') out += '/';
    out += file;
    return out;
}

bool is_line(const directive& d, provider p, level l, std::string_view container_root) {
    if (!d || d.has_block()) return false;
    if (p == provider::basic) {
        if (l != level::location) return false;
        for (const auto n : basic_names) {
            if (d.name() == n) return true;
        }
        return false;
    }
    if (d.name() != "include" || d.arg_count() != 1) return false;
    return d.arg(0) == include_path(p, l, container_root);
}

bool line_on(const directive& d) {
    if (!d.enabled()) return false;
    if (d.name() == "auth_basic" && d.arg_count() == 1 && d.arg(0) == "off") return false;
    return true;
}

std::vector<directive> lines_in(const block& scope, provider p, level l,
                                std::string_view container_root) {
    std::vector<directive> out;
    if (!scope) return out;
    for (const node n : scope) {
        const directive d = n.as_directive();
        if (!d || d.in_commented_block()) continue;
        if (is_line(d, p, l, container_root)) out.push_back(d);
    }
    return out;
}

std::vector<line_spec> lines_to_insert(provider p, level l, std::string_view container_root) {
    if (p == provider::basic) {
        if (l != level::location) return {};
        return {{"auth_basic", {"Restricted"}},
                {"auth_basic_user_file", {std::string(container_root) + "/.htpasswd"}}};
    }
    return {{"include", {include_path(p, l, container_root)}}};
}

bool is_enable_comment(const comment& c, provider p) {
    if (!c || c.in_commented_block()) return false;
    std::string_view t = c.text();
    while (!t.empty() && (t.front() == '#' || t.front() == ' ' || t.front() == '\t')) {
        t.remove_prefix(1);
    }
    const std::string text = lower(t);
    if (!text.starts_with("enable")) return false;
    if (p == provider::basic) {
        return text.find("http auth") != std::string::npos ||
               text.find("basic auth") != std::string::npos;
    }
    const std::string wanted = "enable for " + std::string(info(p).comment_word);
    if (!text.starts_with(wanted)) return false;
    // "enable for ldap auth" but not "enable for ldapx"
    return text.size() == wanted.size() || text[wanted.size()] == ' ' || text[wanted.size()] == '(';
}

}  // namespace detail

std::string_view name_of(provider p) noexcept { return detail::info(p).name; }

std::optional<provider> provider_named(std::string_view name) noexcept {
    // "Authentik" as the docs spell it is accepted too (no allocation: this is noexcept).
    const auto same = [](std::string_view typed, std::string_view known) {
        return std::equal(typed.begin(), typed.end(), known.begin(), known.end(), [](char a, char b) {
            return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
        });
    };
    for (const auto& i : detail::provider_table()) {
        if (same(name, i.name)) return i.id;
    }
    return std::nullopt;
}

}  // namespace ngxconf::swag
