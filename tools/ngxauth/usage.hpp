#pragma once
// Command lines ngxauth refuses: the message and the close names of what was mistyped.
#include <CLI/CLI.hpp>
#include <cstdint>

#include "output.hpp"

namespace ngxauth {

// The usage_failure for a command line CLI11 refused: an unknown command or option gets its
// close names ("unknown command \"protec\"" + protect), anything else CLI11's own message.
[[nodiscard]] usage_failure refused_command_line(CLI::App& app, const CLI::ParseError& e, int argc,
                                                 char** argv);
// Whether the command line asks for --json (read before parsing, so that a refused command
// line still gets its JSON failure object).
[[nodiscard]] bool wants_json(int argc, char** argv);

// Checks of numbers with plain messages ("abc is not a number", "must be more than 0"),
// instead of CLI11's ranges spelled with 309 digits.
enum class at_least : std::uint8_t { zero, above_zero };
[[nodiscard]] CLI::Validator seconds(at_least min);
[[nodiscard]] CLI::Validator port_number();

}  // namespace ngxauth
