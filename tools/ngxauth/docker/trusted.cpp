// Authentik's trusted proxy ranges and address-in-range tests (checks.hpp).
#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <string>

#include "checks.hpp"

namespace ngxauth::docker {
namespace {

struct address {
    std::array<std::uint8_t, 16> bytes{};
    int bits = 0;  // 32 or 128; 0 when it did not parse
};

address parse_address(std::string_view text) {
    address a;
    const std::string s(text);
    if (::inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
        a.bits = 32;
    } else if (::inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
        a.bits = 128;
    }
    return a;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

const std::vector<std::string>& default_trusted_proxies() {
    static const std::vector<std::string> ranges = {"127.0.0.0/8",    "10.0.0.0/8",
                                                    "172.16.0.0/12",  "192.168.0.0/16",
                                                    "fe80::/10",      "::1/128"};
    return ranges;
}

bool in_cidr(std::string_view address_text, std::string_view cidr) {
    cidr = trimmed(cidr);
    const auto slash = cidr.find('/');
    const auto net = parse_address(cidr.substr(0, slash));
    const auto addr = parse_address(trimmed(address_text));
    if (net.bits == 0 || addr.bits != net.bits) return false;
    int prefix = net.bits;
    if (slash != std::string_view::npos) {
        const auto digits = cidr.substr(slash + 1);
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
            prefix > net.bits) {
            return false;
        }
    }
    for (int bit = 0; bit < prefix; ++bit) {
        const auto byte = static_cast<std::size_t>(bit / 8);
        const auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
        if ((net.bytes[byte] & mask) != (addr.bytes[byte] & mask)) return false;
    }
    return true;
}

}  // namespace ngxauth::docker
