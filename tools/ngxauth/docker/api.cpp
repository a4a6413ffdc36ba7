// Requests to the Engine and the failures explained (api.hpp).
#include "api.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace ngxauth::docker::detail {
namespace {

using ngxconf::diag_code;

// Room for a long container list or inspect; a body cut at this size would not parse.
constexpr std::size_t max_body = 32 * 1024 * 1024;

void check_socket(const endpoint& e) {
    if (!e.unix_socket) return;
    struct stat st {};
    if (::stat(e.path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode)) {
        throw docker_error(diag_code::docker_unreachable,
                           fmt::format("{} is not a socket: give the Engine's socket with "
                                       "--docker-host unix:///PATH or DOCKER_HOST", e.path));
    }
    if (::faccessat(AT_FDCWD, e.path.c_str(), R_OK | W_OK, AT_EACCESS) == 0) return;
    const int err = errno;
    if (err == EACCES || err == EPERM) {
        throw docker_error(diag_code::docker_permission_denied,
                           fmt::format("the Docker socket {} is not open to this user: run as root "
                                       "or add the user to the docker group", e.path));
    }
    if (err == ENOENT || err == ENOTDIR) {
        throw docker_error(diag_code::docker_unreachable,
                           fmt::format("no Docker socket at {}: is Docker running? (another "
                                       "Engine: --docker-host or DOCKER_HOST)", e.path));
    }
    throw docker_error(diag_code::docker_unreachable,
                       fmt::format("cannot use the Docker socket {}: {}", e.path, std::strerror(err)));
}

}  // namespace

http::request request_to(const endpoint& e, std::string_view method, std::string_view target,
                         double timeout_seconds, std::string body) {
    http::request req;
    // Over the socket the host part only fills the Host header.
    req.url = fmt::format("http://{}{}", e.unix_socket ? "localhost" : e.host, target);
    if (e.unix_socket) req.unix_socket = e.path;
    req.method = std::string(method);
    req.timeout_seconds = timeout_seconds;
    req.max_body = max_body;
    if (!body.empty()) req.headers.emplace_back("Content-Type: application/json");
    req.body = std::move(body);
    return req;
}

http::response send(const endpoint& e, const http::request& req, std::string_view what) {
    check_socket(e);
    auto r = http::perform(req);
    if (r.stopped || r.failure == http::failure_kind::none) return r;
    if (r.answered && r.failure != http::failure_kind::timeout) {
        throw docker_error(diag_code::docker_unreachable,
                           fmt::format("the Engine's answer to {} at {} broke off: {}", what,
                                       e.describe(), r.error));
    }
    switch (r.failure) {
        case http::failure_kind::timeout:
            throw docker_error(diag_code::docker_timeout,
                               fmt::format("the Engine at {} did not answer {} within {} s "
                                           "(--docker-timeout)",
                                           e.describe(), what, req.timeout_seconds > 0
                                               ? req.timeout_seconds : req.connect_timeout_seconds));
        case http::failure_kind::connect:
            throw docker_error(diag_code::docker_unreachable,
                               fmt::format("nothing answers at {}: is the Docker daemon running? "
                                           "({})", e.describe(), r.error));
        default:
            throw docker_error(diag_code::docker_unreachable,
                               fmt::format("{} to the Engine at {} failed: {}", what, e.describe(),
                                           r.error));
    }
}

std::string engine_message(const http::response& r) {
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_object() && j.contains("message") && j["message"].is_string()) {
        return j["message"].get<std::string>();
    }
    std::string s = r.body.substr(0, 200);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

nlohmann::json json_body(const http::response& r, std::string_view what) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded()) {
        throw docker_error(diag_code::docker_bad_response,
                           fmt::format("the Engine's answer to {} is not JSON", what));
    }
    return j;
}

void unexpected(const http::response& r, std::string_view what) {
    const auto message = engine_message(r);
    throw docker_error(diag_code::docker_bad_response,
                       fmt::format("the Engine answered {} with {}{}{}", what,
                                   r.status_line.empty() ? std::to_string(r.status) : r.status_line,
                                   message.empty() ? "" : ": ", message));
}

std::string url_encode(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += ch;
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

}  // namespace ngxauth::docker::detail
