#pragma once
// The validation command of a transaction: /bin/sh -c in a process group of its own.
#include <chrono>
#include <string>

namespace ngxconf::detail::io {

struct command_result {
    int status = 0;  // waitpid() status
    std::string output;
    bool timed_out = false;
};

// Runs `sh -c command` (stdin /dev/null, stdout and stderr captured together) in a process
// group of its own; after `timeout` (zero: none) the whole group is killed.
command_result run_shell(const std::string& command, std::chrono::milliseconds timeout);

// "exit status N", "killed by signal N".
std::string describe_status(int status);

}  // namespace ngxconf::detail::io
