// signal_guard: SIGINT, SIGTERM, SIGHUP and SIGQUIT blocked and read from a signalfd.
#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <ngxconf/signal_guard.hpp>

#include "io/posix.hpp"

namespace ngxconf {

namespace {

sigset_t guarded_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (const int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, s);
    return set;
}

}  // namespace

signal_guard::signal_guard() {
    const sigset_t set = guarded_signals();
    if (const int rc = ::pthread_sigmask(SIG_BLOCK, &set, &old_mask_); rc != 0) {
        throw detail::io::sys_error("pthread_sigmask() for", "signal_guard", rc);
    }
    fd_ = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd_ < 0) {
        const int err = errno;
        ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
        throw detail::io::sys_error("signalfd() for", "signal_guard", err);
    }
}

signal_guard::~signal_guard() {
    ::close(fd_);
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

int signal_guard::poll() noexcept {
    signalfd_siginfo info{};
    for (;;) {
        const auto n = ::read(fd_, &info, sizeof info);
        if (n < 0 && errno == EINTR) continue;
        if (n != static_cast<ssize_t>(sizeof info)) break;
        if (received_ == 0) received_ = static_cast<int>(info.ssi_signo);
    }
    return received_;
}

}  // namespace ngxconf
