// The validation command (see run_command.hpp).
#include "io/run_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ngxconf/signal_guard.hpp>

#include "io/posix.hpp"
#include "io/supervisor.hpp"

namespace ngxconf::detail::io {

namespace {

// What the wait loop has seen so far.
struct wait_state {
    bool output_closed = false;
    bool status_known = false;
    int status = -1;
};

// Milliseconds to the deadline for poll() (-1: no limit), 0 when it has passed.
int poll_ms(std::chrono::milliseconds timeout, std::chrono::steady_clock::time_point deadline) {
    if (timeout.count() <= 0) return -1;
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::clamp<long long>(left.count(), 0, 60'000));
}

// Reads what is ready on the output and status pipes.
void take_ready(const pollfd (&p)[3], int out, int status_fd, wait_state& w, std::string& output) {
    if (p[0].revents) {
        char buf[4096];
        const auto n = ::read(out, buf, sizeof buf);
        if (n > 0) output.append(buf, static_cast<std::size_t>(n));
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) w.output_closed = true;
    }
    if (p[1].revents) {
        int st = 0;
        w.status_known = true;  // a short read: the supervisor died, the status is unknown
        if (::read(status_fd, &st, sizeof st) == static_cast<ssize_t>(sizeof st)) w.status = st;
    }
}

}  // namespace

// The output is read until every writer has closed the pipe and the shell has ended, or the
// time is up (a daemon the command left behind may hold the pipe open forever), or a signal
// arrives.
command_result run_shell(const std::string& command, std::chrono::milliseconds timeout,
                         signal_guard* signals) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw sys_error("pipe2() for", "validation command", errno);
    unique_fd rd(fds[0]), wr(fds[1]);
    supervised sup = start_supervised(command, wr.get());
    wr.reset();
    command_result res;
    wait_state w;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!(w.output_closed && w.status_known)) {
        if (signals && (res.interrupted_by = signals->poll()) != 0) break;
        const int ms = poll_ms(timeout, deadline);
        if (ms == 0) {
            res.timed_out = true;
            break;
        }
        pollfd p[3] = {{w.output_closed ? -1 : rd.get(), POLLIN, 0},
                       {w.status_known ? -1 : sup.status.get(), POLLIN, 0},
                       {signals ? signals->fd() : -1, POLLIN, 0}};
        const int ready = ::poll(p, 3, ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) throw sys_error("poll()", "validation command", errno);
        take_ready(p, rd.get(), sup.status.get(), w, res.output);
    }
    res.status = finish_supervised(sup, w.status_known ? w.status : -1);
    return res;
}

std::string describe_status(int status) {
    if (status == -1) return "status unknown";
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "status " + std::to_string(status);
}

}  // namespace ngxconf::detail::io
