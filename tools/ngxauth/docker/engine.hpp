#pragma once
// A client of the Docker Engine API over its unix socket or TCP (libcurl through http.hpp,
// JSON through nlohmann-json). It reads only what ngxauth needs: the ping, containers (list
// with label filters, inspect), exec for `nginx -t` / `nginx -s reload`, the event stream.
// The API version is negotiated (GET /_ping, its Api-Version header), never hard-coded;
// 1.41 (Engine 20.10) is the oldest accepted. Never prints; failures are docker_error.
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "ngxconf/diagnostic.hpp"

namespace ngxauth::docker {

// Why a request failed: code is one of docker.unreachable, docker.permission_denied,
// docker.api_too_old, docker.timeout, docker.bad_response; the message names the fix
// ("run as root or add the user to the docker group").
class docker_error : public std::runtime_error {
public:
    docker_error(ngxconf::diag_code code, const std::string& message)
        : std::runtime_error(message), code_(code) {}
    [[nodiscard]] ngxconf::diag_code code() const noexcept { return code_; }

private:
    ngxconf::diag_code code_;
};

// Where the Engine listens. DOCKER_HOST's forms: "unix:///var/run/docker.sock",
// "tcp://HOST:PORT", or a bare "HOST" / "HOST:PORT" meaning tcp (port 2375), as the
// linuxserver mods read it.
struct endpoint {
    bool unix_socket = true;
    std::string path;  // the socket, when unix_socket
    std::string host;  // "HOST:PORT", when tcp
    [[nodiscard]] std::string describe() const;  // "unix:///var/run/docker.sock", "tcp://h:2375"
};
// Throws docker_error (docker.unreachable) for a form it cannot use (ssh://, npipe://, ...).
[[nodiscard]] endpoint parse_docker_host(std::string_view text);
// --docker-host, else $DOCKER_HOST (read by the CLI and passed in), else the default socket.
[[nodiscard]] endpoint default_endpoint();

struct engine_options {
    endpoint where = default_endpoint();
    double timeout_seconds = 5;  // each request (the event stream: the connection only)
};

struct exec_result {
    int exit_code = -1;
    std::string output;  // stdout and stderr as the command wrote them, interleaved
};

// One Engine event of type container.
struct event {
    std::string action;  // "create", "start", "die", "destroy", "rename", ...
    std::string id;
    std::string name;    // Actor.Attributes.name
};

class engine {
public:
    // GET /_ping; throws docker_error (unreachable, permission_denied, timeout, api_too_old).
    [[nodiscard]] static engine connect(const engine_options& o);

    [[nodiscard]] const std::string& api_version() const noexcept { return version_; }  // "1.41"
    [[nodiscard]] const endpoint& where() const noexcept { return options_.where; }

    // Every container (stopped ones too), each inspected; `label_filters` as the API's
    // filters ("swag=enable", "swag_url"); `env_keys`: the only environment keys kept.
    [[nodiscard]] std::vector<container> containers(const std::vector<std::string>& label_filters = {},
                                                    const std::vector<std::string>& env_keys = {}) const;
    // One container by name or id; nullopt when the Engine has none of that name.
    [[nodiscard]] std::optional<container> inspect(std::string_view name_or_id,
                                                   const std::vector<std::string>& env_keys = {}) const;
    // Runs argv in a running container (exec create + start, attached, no tty), waits at most
    // `timeout_seconds`, returns its exit code and output. Throws docker_error on failure to run.
    [[nodiscard]] exec_result exec(std::string_view container, const std::vector<std::string>& argv,
                                   double timeout_seconds) const;
    // Follows GET /events (type=container) until `on_event` returns false or `keep_going`
    // (polled about every 100 ms) does; returns normally then. Throws docker_error when the
    // stream cannot be opened or breaks (the daemon went away): the caller reconnects.
    void events(const std::function<bool(const event&)>& on_event,
                const std::function<bool()>& keep_going) const;

private:
    engine(engine_options o, std::string version) : options_(std::move(o)), version_(std::move(version)) {}
    engine_options options_;
    std::string version_;
};

}  // namespace ngxauth::docker
