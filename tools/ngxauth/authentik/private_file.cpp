// Whole-or-nothing writes of small files (private_file.hpp).
#include "private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace ngxauth::authentik {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const char* what, const fs::path& p, int err) {
    throw fs::filesystem_error(what, p, std::error_code(err, std::generic_category()));
}

bool same_content(const fs::path& file, const std::string& text, mode_t mode) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || (st.st_mode & 07777) != mode) return false;
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str() == text;
}

}  // namespace

bool write_file(const fs::path& file, const std::string& text, mode_t mode) {
    if (same_content(file, text, mode)) return false;
    const auto tmp = file.parent_path() / ("." + file.filename().string() + ".ngxauth-tmp");
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) fail("cannot create", tmp, errno);
    // The umask may have narrowed `mode`; the file gets exactly what was asked.
    bool ok = ::fchmod(fd, mode) == 0;
    std::size_t done = 0;
    while (ok && done < text.size()) {
        const auto n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    int err = errno;
    ::close(fd);
    if (ok && ::rename(tmp.c_str(), file.c_str()) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        ::unlink(tmp.c_str());
        fail("cannot write", file, err);
    }
    return true;
}

}  // namespace ngxauth::authentik
