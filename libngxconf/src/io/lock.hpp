#pragma once
// The advisory lock that keeps two runs on one tree apart: flock(2) on the state folder itself
// (its directory descriptor), so that locking leaves no file behind.
#include <chrono>
#include <filesystem>
#include <functional>

#include "io/posix.hpp"

namespace ngxconf {
class signal_guard;
}

namespace ngxconf::detail::io {

struct lock_wait {
    // Zero: fail at once with error_code::locked; negative: no limit.
    std::chrono::milliseconds timeout{0};
    // Called once, when the lock is found held and the wait starts.
    std::function<void(const std::filesystem::path&)> on_wait;
    // Looked at while waiting: a signal ends the wait with interrupted_error.
    signal_guard* signals = nullptr;
};

class tree_lock {
public:
    tree_lock(const std::filesystem::path& state_dir, const lock_wait& how);

private:
    unique_fd fd_;  // closing it releases the lock
};

// Throws interrupted_error when `signals` (may be null) has taken a signal.
void throw_if_interrupted(signal_guard* signals);

}  // namespace ngxconf::detail::io
