#pragma once
// Commands ngxauth answers before CLI11 parses and never lists in --help: they serve the
// build and the shell completions, not people.
//   ngxauth --dump-cli                   the command line as JSON (tools/common/cli_dump.hpp)
//   ngxauth __complete-apps [--root DIR]  the app names of ROOT, one a line, for completion
//   ngxauth __docker-exec ... CONTAINER ARG...  ARG... run in a container (docker_cli.hpp):
//                                        how --validate auto / --reload auto run nginx there
#include <CLI/CLI.hpp>
#include <optional>

namespace ngxauth {

// The exit code when argv is one of the hidden commands (it has run), else nullopt.
[[nodiscard]] std::optional<int> run_hidden_command(const CLI::App& app, int argc, char** argv);

}  // namespace ngxauth
