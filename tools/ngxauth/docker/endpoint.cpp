// Where the Engine listens: DOCKER_HOST's forms, read the way the Docker CLI and the
// linuxserver mods read them.
#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "engine.hpp"

namespace ngxauth::docker {
namespace {

using ngxconf::diag_code;

constexpr std::string_view default_socket = "/var/run/docker.sock";
constexpr int default_tcp_port = 2375;
// sockaddr_un's sun_path holds 108 bytes, the terminating NUL included.
constexpr std::size_t max_socket_path = 107;

[[noreturn]] void refuse(std::string_view text, std::string_view why) {
    throw docker_error(diag_code::docker_unreachable,
                       fmt::format("cannot use Docker host '{}': {}", text, why));
}

bool host_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
}

// "HOST" or "HOST:PORT" (HOST a name, an IPv4 address or a bracketed IPv6 one) ->
// "HOST:PORT", the port 2375 when none is given.
std::string tcp_host(std::string_view text, std::string_view hostport) {
    if (!hostport.empty() && hostport.back() == '/') hostport.remove_suffix(1);
    std::string_view host = hostport;
    std::string_view port;
    if (hostport.starts_with('[')) {
        const auto close = hostport.find(']');
        if (close == std::string_view::npos) refuse(text, "an IPv6 address needs its closing ']'");
        host = hostport.substr(0, close + 1);
        const auto rest = hostport.substr(close + 1);
        if (!rest.empty() && !rest.starts_with(':')) refuse(text, "expected :PORT after the address");
        if (!rest.empty()) port = rest.substr(1);
        const auto inside = host.substr(1, host.size() - 2);
        if (inside.empty() || !std::all_of(inside.begin(), inside.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
            })) {
            refuse(text, "not an IPv6 address between the brackets");
        }
    } else {
        if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
            host = hostport.substr(0, colon);
            port = hostport.substr(colon + 1);
            if (port.empty()) refuse(text, "the port is empty");
        }
        if (host.empty()) refuse(text, "no host name");
        if (!std::all_of(host.begin(), host.end(), host_char)) {
            refuse(text, "a host is a name or an address (letters, digits, '.', '-')");
        }
    }
    int number = default_tcp_port;
    if (!port.empty()) {
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (ec != std::errc() || end != port.data() + port.size() || number < 1 || number > 65535) {
            refuse(text, "the port must be a number from 1 to 65535");
        }
    }
    return fmt::format("{}:{}", host, number);
}

endpoint unix_endpoint(std::string_view text, std::string_view path) {
    if (path.empty()) refuse(text, "no socket path after unix://");
    if (path.size() > max_socket_path) {
        refuse(text, fmt::format("a socket path is at most {} bytes", max_socket_path));
    }
    endpoint e;
    e.unix_socket = true;
    e.path = std::string(path);
    return e;
}

}  // namespace

std::string endpoint::describe() const {
    return unix_socket ? fmt::format("unix://{}", path) : fmt::format("tcp://{}", host);
}

endpoint default_endpoint() {
    endpoint e;
    e.path = std::string(default_socket);
    return e;
}

endpoint parse_docker_host(std::string_view text) {
    if (text.empty()) return default_endpoint();
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) {
        // A bare absolute path is a socket; anything else a host, as the linuxserver mods read it.
        if (text.starts_with('/')) return unix_endpoint(text, text);
        endpoint e;
        e.unix_socket = false;
        e.host = tcp_host(text, text);
        return e;
    }
    const auto scheme = text.substr(0, scheme_end);
    const auto rest = text.substr(scheme_end + 3);
    if (scheme == "unix") return unix_endpoint(text, rest);
    if (scheme == "tcp") {
        if (const auto slash = rest.find('/');
            slash != std::string_view::npos && slash + 1 != rest.size()) {
            refuse(text, "a tcp:// host takes no path");
        }
        endpoint e;
        e.unix_socket = false;
        e.host = tcp_host(text, rest);
        return e;
    }
    refuse(text, fmt::format("ngxauth talks to unix:///PATH or tcp://HOST:PORT, not {}://", scheme));
}

}  // namespace ngxauth::docker
