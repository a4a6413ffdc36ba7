#pragma once
// Docker as the commands see it: from ngxauth's Docker options (--docker-host or
// $DOCKER_HOST, --docker-timeout) to the Engine client's, SWAG's container among the
// Engine's containers, doctor's container findings, how a write is validated and reloaded.
// Unreachable Docker is a note for doctor, never a failure of the command.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "docker/engine.hpp"
#include "docker/locate.hpp"

namespace ngxauth {

// Where and how to reach the Engine; throws docker_error (docker.unreachable) for a host
// form it cannot use. Does not look at d.off: the caller decides what --no-docker means.
[[nodiscard]] docker::engine_options engine_options_of(const docker_options& d);

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

// How a write is validated and nginx reloaded. --validate CMD and --reload CMD stay shell
// commands; `--validate auto` (also the default without --validate) and `--reload auto` (also
// `--reload` alone) run nginx in SWAG's container through the Engine's exec, as the shell
// command `ngxauth __docker-exec ...` (docker_exec_main) so that the transaction runs, times
// and kills it as it does --validate CMD.
struct write_plan {
    std::string validate_command;  // for the transaction ("" : nothing validates)
    std::string validate_shown;    // "nginx -t in container swag", or CMD
    bool in_container = false;     // validate_command is nginx -t in SWAG's container
    std::string reload_command;    // "" : no reload
    std::string reload_shown;
    // docker.not_validated (nothing validated the change), docker.swag_reloads (SWAG's own
    // auto-reload will), and why Docker could not be used.
    std::vector<ngxconf::diagnostic> notes;
};
// Throws docker_error (exit 7, nothing written) when `auto` was asked for explicitly and
// there is no running SWAG container serving `root`.
[[nodiscard]] write_plan plan_write(const options& o, const std::filesystem::path& root);

// `ngxauth __docker-exec [--docker-host H] [--docker-timeout S] [--exec-timeout S] CONTAINER
// ARG...`: runs ARG... in CONTAINER, writes its output to stdout, exits with its exit code
// (125 when it could not be run, with the reason on stderr).
[[nodiscard]] int docker_exec_main(int argc, char** argv);
inline constexpr const char* docker_exec_command = "__docker-exec";

}  // namespace ngxauth
