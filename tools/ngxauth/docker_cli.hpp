#pragma once
// From ngxauth's Docker options (--docker-host or $DOCKER_HOST, --docker-timeout) to the
// Engine client's: for every command that talks to Docker.
#include "commands.hpp"
#include "docker/engine.hpp"

namespace ngxauth {

// Where and how to reach the Engine; throws docker_error (docker.unreachable) for a host
// form it cannot use. Does not look at d.off: the caller decides what --no-docker means.
[[nodiscard]] docker::engine_options engine_options_of(const docker_options& d);

}  // namespace ngxauth
