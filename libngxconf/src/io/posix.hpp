#pragma once
// Small POSIX helpers of the io/ sources: errno texts, owned descriptors, io_error builders.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "ngxconf/error.hpp"

namespace ngxconf::detail::io {

// "2: No such file or directory"
inline std::string errno_text(int err) {
    return std::to_string(err) + ": " + std::strerror(err);
}

// io_error "WHAT "PATH" failed (ERRNO: TEXT)" at PATH, the same wording parse_file() uses.
inline io_error sys_error(std::string_view what, const std::filesystem::path& path, int err,
                          error_code code = error_code::io_error) {
    const std::string name = path.string();
    return io_error(code,
                    std::string(what) + " \"" + name + "\" failed (" + errno_text(err) + ")",
                    source_region{name, {}, {}});
}

class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
    unique_fd& operator=(unique_fd&& o) noexcept {
        if (this != &o) {
            reset();
            fd_ = o.release();
        }
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    [[nodiscard]] int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    int release() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    // close(2) with its result: a failed close after writes may mean lost data.
    int close() noexcept {
        const int fd = release();
        return fd >= 0 ? ::close(fd) : 0;
    }

private:
    int fd_ = -1;
};

}  // namespace ngxconf::detail::io
