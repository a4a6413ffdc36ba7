// The names of nginx versions and contexts (CLI options, JSON), and the public table view.
#include <ngxconf/check.hpp>

#include <array>

#include "check/tables.hpp"

namespace ngxconf {
namespace {

struct context_name {
    check_context context;
    std::string_view name;   // what to_string() gives and --context takes
    std::string_view alias;  // the enumerator's name, also accepted
};
constexpr std::array<context_name, 14> context_names{{
    {check_context::main, "main", "main"},
    {check_context::events, "events", "events"},
    {check_context::http, "http", "http"},
    {check_context::http_server, "server", "http_server"},
    {check_context::http_location, "location", "http_location"},
    {check_context::http_upstream, "upstream", "http_upstream"},
    {check_context::http_if_server, "if_in_server", "http_if_server"},
    {check_context::http_if_location, "if", "http_if_location"},
    {check_context::http_limit_except, "limit_except", "http_limit_except"},
    {check_context::stream, "stream", "stream"},
    {check_context::stream_server, "stream_server", "stream_server"},
    {check_context::stream_upstream, "stream_upstream", "stream_upstream"},
    {check_context::mail, "mail", "mail"},
    {check_context::mail_server, "mail_server", "mail_server"},
}};

}  // namespace

std::string_view to_string(nginx_version v) noexcept {
    return v == nginx_version::v1_22 ? "1.22" : "1.26";
}

std::optional<nginx_version> nginx_version_named(std::string_view s) noexcept {
    if (s == "1.22" || s == "1.22.1") return nginx_version::v1_22;
    if (s == "1.26" || s == "1.26.3") return nginx_version::v1_26;
    return std::nullopt;
}

std::string_view to_string(check_context c) noexcept {
    for (const auto& n : context_names) {
        if (n.context == c) return n.name;
    }
    return "unknown";
}

std::optional<check_context> check_context_named(std::string_view s) noexcept {
    for (const auto& n : context_names) {
        if (n.name == s || n.alias == s) return n.context;
    }
    return std::nullopt;
}

std::vector<directive_info> directive_table(nginx_version v) {
    std::vector<directive_info> out;
    for (const auto& r : detail::check::rows(v)) out.push_back({r.name, r.module, r.source, r.type});
    return out;
}

}  // namespace ngxconf
