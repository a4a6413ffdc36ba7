#include "transaction.hpp"

#include <fmt/core.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include "ngxconf/json.hpp"

namespace ngxauth {
namespace {

// Whether `arg` reads the same to a shell without quotes.
bool plain_word(const std::string& arg) {
    if (arg.empty()) return false;
    for (char c : arg) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || std::string_view("-_./=:,@+%").find(c) !=
                                                      std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

std::string quoted(const std::string& arg) {
    if (plain_word(arg)) return arg;
    std::string out = "'";
    for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The exit status of a child as a shell reports it.
int status_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

[[noreturn]] void exec_shell(const std::string& command, bool to_stderr) {
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (to_stderr) ::dup2(STDERR_FILENO, STDOUT_FILENO);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
}

}  // namespace

std::string command_line(int argc, const char* const* argv) {
    std::string out = "ngxauth";
    for (int i = 1; i < argc; ++i) out += " " + quoted(argv[i]);
    return out;
}

ngxconf::transaction_options transaction_of(const options& o, const std::filesystem::path& root,
                                            ngxconf::signal_guard& guard) {
    ngxconf::transaction_options t;
    t.state_dir = root;
    t.validate_command = o.validate;
    t.validate_timeout =
        std::chrono::milliseconds(static_cast<long long>(o.validate_timeout * 1000));
    t.lock_timeout = std::chrono::milliseconds(static_cast<long long>(o.wait * 1000));
    const double wait = o.wait;
    t.on_lock_wait = [wait](const std::filesystem::path& dir) {
        fmt::print(stderr, "ngxauth: another run is editing {}; waiting up to {} s for it\n",
                   dir.string(), wait);
        std::fflush(stderr);
    };
    t.signals = &guard;
    t.label = o.label;
    return t;
}

int run_shell_guarded(const std::string& command, ngxconf::signal_guard& guard, bool to_stderr) {
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = ::fork();
    if (pid < 0) return 127;
    if (pid == 0) exec_shell(command, to_stderr);
    ::setpgid(pid, pid);  // also here, so that the kill below never misses the group
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) return status_code(status);
        if (done < 0 && errno != EINTR) return 127;
        if (guard.poll() != 0) {
            ::kill(-pid, SIGTERM);
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            return -1;
        }
        pollfd p{guard.fd(), POLLIN, 0};
        ::poll(&p, 1, 50);  // wakes on a signal at once, else checks the child again
    }
}

std::string json_interrupted(int signal_number) {
    return fmt::format(",\"interrupted\":{{\"code\":{},\"signal\":{},\"exit_code\":{}}}",
                       ngxconf::json_quote(ngxconf::to_string(ngxconf::diag_code::interrupted)),
                       ngxconf::json_quote(signal_name(signal_number)), 128 + signal_number);
}

}  // namespace ngxauth
