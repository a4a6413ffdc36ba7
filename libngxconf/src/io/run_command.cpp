// The validation command (see run_command.hpp).
#include "io/run_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "io/posix.hpp"

extern char** environ;

namespace ngxconf::detail::io {

namespace {

// Starts `sh -c command` with its output into `out`, leading a new process group.
pid_t spawn_shell(const std::string& command, int out) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_adddup2(&fa, out, 2);
    std::string arg0 = "sh", arg1 = "-c", arg2 = command;
    char* argv[] = {arg0.data(), arg1.data(), arg2.data(), nullptr};
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw sys_error("posix_spawn()", "/bin/sh", rc);
    return pid;
}

}  // namespace

// The output is read until every writer has closed the pipe or the time is up (a daemon the
// command left behind may hold the pipe open forever).
command_result run_shell(const std::string& command, std::chrono::milliseconds timeout) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw sys_error("pipe2() for", "validation command", errno);
    unique_fd rd(fds[0]), wr(fds[1]);
    const pid_t pid = spawn_shell(command, wr.get());
    wr.reset();
    command_result res;
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + timeout;
    char buf[4096];
    for (;;) {
        int wait_ms = -1;
        if (timeout.count() > 0) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
            if (left.count() <= 0) {
                res.timed_out = true;
                ::kill(-pid, SIGKILL);
                break;
            }
            wait_ms = static_cast<int>(std::min<long long>(left.count(), 60'000));
        }
        pollfd p{rd.get(), POLLIN, 0};
        const int ready = ::poll(&p, 1, wait_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) throw sys_error("poll()", "validation command", errno);
        if (ready == 0) continue;  // the deadline is checked above
        const auto n = ::read(rd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        res.output.append(buf, static_cast<std::size_t>(n));
    }
    while (::waitpid(pid, &res.status, 0) < 0) {
        if (errno != EINTR) throw sys_error("waitpid()", "/bin/sh", errno);
    }
    return res;
}

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "status " + std::to_string(status);
}

}  // namespace ngxconf::detail::io
