#pragma once
// How ngxauth runs a write: the transaction options its flags give (--validate, --wait, the
// label), signals that stop it cleanly, and a --reload command that a signal can stop.
#include <filesystem>
#include <string>

#include "commands.hpp"
#include "ngxconf/save.hpp"
#include "ngxconf/signal_guard.hpp"

namespace ngxauth {

// The command line as the history records it: the arguments joined by spaces, those with
// spaces or shell characters in single quotes.
[[nodiscard]] std::string command_line(int argc, const char* const* argv);

// The options of a transaction on `root` from the command's flags; `guard` receives the
// signals. The first wait for another run's lock is said once on stderr.
[[nodiscard]] ngxconf::transaction_options transaction_of(const options& o,
                                                          const std::filesystem::path& root,
                                                          ngxconf::signal_guard& guard);

// Runs `command` through /bin/sh in a process group of its own, with the guarded signals
// unblocked; its stdout goes to stderr when `to_stderr`. A signal received meanwhile kills
// that group and returns -1 (guard.received() says which); else the exit status (127 when
// it could not start, 128+N when a signal ended it).
[[nodiscard]] int run_shell_guarded(const std::string& command, ngxconf::signal_guard& guard,
                                    bool to_stderr);

// `,"interrupted":{...}` for a --json report: code io.interrupted, the signal, the exit code.
[[nodiscard]] std::string json_interrupted(int signal_number);

}  // namespace ngxauth
