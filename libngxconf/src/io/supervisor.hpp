#pragma once
// A supervisor process for a shell command: the command runs in a process group of its own,
// and the supervisor kills that group when told to (SIGTERM) or when its parent dies
// (PR_SET_PDEATHSIG delivers SIGTERM then), so the command never outlives the caller.
#include <sys/types.h>

#include <string>

#include "io/posix.hpp"

namespace ngxconf::detail::io {

struct supervised {
    pid_t supervisor = -1;
    // Becomes readable with the shell's waitpid() status (an int) once the shell has ended.
    unique_fd status;
};

// Starts the supervisor, which starts `sh -c command` with stdin /dev/null and stdout and
// stderr on `out`.
supervised start_supervised(const std::string& command, int out);

// Kills whatever is left of the command's group (through the supervisor) and reaps the
// supervisor; returns the shell's waitpid() status unless `status` already holds it (read
// from s.status by the caller); -1 when it is unknown.
int finish_supervised(supervised& s, int status = -1);

}  // namespace ngxconf::detail::io
