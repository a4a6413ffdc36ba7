#pragma once
// The validation command of a transaction: /bin/sh -c in a process group of its own, watched
// by a supervisor process that kills the group when the caller dies (even by SIGKILL).
#include <chrono>
#include <string>

namespace ngxconf {
class signal_guard;
}

namespace ngxconf::detail::io {

struct command_result {
    int status = 0;  // waitpid() status of the shell
    std::string output;
    bool timed_out = false;
    int interrupted_by = 0;  // the guarded signal that ended the wait, 0: none
};

// Runs `sh -c command` (stdin /dev/null, stdout and stderr captured together). After
// `timeout` (zero: none), or when `signals` (may be null) takes a signal, the command's whole
// process group is killed.
command_result run_shell(const std::string& command, std::chrono::milliseconds timeout,
                         signal_guard* signals);

// "exit status N", "killed by signal N".
std::string describe_status(int status);

}  // namespace ngxconf::detail::io
