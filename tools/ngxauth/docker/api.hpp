#pragma once
// The Engine client's requests over http.hpp and what their failures mean; shared by
// engine.cpp, exec.cpp and events.cpp (not a public interface).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "../http.hpp"
#include "engine.hpp"

namespace ngxauth::docker::detail {

// A request to the Engine at `e`: `target` is the path and query as the API spells them
// ("/_ping", "/v1.41/containers/json?all=1"); a body is sent as JSON.
[[nodiscard]] http::request request_to(const endpoint& e, std::string_view method,
                                       std::string_view target, double timeout_seconds,
                                       std::string body = {});

// Sends `req`, first checking that a unix socket exists and is open to this user (libcurl
// says "could not connect" for both). A transport failure (nothing answered, the answer
// broke off, a timeout) throws the docker_error it means: docker.unreachable,
// docker.permission_denied, docker.timeout. A transfer the request's callbacks stopped
// (response::stopped) is no failure.
// `what` names the request in messages ("GET /containers/json").
[[nodiscard]] http::response send(const endpoint& e, const http::request& req, std::string_view what);

// The Engine's own words for a failed request ({"message": "..."}, else the body's start).
[[nodiscard]] std::string engine_message(const http::response& r);

// The body as JSON; docker.bad_response when it is not JSON.
[[nodiscard]] nlohmann::json json_body(const http::response& r, std::string_view what);

// An answer `what` did not expect: docker.bad_response with the status and the Engine's words.
[[noreturn]] void unexpected(const http::response& r, std::string_view what);

// A query parameter's value, percent-encoded (the filters' JSON).
[[nodiscard]] std::string url_encode(std::string_view s);

}  // namespace ngxauth::docker::detail
