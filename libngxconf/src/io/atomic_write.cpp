// One file replaced atomically: bytes go to `.NAME.XXXXXX` beside the target (mkstemp), are
// fsync'ed, get the original's owner and mode, and are renamed over the target; then the
// folder is fsync'ed. A symlink is followed (the target file is replaced, the link stays).
#include "io/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "io/posix.hpp"

namespace ngxconf {

namespace fs = std::filesystem;

namespace detail::io {

namespace {

// Gives the temporary file the owner and mode the target must have.
void set_owner_and_mode(int fd, const fs::path& target, const file_meta& meta,
                        bool owner_required) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw sys_error("fstat() of a temporary file for", target, errno);
    if ((st.st_uid != meta.uid || st.st_gid != meta.gid) &&
        ::fchown(fd, meta.uid, meta.gid) != 0 && owner_required) {
        const int err = errno;
        throw plain_error(error_code::io_error,
                          "cannot keep the owner " + std::to_string(meta.uid) + ":" +
                              std::to_string(meta.gid) + " of \"" + target.string() +
                              "\": fchown() failed (" + errno_text(err) + ")",
                          target);
    }
    if (::fchmod(fd, meta.mode) != 0) throw sys_error("fchmod() of a temporary file for", target, errno);
}

}  // namespace

void write_atomic(const fs::path& target, std::string_view bytes, const file_meta& meta,
                  bool owner_required, bool do_fsync, save_observer* hooks) {
    const fs::path dir = target.parent_path();
    std::string base = target.filename().string();
    if (base.size() > 200) base.resize(200);  // keep `.NAME.XXXXXX` under NAME_MAX
    std::string tmp = (dir / ("." + base + ".XXXXXX")).string();
    unique_fd fd(::mkostemp(tmp.data(), O_CLOEXEC));
    if (!fd) throw sys_error("creating a temporary file beside", target, errno);

    struct remover {
        const std::string* path;
        ~remover() {
            if (path) ::unlink(path->c_str());
        }
    } guard{&tmp};

    if (hooks) hooks->before_temp_write(target);
    if (const int err = write_all(fd.get(), bytes)) {
        throw sys_error("write() to a temporary file for", target, err);
    }
    set_owner_and_mode(fd.get(), target, meta, owner_required);
    if (do_fsync && ::fsync(fd.get()) != 0) throw sys_error("fsync() of a temporary file for", target, errno);
    if (fd.close() != 0) throw sys_error("close() of a temporary file for", target, errno);
    if (hooks) hooks->after_temp_write(target);
    if (::rename(tmp.c_str(), target.c_str()) != 0) throw sys_error("rename() over", target, errno);
    guard.path = nullptr;
    if (do_fsync) fsync_dir(dir);
}

}  // namespace detail::io

void write_file_atomic(const fs::path& path, std::string_view bytes, const write_options& opts) {
    using namespace detail::io;
    const fs::path target = resolve_target(path);
    const auto cur = read_current(target);
    if (!cur) {
        write_atomic(target, bytes, meta_for_new_file(target.parent_path()), false, opts.fsync,
                     opts.hooks);
        return;
    }
    check_writable(target);
    const file_meta meta = meta_of(cur->st);
    if (opts.backup) {
        const fs::path backup = resolve_target(fs::path(path.string() + opts.backup_suffix));
        write_atomic(backup, cur->bytes, meta, true, opts.fsync, opts.hooks);
    }
    write_atomic(target, bytes, meta, true, opts.fsync, opts.hooks);
}

}  // namespace ngxconf
