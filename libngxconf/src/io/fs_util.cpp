// File-system pieces of the io/ sources (see fs_util.hpp).
#include "io/fs_util.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <vector>

#include "io/posix.hpp"

namespace ngxconf::detail::io {

namespace fs = std::filesystem;

io_error plain_error(error_code code, std::string message, const fs::path& where) {
    return io_error(code, std::move(message), source_region{where.string(), {}, {}});
}

file_meta meta_of(const struct stat& st) {
    return {static_cast<mode_t>(st.st_mode & 07777), st.st_uid, st.st_gid,
            static_cast<std::int64_t>(st.st_mtim.tv_sec),
            static_cast<std::int64_t>(st.st_mtim.tv_nsec)};
}

std::optional<current_file> read_current(const fs::path& path) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd) {
        if (errno == ENOENT) return std::nullopt;
        throw sys_error("open()", path, errno);
    }
    current_file cur;
    if (::fstat(fd.get(), &cur.st) != 0) throw sys_error("fstat()", path, errno);
    if (!S_ISREG(cur.st.st_mode)) {
        throw plain_error(error_code::io_error, "\"" + path.string() + "\" is not a regular file",
                          path);
    }
    cur.bytes.resize(static_cast<std::size_t>(cur.st.st_size));
    std::size_t got = 0;
    for (;;) {
        if (got == cur.bytes.size()) cur.bytes.resize(got + 4096);  // grew since fstat
        const auto n = ::read(fd.get(), cur.bytes.data() + got, cur.bytes.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw sys_error("read()", path, errno);
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    cur.bytes.resize(got);
    return cur;
}

int write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return 0;
}

void fsync_dir(const fs::path& dir) {
    unique_fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw sys_error("open()", dir, errno);
    if (::fsync(fd.get()) != 0 && errno != EINVAL) throw sys_error("fsync()", dir, errno);
}

namespace {

fs::path real_path(const fs::path& p) {
    char* r = ::realpath(p.c_str(), nullptr);
    if (!r) throw sys_error("realpath()", p, errno);
    fs::path out(r);
    std::free(r);
    return out;
}

}  // namespace

fs::path resolve_target(const fs::path& given) {
    std::error_code ec;
    fs::path p = fs::absolute(given, ec);
    if (ec) throw sys_error("resolving", given, ec.value());
    for (int hops = 0; hops < 40; ++hops) {
        const auto name = p.filename();
        if (name.empty() || name == "." || name == "..") {
            throw sys_error("writing", given, EISDIR);
        }
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0) {
            if (errno != ENOENT) throw sys_error("lstat()", p, errno);
            return real_path(p.parent_path()) / name;  // a new file
        }
        if (!S_ISLNK(st.st_mode)) return real_path(p.parent_path()) / name;
        std::string link(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 255) + 1, '\0');
        const auto n = ::readlink(p.c_str(), link.data(), link.size());
        if (n < 0) throw sys_error("readlink()", p, errno);
        link.resize(static_cast<std::size_t>(n));
        const fs::path t(link);
        p = t.is_absolute() ? t : p.parent_path() / t;
    }
    throw sys_error("resolving the symbolic links of", given, ELOOP);
}

file_meta meta_for_new_file(const fs::path& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) throw sys_error("opendir()", dir, errno);
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* e = ::readdir(d)) {
        const std::string_view n(e->d_name);
        if (n.size() > 5 && n.front() != '.' && n.ends_with(".conf")) names.emplace_back(n);
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
        struct stat st {};
        if (::fstatat(::dirfd(d), n.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
            ::closedir(d);
            return {static_cast<mode_t>(st.st_mode & 0777), st.st_uid, st.st_gid};
        }
    }
    struct stat st {};
    const int rc = ::fstat(::dirfd(d), &st);
    const int err = errno;
    ::closedir(d);
    if (rc != 0) throw sys_error("fstat()", dir, err);
    return {0644, st.st_uid, st.st_gid};
}

void check_writable(const fs::path& target) {
    if (::faccessat(AT_FDCWD, target.c_str(), W_OK, AT_EACCESS) != 0) {
        const int err = errno;
        throw plain_error(error_code::io_error,
                          "\"" + target.string() + "\" is not writable (" + errno_text(err) + ")",
                          target);
    }
}

void write_new_file(const fs::path& path, std::string_view bytes, bool do_fsync) {
    unique_fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) throw sys_error("open()", path, errno);
    if (const int err = write_all(fd.get(), bytes)) throw sys_error("write()", path, err);
    if (do_fsync && ::fsync(fd.get()) != 0) throw sys_error("fsync()", path, errno);
    if (fd.close() != 0) throw sys_error("close()", path, errno);
}

void remove_tree(const fs::path& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
    if (ec) throw sys_error("removing", p, ec.value());
}

}  // namespace ngxconf::detail::io
