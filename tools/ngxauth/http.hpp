#pragma once
// A thin HTTP client over libcurl's easy API, for the commands that talk to a server
// (`verify`, the Authentik and Docker API clients). One request, one response: no cookies,
// no redirects followed, a hard timeout (or, for a stream, a connect timeout and a callback
// that says when to stop). Never prints.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
    double timeout_seconds = 10;     // the whole transfer, connection included (0: none)
    double connect_timeout_seconds = 0;  // the connection alone (0: only timeout_seconds)
    std::size_t max_body = 64 * 1024;// bytes of the response body kept
    // A stream (Docker's events, an exec's output): each piece of the body goes here instead
    // of response::body; returning false stops the transfer (response::stopped).
    std::function<bool(std::string_view)> on_body;
    // Asked every 100 ms while the transfer runs (also while nothing arrives); returning
    // false stops it (response::stopped).
    std::function<bool()> keep_going;
};

// Why no response came, for callers that explain it.
enum class failure_kind { none, timeout, tls, connect, other };

struct response {
    bool answered = false;     // false: no HTTP response (see `error`)
    failure_kind failure = failure_kind::none;
    long status = 0;           // 302
    std::string status_line;   // "HTTP/1.1 302 Moved Temporarily"
    std::string location;      // the Location header, empty when none
    // Every header of the final response as sent ("Api-Version", "1.41"), in order.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;          // at most request::max_body bytes (none with on_body)
    std::string error;         // libcurl's message when !answered
    bool stopped = false;      // on_body or keep_going ended the transfer

    // The first header named `name` (case-insensitive); nullopt when absent.
    [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

// Performs the request. Transport failures (DNS, refused, TLS, timeout) come back in
// response::error; only a failure to set up libcurl itself throws std::runtime_error, and
// what request::on_body or keep_going throw comes out of perform() once libcurl is done.
[[nodiscard]] response perform(const request& req);

// Whether this build can make requests (false in builds without libcurl).
[[nodiscard]] bool available() noexcept;

}  // namespace ngxauth::http
