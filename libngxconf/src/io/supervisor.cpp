// The supervisor of the validation command (see supervisor.hpp). Between fork() and exec only
// async-signal-safe calls are made: the caller may have other threads.
#include "io/supervisor.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

extern char** environ;

namespace ngxconf::detail::io {

namespace {

struct shell_args {
    std::string arg0 = "sh", arg1 = "-c", command;
    char* argv[4] = {nullptr, nullptr, nullptr, nullptr};
};

// In the shell's process: its own group, default signal handling, then exec.
[[noreturn]] void exec_shell(shell_args& a, int dev_null, int out) {
    ::setpgid(0, 0);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; ++s) ::sigaction(s, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (::dup2(dev_null, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) ::_exit(127);
    ::execve("/bin/sh", a.argv, environ);
    ::_exit(127);
}

// Closes every descriptor but the three the supervisor needs, so that it holds nothing of the
// caller's: above all not the tree's lock (an flock lives as long as any copy of its
// descriptor), which a run after a killed caller must be able to take at once.
void close_all_but(int a, int b, int c) {
    int keep[3] = {a, b, c};
    for (int i = 1; i < 3; ++i) {
        for (int j = i; j > 0 && keep[j - 1] > keep[j]; --j) std::swap(keep[j - 1], keep[j]);
    }
    unsigned lo = 3;
    for (const int k : keep) {
        if (k < 0 || static_cast<unsigned>(k) < lo) continue;
        if (static_cast<unsigned>(k) > lo) ::close_range(lo, static_cast<unsigned>(k) - 1, 0);
        lo = static_cast<unsigned>(k) + 1;
    }
    ::close_range(lo, ~0U, 0);
}

// Reports the shell's status on `status_fd` (once).
void report(int status_fd, int status) { (void)!::write(status_fd, &status, sizeof status); }

// In the supervisor (every signal blocked): reports the shell's status when it ends, and on
// SIGTERM (from the caller, or from PR_SET_PDEATHSIG when the caller died) kills the shell's
// whole group, which may still hold processes the shell started.
[[noreturn]] void supervise(shell_args& a, pid_t caller, int dev_null, int out, int status_fd) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    close_all_but(dev_null, out, status_fd);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(SIGCHLD, &dfl, nullptr);    // an ignored SIGCHLD would reap the shell for us
    if (::getppid() != caller) ::_exit(1);  // the caller died before prctl()
    const pid_t shell = ::fork();
    if (shell < 0) ::_exit(1);
    if (shell == 0) exec_shell(a, dev_null, out);
    ::setpgid(shell, shell);  // also here: no window where a kill of the group misses it
    ::close(out);
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGCHLD);
    bool reaped = false;
    int status = 0;
    while (::sigwaitinfo(&wanted, nullptr) != SIGTERM) {
        if (!reaped && ::waitpid(shell, &status, WNOHANG) == shell) {
            reaped = true;
            report(status_fd, status);
        }
    }
    ::kill(-shell, SIGKILL);
    if (!reaped) {
        while (::waitpid(shell, &status, 0) < 0 && errno == EINTR) {
        }
        report(status_fd, status);
    }
    ::_exit(0);
}

}  // namespace

supervised start_supervised(const std::string& command, int out) {
    shell_args a;
    a.command = command;
    a.argv[0] = a.arg0.data();
    a.argv[1] = a.arg1.data();
    a.argv[2] = a.command.data();
    unique_fd dev_null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!dev_null) throw sys_error("open()", "/dev/null", errno);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw sys_error("pipe2() for", "validation command", errno);
    supervised s;
    s.status = unique_fd(fds[0]);
    unique_fd status_wr(fds[1]);
    const pid_t caller = ::getpid();
    sigset_t all, old;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &old);  // the supervisor starts with every signal blocked
    s.supervisor = ::fork();
    if (s.supervisor == 0) supervise(a, caller, dev_null.get(), out, status_wr.get());
    const int err = errno;
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (s.supervisor < 0) throw sys_error("fork() for", "validation command", err);
    return s;
}

int finish_supervised(supervised& s, int status) {
    ::kill(s.supervisor, SIGTERM);
    int st = 0;
    while (::waitpid(s.supervisor, &st, 0) < 0) {
        if (errno != EINTR) break;
    }
    if (status != -1) return status;
    if (::read(s.status.get(), &status, sizeof status) != static_cast<ssize_t>(sizeof status)) {
        status = -1;
    }
    return status;
}

}  // namespace ngxconf::detail::io
