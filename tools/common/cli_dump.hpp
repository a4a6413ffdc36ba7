#pragma once
// The command line of a tool as data: `TOOL --dump-cli` prints it as JSON, and
// scripts/gen-cli-docs.py turns that into the man page and the bash, zsh and fish completions
// at build time, so none of them can drift from the CLI11 definition. Not listed in --help.
#include <CLI/CLI.hpp>
#include <ostream>

namespace ngxtools {

// Whether the command line is exactly `TOOL --dump-cli`.
[[nodiscard]] bool wants_cli_dump(int argc, char** argv);

// Writes app (every subcommand, depth first, each with its path from the top) as one JSON
// object: {"name", "description", "footer", "commands": [{"path": [...], "description",
// "fallthrough", "options": [{"names", "positional", "type", "description", "default",
// "takes_value", "required", "multiple"}]}]}. Hidden options (no group) are left out.
void dump_cli(const CLI::App& app, std::ostream& out);

}  // namespace ngxtools
