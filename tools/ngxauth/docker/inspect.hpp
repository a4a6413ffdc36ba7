#pragma once
// The Engine's inspect JSON (GET /containers/{id}/json) read into a container (model.hpp).
#include <string_view>
#include <vector>

#include "model.hpp"

namespace ngxauth::docker {

// The container `text` describes; of its environment only the keys in `env_keys` are kept
// (every other value is dropped unread). Throws docker_error (docker.bad_response) when
// `text` is not JSON or not shaped as an inspect answer.
[[nodiscard]] container container_from_inspect(std::string_view text,
                                               const std::vector<std::string>& env_keys);

}  // namespace ngxauth::docker
