#pragma once
// Docker as the commands see it: the Engine reached through --docker-host / $DOCKER_HOST
// and --docker-timeout, SWAG's container among its containers, and doctor's container
// findings. Unreachable Docker is a note, never a failure of the command.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "docker/engine.hpp"
#include "docker/locate.hpp"

namespace ngxauth {

// The Engine options the flags give (throws docker_error for a --docker-host it cannot use).
[[nodiscard]] docker::engine_options engine_options_of(const docker_options& o);

struct docker_view {
    std::optional<docker::engine> engine;        // nullopt: --no-docker, or unreachable
    std::vector<docker::container> containers;   // every container, with `env_keys` only
    std::optional<docker::container> swag;       // SWAG's container, when found
    bool serves_root = false;                    // its /config/nginx is the tree
    // Why not (docker.unreachable and the other docker_error codes as warnings;
    // docker.swag_missing; docker.swag_mount). Empty under --no-docker.
    std::vector<ngxconf::diagnostic> notes;
};

// Connects (unless --no-docker), lists the containers asking only for `env_keys`, finds SWAG
// for the tree at `root`.
[[nodiscard]] docker_view look_at_docker(const options& o, const std::filesystem::path& root,
                                         const std::vector<std::string>& env_keys);

// doctor's container findings for the session's tree (docker/checks.hpp), or the note saying
// why there are none; nothing under --no-docker.
[[nodiscard]] std::vector<ngxconf::diagnostic> docker_findings(const options& o,
                                                               ngxconf::swag::session& s);

}  // namespace ngxauth
