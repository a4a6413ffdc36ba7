#pragma once
// A thin HTTP client over libcurl's easy API, for the commands that talk to a server
// (`verify` now; later a Docker or Authentik API client). One request, one response: no
// cookies, no redirects followed, a hard timeout. Never prints.
#include <optional>
#include <string>
#include <vector>

namespace ngxauth::http {

struct request {
    std::string url;                 // "https://dockge.example.com/"
    std::string method = "GET";      // GET, or POST with a body; other verbs sent as named
    std::vector<std::string> headers;// "Name: value" lines added to the request
    std::string body;                // sent as is when non-empty
    // "HOST:PORT": connect there instead of the URL's host and port, keeping the URL's
    // name for SNI, certificate and Host (curl --connect-to / --resolve).
    std::optional<std::string> connect_to;
    std::optional<std::string> unix_socket;  // a socket path (the Docker API)
    bool insecure = false;           // skip TLS certificate and host name checks
    std::optional<std::string> ca_file;  // trust these CAs (PEM) instead of the system's
    double timeout_seconds = 10;     // the whole transfer, connection included
    std::size_t max_body = 64 * 1024;// bytes of the response body kept
};

// Why no response came, for callers that explain it.
enum class failure_kind { none, timeout, tls, connect, other };

struct response {
    bool answered = false;     // false: no HTTP response (see `error`)
    failure_kind failure = failure_kind::none;
    long status = 0;           // 302
    std::string status_line;   // "HTTP/1.1 302 Moved Temporarily"
    std::string location;      // the Location header, empty when none
    std::string body;          // at most request::max_body bytes
    std::string error;         // libcurl's message when !answered
};

// Performs the request. Transport failures (DNS, refused, TLS, timeout) come back in
// response::error; only a failure to set up libcurl itself throws std::runtime_error.
[[nodiscard]] response perform(const request& req);

// Whether this build can make requests (false in builds without libcurl).
[[nodiscard]] bool available() noexcept;

}  // namespace ngxauth::http
