#pragma once
// Which container is SWAG: the one --swag-container names, else one running SWAG's image,
// preferring a running one whose /config holds the tree ngxauth edits. Pure logic over the
// containers engine::containers() listed (no Engine calls), so tests build them by hand.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "ngxconf/diagnostic.hpp"

namespace ngxauth::docker {

// Whether `image` (Config.Image as written) is the repository `repository` ("linuxserver/swag",
// "goauthentik/server") under any registry prefix, with any tag or digest:
// "lscr.io/linuxserver/swag:latest", "linuxserver/swag", "ghcr.io/linuxserver/swag@sha256:..".
[[nodiscard]] bool image_is(std::string_view image, std::string_view repository);

// The host folder where `c` has `container_path` (a path inside it), through the bind mount
// with the longest destination that holds it; nullopt when no mount holds it.
[[nodiscard]] std::optional<std::filesystem::path> host_path_of(const container& c,
                                                               std::string_view container_path);

// Whether `c` shows the tree `root` at /config/nginx (paths compared after weakly_canonical).
[[nodiscard]] bool serves_tree(const container& c, const std::filesystem::path& root);

struct swag_found {
    const container* swag = nullptr;  // into the list given; null when none was found
    bool serves_root = false;         // its /config/nginx is `root`
    // docker.swag_missing (info; a warning when --swag-container names none) when none was
    // found, docker.swag_mount (warning) when the one found does not serve `root`.
    std::optional<ngxconf::diagnostic> finding;
};

// `wanted`: --swag-container NAME or id (prefix) (empty: by image, lscr.io/linuxserver/swag or
// linuxserver/swag). Among several SWAG containers: running and serving `root` first, then
// running, then the first listed.
[[nodiscard]] swag_found locate_swag(const std::vector<container>& all, std::string_view wanted,
                                     const std::filesystem::path& root);

// A finding whose message ends with its fix (": docker start app5"), the fix also on its own
// in `fix`; placed at FILE:LINE when given. Shared by locate and the container checks.
[[nodiscard]] ngxconf::diagnostic finding(ngxconf::severity level, ngxconf::diag_code code,
                                          std::string message, std::string fix,
                                          const std::filesystem::path& file = {},
                                          std::uint32_t line = 0);

}  // namespace ngxauth::docker
