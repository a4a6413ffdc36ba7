#pragma once
// Signals that stop a transaction cleanly instead of killing the process half-way.
//
// The library installs no signal handler behind the caller's back. A caller that wants
// SIGINT, SIGTERM, SIGHUP and SIGQUIT to roll a transaction back creates a signal_guard and
// passes it in transaction_options::signals. For its lifetime the guard blocks those four
// signals in the calling thread (pthread_sigmask) and receives them through a signalfd, so
// they stay pending instead of ending the process. apply_changes looks at it between its steps,
// while waiting for the lock and while the validation command runs: a signal before the commit
// kills the validation command with its whole process group, restores every file (bytes, mode,
// owner, mtime), removes the journal and throws interrupted_error carrying the signal number
// (the caller then reports it and exits 128 + N). A signal after the commit (during a reload,
// say) leaves the change in place: the caller sees it in received().
//
// Create the guard on the thread that calls apply_changes, before other threads are started
// (they inherit the blocked mask): a thread with these signals unblocked would take them
// instead. Children started by the library get them unblocked again.
#include <csignal>

#include "ngxconf/export.hpp"

namespace ngxconf {

class NGXCONF_API signal_guard {
  public:
    // Blocks SIGINT, SIGTERM, SIGHUP and SIGQUIT; throws io_error when signalfd() fails.
    signal_guard();
    // Restores the previous signal mask. A signal still pending (not taken by poll()) is then
    // delivered as usual; one already taken is only in received().
    ~signal_guard();
    signal_guard(const signal_guard&) = delete;
    signal_guard& operator=(const signal_guard&) = delete;

    // Takes the signals pending now, without waiting; returns received().
    int poll() noexcept;
    // The first signal taken so far (SIGINT, ...), 0 when none.
    [[nodiscard]] int received() const noexcept { return received_; }
    // Readable when one of the signals is pending (for a caller's own poll(2) loop).
    [[nodiscard]] int fd() const noexcept { return fd_; }

  private:
    sigset_t old_mask_{};
    int fd_ = -1;
    int received_ = 0;
};

}  // namespace ngxconf
