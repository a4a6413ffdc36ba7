// Safe writes: write_file_atomic(), and the journaled all-or-nothing apply_changes().
//
// One file: bytes go to `.NAME.XXXXXX` beside the target (mkstemp), are fsync'ed, get the
// original's owner and mode, and are renamed over the target; then the folder is fsync'ed.
// A symlink is followed (the target file is replaced, the link stays).
//
// A transaction (apply_changes), under flock(STATE/.ngxconf.lock):
//   1. recover a journal left by a run that died half-way;
//   2. check every file still holds `expected` (nothing written otherwise);
//   3. write the journal STATE/.ngxconf.journal/ (built as .ngxconf.journal.new-XXXXXX,
//      fsync'ed, then renamed into place: it exists whole or not at all) holding the original
//      bytes, mode and owner of every file, or "absent";
//   4. write every file atomically; 5. run the validation command;
//   6. commit: rename the journal to .ngxconf.journal.old (the commit point), delete it.
// Any failure in 4-5 restores every file from the journal held in memory, then deletes it.
//
// Test-only hooks (environment variables read here; never set them in production):
//   NGXCONF_TEST_FAIL_WRITE=NAME         the write(2) of the temporary file for a target whose
//                                         file name is NAME ("*": every target) fails with
//                                         ENOSPC, as on a full disk.
//   NGXCONF_TEST_CRASH_AFTER_RENAMES=N   apply_changes() calls _exit(137) right after its N-th
//                                         rename, as if killed between the files.
#include <ngxconf/save.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <set>

#include "io/posix.hpp"

extern char** environ;

namespace ngxconf {

namespace fs = std::filesystem;
using detail::io::errno_text;
using detail::io::sys_error;
using detail::io::unique_fd;

namespace {

constexpr const char* lock_name = ".ngxconf.lock";
constexpr const char* journal_name = ".ngxconf.journal";
constexpr const char* journal_new_prefix = ".ngxconf.journal.new-";
constexpr const char* journal_old_name = ".ngxconf.journal.old";

io_error plain_error(error_code code, std::string message, const fs::path& where = {}) {
    return io_error(code, std::move(message), source_region{where.string(), {}, {}});
}

// ---- test-only hooks -------------------------------------------------------------------------

bool test_fail_write(const fs::path& target) {
    const char* v = std::getenv("NGXCONF_TEST_FAIL_WRITE");
    if (!v || !*v) return false;
    return std::string_view(v) == "*" || target.filename() == v;
}

long test_crash_after_renames() {
    const char* v = std::getenv("NGXCONF_TEST_CRASH_AFTER_RENAMES");
    if (!v || !*v) return 0;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    return (end && *end == '\0' && n > 0) ? n : 0;
}

// ---- small file-system pieces ----------------------------------------------------------------

struct file_meta {
    mode_t mode = 0644;
    uid_t uid = 0;
    gid_t gid = 0;
    // Restored on rollback, so a refused change leaves the file exactly as it was, mtime
    // included (tools such as make, rsync or SWAG's own checks look at it).
    std::int64_t mtime_sec = 0;
    std::int64_t mtime_nsec = 0;
};

file_meta meta_of(const struct stat& st) {
    return {static_cast<mode_t>(st.st_mode & 07777), st.st_uid, st.st_gid,
            static_cast<std::int64_t>(st.st_mtim.tv_sec),
            static_cast<std::int64_t>(st.st_mtim.tv_nsec)};
}

struct current_file {
    std::string bytes;
    struct stat st {};
};

// The bytes and status of a regular file; nullopt when it does not exist.
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

// Writes all bytes; returns 0 or the errno of the failure.
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

fs::path real_path(const fs::path& p) {
    char* r = ::realpath(p.c_str(), nullptr);
    if (!r) throw sys_error("realpath()", p, errno);
    fs::path out(r);
    std::free(r);
    return out;
}

// The file a write to `given` must replace: symbolic links followed (also dangling ones, whose
// target gets created), the folder made canonical.
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

// Owner, group and mode for a new file of `dir`: those of its first regular `*.conf` file in
// name order (hidden files skipped, as the `*.conf` glob does), else 0644 and the folder's.
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

// A write over an existing file needs the right to write it (root always has it): an atomic
// rename would otherwise replace a read-only file of a writable folder.
void check_writable(const fs::path& target) {
    if (::faccessat(AT_FDCWD, target.c_str(), W_OK, AT_EACCESS) != 0) {
        const int err = errno;
        throw plain_error(error_code::io_error,
                          "\"" + target.string() + "\" is not writable (" + errno_text(err) + ")",
                          target);
    }
}

// Replaces `target` (a resolved path) with `bytes` through a temporary file and rename(2).
// `owner_required`: failing to give the file meta's owner is an error (else best effort).
void write_atomic(const fs::path& target, std::string_view bytes, const file_meta& meta,
                  bool owner_required, bool do_fsync) {
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

    int err = test_fail_write(target) ? ENOSPC : write_all(fd.get(), bytes);
    if (err) throw sys_error("write() to a temporary file for", target, err);

    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw sys_error("fstat() of a temporary file for", target, errno);
    if ((st.st_uid != meta.uid || st.st_gid != meta.gid) &&
        ::fchown(fd.get(), meta.uid, meta.gid) != 0 && owner_required) {
        err = errno;
        throw plain_error(error_code::io_error,
                          "cannot keep the owner " + std::to_string(meta.uid) + ":" +
                              std::to_string(meta.gid) + " of \"" + target.string() +
                              "\": fchown() failed (" + errno_text(err) + ")",
                          target);
    }
    if (::fchmod(fd.get(), meta.mode) != 0) throw sys_error("fchmod() of a temporary file for", target, errno);
    if (do_fsync && ::fsync(fd.get()) != 0) throw sys_error("fsync() of a temporary file for", target, errno);
    if (fd.close() != 0) throw sys_error("close() of a temporary file for", target, errno);
    if (::rename(tmp.c_str(), target.c_str()) != 0) throw sys_error("rename() over", target, errno);
    guard.path = nullptr;
    if (do_fsync) fsync_dir(dir);
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

// ---- the lock --------------------------------------------------------------------------------

class tree_lock {
public:
    tree_lock(const fs::path& state_dir, bool wait) {
        const fs::path path = state_dir / lock_name;
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

private:
    unique_fd fd_;  // closing it releases the lock
};

// ---- the journal -----------------------------------------------------------------------------

struct journal_entry {
    fs::path path;    // as given (made absolute), reported by recover_interrupted()
    fs::path target;  // the file actually written (symbolic links resolved)
    std::optional<std::string> original;  // nullopt: the file did not exist
    file_meta meta;                       // of the original
};

// manifest: "ngxconf-journal 1\n" "entries N\n" then per entry
//   "PRESENT MODE UID GID MTIME_SEC MTIME_NSEC SIZE LEN:TARGET LEN:PATH\n"
//   (MODE octal; paths length-prefixed)
// and the original bytes of entry i in the file "i".
std::string manifest_of(const std::vector<journal_entry>& entries) {
    std::string m = "ngxconf-journal 1\nentries " + std::to_string(entries.size()) + "\n";
    auto lenstr = [&](const std::string& s) { m += std::to_string(s.size()) + ":" + s; };
    for (const auto& e : entries) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%o", static_cast<unsigned>(e.meta.mode));
        m += std::string(e.original ? "1 " : "0 ") + mode + " " + std::to_string(e.meta.uid) +
             " " + std::to_string(e.meta.gid) + " " + std::to_string(e.meta.mtime_sec) + " " +
             std::to_string(e.meta.mtime_nsec) + " " +
             std::to_string(e.original ? e.original->size() : 0) + " ";
        lenstr(e.target.string());
        m += ' ';
        lenstr(e.path.string());
        m += '\n';
    }
    return m;
}

class manifest_reader {
public:
    manifest_reader(std::string_view text, fs::path file) : s_(text), file_(std::move(file)) {}
    void literal(std::string_view lit) {
        if (!s_.starts_with(lit)) fail();
        s_.remove_prefix(lit.size());
    }
    unsigned long long number(int base = 10) {
        std::size_t n = 0;
        while (n < s_.size() && n < 24 && std::isdigit(static_cast<unsigned char>(s_[n]))) ++n;
        if (n == 0) fail();
        const std::string digits(s_.substr(0, n));
        char* end = nullptr;
        errno = 0;
        const auto v = std::strtoull(digits.c_str(), &end, base);
        if (errno || *end) fail();
        s_.remove_prefix(n);
        return v;
    }
    std::string lenstr() {
        const auto len = number();
        literal(":");
        if (len > s_.size()) fail();
        std::string out(s_.substr(0, len));
        s_.remove_prefix(len);
        return out;
    }
    [[noreturn]] void fail() const {
        throw plain_error(error_code::io_error,
                          "the journal \"" + file_.string() +
                              "\" is damaged; check the files it lists and remove it by hand",
                          file_);
    }

private:
    std::string_view s_;
    fs::path file_;
};

void write_journal(const fs::path& state_dir, const std::vector<journal_entry>& entries,
                   bool do_fsync) {
    std::string tmp = (state_dir / (std::string(journal_new_prefix) + "XXXXXX")).string();
    if (!::mkdtemp(tmp.data())) throw sys_error("mkdtemp()", state_dir / journal_new_prefix, errno);
    try {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (entries[i].original) {
                write_new_file(fs::path(tmp) / std::to_string(i), *entries[i].original, do_fsync);
            }
        }
        write_new_file(fs::path(tmp) / "manifest", manifest_of(entries), do_fsync);
        if (do_fsync) fsync_dir(tmp);
        const fs::path journal = state_dir / journal_name;
        if (::rename(tmp.c_str(), journal.c_str()) != 0) throw sys_error("rename() to", journal, errno);
        if (do_fsync) fsync_dir(state_dir);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
}

std::optional<std::vector<journal_entry>> read_journal(const fs::path& state_dir) {
    const fs::path journal = state_dir / journal_name;
    struct stat st {};
    if (::lstat(journal.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        throw sys_error("lstat()", journal, errno);
    }
    const fs::path manifest = journal / "manifest";
    const auto text = read_current(manifest);
    if (!text) manifest_reader("", manifest).fail();
    manifest_reader r(text->bytes, manifest);
    r.literal("ngxconf-journal 1\nentries ");
    const auto count = r.number();
    r.literal("\n");
    std::vector<journal_entry> entries;
    for (unsigned long long i = 0; i < count; ++i) {
        journal_entry e;
        const auto present = r.number();
        r.literal(" ");
        e.meta.mode = static_cast<mode_t>(r.number(8) & 07777);
        r.literal(" ");
        e.meta.uid = static_cast<uid_t>(r.number());
        r.literal(" ");
        e.meta.gid = static_cast<gid_t>(r.number());
        r.literal(" ");
        e.meta.mtime_sec = static_cast<std::int64_t>(r.number());
        r.literal(" ");
        e.meta.mtime_nsec = static_cast<std::int64_t>(r.number());
        r.literal(" ");
        const auto size = r.number();
        r.literal(" ");
        e.target = r.lenstr();
        r.literal(" ");
        e.path = r.lenstr();
        r.literal("\n");
        if (present) {
            auto orig = read_current(journal / std::to_string(i));
            if (!orig || orig->bytes.size() != size) r.fail();
            e.original = std::move(orig->bytes);
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

// The commit point: once renamed away, the journal no longer rolls anything back.
void remove_journal(const fs::path& state_dir, bool do_fsync) {
    const fs::path journal = state_dir / journal_name;
    const fs::path old = state_dir / journal_old_name;
    remove_tree(old);
    if (::rename(journal.c_str(), old.c_str()) != 0) throw sys_error("rename()", journal, errno);
    if (do_fsync) fsync_dir(state_dir);
    remove_tree(old);
}

// Journals that never became valid (a run died while writing one, before any rename) and
// committed ones a run died while deleting: neither has anything to roll back.
void remove_stale_journals(const fs::path& state_dir) {
    remove_tree(state_dir / journal_old_name);
    DIR* d = ::opendir(state_dir.c_str());
    if (!d) return;
    std::vector<std::string> stale;
    while (const dirent* e = ::readdir(d)) {
        if (std::string_view(e->d_name).starts_with(journal_new_prefix)) stale.emplace_back(e->d_name);
    }
    ::closedir(d);
    for (const auto& n : stale) remove_tree(state_dir / n);
}

// Puts one file back as the journal recorded it; true when anything had to change.
bool restore_entry(const journal_entry& e, bool do_fsync) {
    const auto cur = read_current(e.target);
    if (!e.original) {
        if (!cur) return false;
        if (::unlink(e.target.c_str()) != 0 && errno != ENOENT) throw sys_error("unlink()", e.target, errno);
        if (do_fsync) fsync_dir(e.target.parent_path());
        return true;
    }
    if (cur && cur->bytes == *e.original) {
        const auto m = meta_of(cur->st);
        if (m.mode == e.meta.mode && m.uid == e.meta.uid && m.gid == e.meta.gid &&
            m.mtime_sec == e.meta.mtime_sec && m.mtime_nsec == e.meta.mtime_nsec) {
            return false;
        }
    }
    write_atomic(e.target, *e.original, e.meta, true, do_fsync);
    const timespec times[2] = {{0, UTIME_OMIT},
                               {static_cast<time_t>(e.meta.mtime_sec),
                                static_cast<long>(e.meta.mtime_nsec)}};
    if (::utimensat(AT_FDCWD, e.target.c_str(), times, 0) != 0) {
        throw sys_error("utimensat()", e.target, errno);
    }
    return true;
}

std::vector<fs::path> recover_locked(const fs::path& state_dir, bool do_fsync) {
    remove_stale_journals(state_dir);
    const auto entries = read_journal(state_dir);
    if (!entries) return {};
    std::vector<fs::path> restored;
    for (const auto& e : *entries) {
        if (restore_entry(e, do_fsync)) restored.push_back(e.path);
    }
    remove_journal(state_dir, do_fsync);
    return restored;
}

// ---- the validation command ------------------------------------------------------------------

struct command_result {
    int status = 0;  // waitpid() status
    std::string output;
    bool timed_out = false;
};

// Runs `sh -c command` in a process group of its own, so that a timeout can kill what the
// shell started as well; the output is read until every writer has closed the pipe or the
// time is up (a daemon the command left behind may hold the pipe open forever).
command_result run_shell(const std::string& command, std::chrono::milliseconds timeout) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw sys_error("pipe2() for", "validation command", errno);
    unique_fd rd(fds[0]), wr(fds[1]);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, wr.get(), 1);
    posix_spawn_file_actions_adddup2(&fa, wr.get(), 2);
    std::string arg0 = "sh", arg1 = "-c", arg2 = command;
    char* argv[] = {arg0.data(), arg1.data(), arg2.data(), nullptr};
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw sys_error("posix_spawn()", "/bin/sh", rc);
    wr.reset();
    command_result res;
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + timeout;
    char buf[4096];
    for (;;) {
        int wait_ms = -1;
        if (timeout.count() > 0) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
            if (left.count() <= 0) {
                res.timed_out = true;
                ::kill(-pid, SIGKILL);
                break;
            }
            wait_ms = static_cast<int>(std::min<long long>(left.count(), 60'000));
        }
        pollfd p{rd.get(), POLLIN, 0};
        const int ready = ::poll(&p, 1, wait_ms);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) throw sys_error("poll()", "validation command", errno);
        if (ready == 0) continue;  // the deadline is checked above
        const auto n = ::read(rd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        res.output.append(buf, static_cast<std::size_t>(n));
    }
    while (::waitpid(pid, &res.status, 0) < 0) {
        if (errno != EINTR) throw sys_error("waitpid()", "/bin/sh", errno);
    }
    return res;
}

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "status " + std::to_string(status);
}

std::string what_of(const std::exception_ptr& p) {
    try {
        std::rethrow_exception(p);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown error";
    }
}

}  // namespace

// ---- public API ------------------------------------------------------------------------------

void write_file_atomic(const fs::path& path, std::string_view bytes, const write_options& opts) {
    const fs::path target = resolve_target(path);
    const auto cur = read_current(target);
    if (!cur) {
        write_atomic(target, bytes, meta_for_new_file(target.parent_path()), false, opts.fsync);
        return;
    }
    check_writable(target);
    const file_meta meta = meta_of(cur->st);
    if (opts.backup) {
        const fs::path backup = resolve_target(fs::path(path.string() + opts.backup_suffix));
        write_atomic(backup, cur->bytes, meta, true, opts.fsync);
    }
    write_atomic(target, bytes, meta, true, opts.fsync);
}

std::vector<fs::path> recover_interrupted(const fs::path& state_dir, bool wait_for_lock) {
    struct stat st {};
    if (::stat(state_dir.c_str(), &st) != 0 && errno == ENOENT) return {};
    tree_lock lock(state_dir, wait_for_lock);
    return recover_locked(state_dir, true);
}

transaction_result apply_changes(const std::vector<file_change>& changes,
                                 const transaction_options& opts) {
    if (opts.state_dir.empty()) throw usage_error("apply_changes: transaction_options::state_dir is required");
    const bool do_fsync = opts.write.fsync;
    {
        std::error_code ec;
        fs::create_directories(opts.state_dir, ec);
        if (ec) throw sys_error("creating the folder", opts.state_dir, ec.value());
    }
    tree_lock lock(opts.state_dir, opts.wait_for_lock);
    recover_locked(opts.state_dir, do_fsync);

    transaction_result result;
    if (changes.empty()) return result;

    // Plan and check: nothing is written unless every file is as expected.
    std::vector<journal_entry> entries;
    std::vector<file_meta> write_meta;
    std::set<std::string> seen;
    for (const auto& c : changes) {
        journal_entry e;
        e.target = resolve_target(c.path);
        std::error_code ec;
        e.path = fs::absolute(c.path, ec);
        if (ec) e.path = c.path;
        if (!seen.insert(e.target.string()).second) {
            throw usage_error("apply_changes: \"" + c.path.string() + "\" (\"" + e.target.string() +
                              "\") is changed twice in one transaction");
        }
        auto cur = read_current(e.target);
        const std::string name = c.path.string();
        if (cur && !c.expected) {
            throw plain_error(error_code::modified_on_disk,
                              "\"" + name + "\" was created on disk since it was loaded", c.path);
        }
        if (!cur && c.expected) {
            throw plain_error(error_code::modified_on_disk,
                              "\"" + name + "\" was deleted on disk since it was loaded", c.path);
        }
        if (cur && cur->bytes != *c.expected) {
            throw plain_error(error_code::modified_on_disk,
                              "\"" + name + "\" was changed on disk since it was loaded", c.path);
        }
        if (cur) {
            check_writable(e.target);
            e.meta = meta_of(cur->st);
            e.original = std::move(cur->bytes);
            write_meta.push_back(e.meta);
        } else {
            write_meta.push_back(meta_for_new_file(e.target.parent_path()));
        }
        entries.push_back(std::move(e));
    }

    // Backups hold the original bytes: harmless if the transaction is rolled back.
    if (opts.write.backup) {
        for (std::size_t i = 0; i < changes.size(); ++i) {
            if (!entries[i].original) continue;
            const fs::path backup =
                resolve_target(fs::path(changes[i].path.string() + opts.write.backup_suffix));
            write_atomic(backup, *entries[i].original, entries[i].meta, true, do_fsync);
        }
    }

    write_journal(opts.state_dir, entries, do_fsync);
    try {
        const long crash_after = test_crash_after_renames();
        long renames = 0;
        for (std::size_t i = 0; i < changes.size(); ++i) {
            write_atomic(entries[i].target, changes[i].bytes, write_meta[i],
                         entries[i].original.has_value(), do_fsync);
            result.written.push_back(changes[i].path);
            if (crash_after && ++renames == crash_after) ::_exit(137);
        }
        if (!opts.validate_command.empty()) {
            auto run = run_shell(opts.validate_command, opts.validate_timeout);
            result.validate_output = std::move(run.output);
            if (run.timed_out || !WIFEXITED(run.status) || WEXITSTATUS(run.status) != 0) {
                const auto why =
                    run.timed_out ? "still running after " +
                                        std::to_string(opts.validate_timeout.count()) +
                                        " ms, killed"
                                  : describe_status(run.status);
                throw io_error(error_code::validation_failed,
                               "the validation command `" + opts.validate_command + "` failed (" +
                                   why +
                                   "); every file was restored." +
                                   (result.validate_output.empty()
                                        ? std::string(" It printed nothing.")
                                        : " Its output:\n" + result.validate_output));
            }
        }
    } catch (...) {
        const auto failure = std::current_exception();
        try {
            for (auto it = entries.rbegin(); it != entries.rend(); ++it) restore_entry(*it, do_fsync);
            remove_journal(opts.state_dir, do_fsync);
        } catch (const std::exception& rb) {
            throw plain_error(error_code::io_error,
                              "rolling back failed: " + std::string(rb.what()) +
                                  "; the journal in \"" + opts.state_dir.string() +
                                  "\" is kept and the next run retries (the first failure: " +
                                  what_of(failure) + ")",
                              opts.state_dir);
        }
        std::rethrow_exception(failure);
    }
    remove_journal(opts.state_dir, do_fsync);
    return result;
}

}  // namespace ngxconf
