// upstream_target::parse and the host checks shared with generate_auth_subdomain.
#include <arpa/inet.h>

#include <charconv>

#include "detail.hpp"

namespace ngxconf::swag {
namespace detail {
namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool all_digits_and_dots(std::string_view s) {
    for (const char c : s) {
        if (c != '.' && !(c >= '0' && c <= '9')) return false;
    }
    return true;
}

bool is_ipv4(std::string_view s) {
    int parts = 0;
    std::size_t pos = 0;
    while (true) {
        const auto dot = s.find('.', pos);
        const std::string_view part = s.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
        if (part.empty() || part.size() > 3) return false;
        if (part.size() > 1 && part.front() == '0') return false;  // no octal-looking octets
        unsigned v = 0;
        const auto r = std::from_chars(part.data(), part.data() + part.size(), v);
        if (r.ec != std::errc() || r.ptr != part.data() + part.size() || v > 255) return false;
        ++parts;
        if (dot == std::string_view::npos) break;
        pos = dot + 1;
    }
    return parts == 4;
}

std::optional<std::string> label_problem(std::string_view label) {
    if (label.empty()) return "an empty label (\"..\" or a leading/trailing dot)";
    if (label.size() > 63) return "a label longer than 63 characters";
    if (label.front() == '-' || label.back() == '-') return "a label starting or ending with '-'";
    for (const char c : label) {
        if (!is_alnum(c) && c != '-' && c != '_') {
            return std::string("the character '") + c + "'";
        }
    }
    return std::nullopt;
}

[[noreturn]] void invalid(std::string_view text, std::string_view why) {
    throw error(diag_code::swag_invalid_target,
                "invalid upstream \"" + std::string(text) + "\": " + std::string(why) +
                    " (expected a hostname, an IPv4 address, a bracketed IPv6 address such as "
                    "[fd00::5], each with an optional :PORT, or a URL such as "
                    "https://outpost.example.com:9443)");
}

}  // namespace

std::optional<std::string> host_problem(std::string_view host) {
    if (host.empty()) return "the host is empty";
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return "an IPv6 address needs its closing ']'";
        const std::string addr(host.substr(1, host.size() - 2));
        in6_addr out{};
        if (addr.find('%') != std::string::npos || ::inet_pton(AF_INET6, addr.c_str(), &out) != 1) {
            return "\"" + addr + "\" is not an IPv6 address";
        }
        return std::nullopt;
    }
    if (all_digits_and_dots(host)) {
        if (is_ipv4(host)) return std::nullopt;
        return "\"" + std::string(host) + "\" is not an IPv4 address";
    }
    if (host.find(':') != std::string_view::npos) {
        return "a ':' in the host (write an IPv6 address as [fd00::5], a port as host:port)";
    }
    if (host.size() > 253) return "the hostname is longer than 253 characters";
    std::size_t pos = 0;
    while (true) {
        const auto dot = host.find('.', pos);
        const std::string_view label = host.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
        if (auto why = label_problem(label)) return "the hostname has " + *why;
        if (dot == std::string_view::npos) break;
        pos = dot + 1;
    }
    return std::nullopt;
}

bool is_container_name(std::string_view host) {
    return !host.empty() && host.find_first_of(".:[") == std::string_view::npos;
}

}  // namespace detail

namespace {

// Splits host[:port] (a bracketed IPv6 host keeps its brackets) and sets t.port. A host with
// several ':' and no brackets is left whole: host_problem() says how to write an IPv6 address.
std::string_view split_port(std::string_view text, std::string_view rest, upstream_target& t) {
    std::string_view host = rest;
    std::string_view port;
    bool has_port = false;
    if (rest.starts_with('[')) {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) detail::invalid(text, "an IPv6 address needs its closing ']'");
        host = rest.substr(0, close + 1);
        const std::string_view after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') detail::invalid(text, "only a port may follow the host");
            port = after.substr(1);
            has_port = true;
        }
    } else if (const auto colon = rest.find(':');
               colon != std::string_view::npos && colon == rest.rfind(':')) {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        has_port = true;
    }
    if (has_port && port.empty()) detail::invalid(text, "the port is empty");
    if (has_port && port.find_first_of("/?#") == std::string_view::npos) {
        unsigned v = 0;
        const auto r = std::from_chars(port.data(), port.data() + port.size(), v);
        if (r.ec != std::errc() || r.ptr != port.data() + port.size() || v == 0 || v > 65535) {
            detail::invalid(text, "the port must be a number from 1 to 65535");
        }
        t.port = static_cast<std::uint16_t>(v);
    }
    return host;
}

}  // namespace

// host, host:port, [v6], [v6]:port, or a URL scheme://host[:port] with nothing after it.
upstream_target upstream_target::parse(std::string_view text) {
    upstream_target t;
    std::string_view rest = text;
    const auto sep = rest.find("://");
    if (sep != std::string_view::npos) {
        std::string scheme(rest.substr(0, sep));
        for (char& c : scheme) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        if (scheme != "http" && scheme != "https") {
            detail::invalid(text, "the scheme must be http or https");
        }
        t.scheme = scheme;
        rest.remove_prefix(sep + 3);
        if (rest.find_first_of("/?#") != std::string_view::npos) {
            detail::invalid(text, "a URL may not have a path, query or fragment");
        }
    }
    rest = split_port(text, rest, t);
    if (auto why = detail::host_problem(rest)) detail::invalid(text, *why);
    t.host = std::string(rest);
    return t;
}

}  // namespace ngxconf::swag
