// The tree lock (see lock.hpp).
#include "io/lock.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

#include "io/fs_util.hpp"

namespace ngxconf::detail::io {

namespace {
constexpr const char* lock_name = ".ngxconf.lock";
}

tree_lock::tree_lock(const std::filesystem::path& state_dir, bool wait) {
    const std::filesystem::path path = state_dir / lock_name;
    fd_ = unique_fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd_) throw sys_error("open()", path, errno);
    while (::flock(fd_.get(), LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        if (errno == EINTR) continue;
        if (errno == EWOULDBLOCK) {
            throw plain_error(error_code::locked,
                              "another run holds the lock \"" + path.string() + "\"", path);
        }
        throw sys_error("flock()", path, errno);
    }
}

}  // namespace ngxconf::detail::io
