#pragma once
// The advisory lock that keeps two runs on one tree apart.
#include <filesystem>

#include "io/posix.hpp"

namespace ngxconf::detail::io {

// flock(2) on STATE/.ngxconf.lock, held for the object's lifetime; error_code::locked when
// another run holds it and `wait` is false.
class tree_lock {
public:
    tree_lock(const std::filesystem::path& state_dir, bool wait);

private:
    unique_fd fd_;  // closing it releases the lock
};

}  // namespace ngxconf::detail::io
