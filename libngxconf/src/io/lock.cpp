// The tree lock (see lock.hpp). The wait polls (LOCK_NB every 50 ms) rather than blocking in
// flock(), so that the time limit and the signals are seen while waiting.
#include "io/lock.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>

#include <cerrno>
#include <ngxconf/save.hpp>
#include <ngxconf/signal_guard.hpp>

#include "io/fs_util.hpp"

namespace ngxconf::detail::io {

namespace fs = std::filesystem;

void throw_if_interrupted(signal_guard* signals) {
    if (!signals) return;
    if (const int sig = signals->poll()) throw interrupted_error(sig);
}

namespace {

// Sleeps up to `ms`, waking early when a guarded signal arrives.
void nap(signal_guard* signals, int ms) {
    pollfd p{signals ? signals->fd() : -1, POLLIN, 0};
    ::poll(&p, 1, ms);
}

io_error held(const fs::path& state_dir) {
    return plain_error(error_code::locked,
                       "another run holds the lock on \"" + state_dir.string() + "\"", state_dir);
}

}  // namespace

tree_lock::tree_lock(const fs::path& state_dir, const lock_wait& how) {
    fd_ = unique_fd(::open(state_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd_) throw sys_error("open()", state_dir, errno);
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + how.timeout;
    bool waiting = false;
    for (;;) {
        throw_if_interrupted(how.signals);
        if (::flock(fd_.get(), LOCK_EX | LOCK_NB) == 0) return;
        if (errno == EINTR) continue;
        if (errno != EWOULDBLOCK) throw sys_error("flock()", state_dir, errno);
        if (how.timeout.count() == 0) throw held(state_dir);
        if (how.timeout.count() > 0 && clock::now() >= deadline) throw held(state_dir);
        if (!waiting && how.on_wait) how.on_wait(state_dir);
        waiting = true;
        nap(how.signals, 50);
    }
}

}  // namespace ngxconf::detail::io
