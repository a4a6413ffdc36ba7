// The journal's files: written before the first rename, read back by recovery, removed at
// the commit (see journal.hpp).
#include "io/journal.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "io/atomic_write.hpp"
#include "io/posix.hpp"

namespace ngxconf::detail::io {

namespace fs = std::filesystem;

namespace {

constexpr const char* journal_name = ".ngxconf.journal";
constexpr const char* journal_new_prefix = ".ngxconf.journal.new-";
constexpr const char* journal_old_name = ".ngxconf.journal.old";

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

}  // namespace

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
    if (!text) journal_damaged(manifest);
    std::vector<std::size_t> sizes;
    auto entries = parse_manifest(text->bytes, manifest, sizes);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!entries[i].original) continue;
        auto orig = read_current(journal / std::to_string(i));
        if (!orig || orig->bytes.size() != sizes[i]) journal_damaged(manifest);
        entries[i].original = std::move(orig->bytes);
    }
    return entries;
}

void remove_journal(const fs::path& state_dir, bool do_fsync) {
    const fs::path journal = state_dir / journal_name;
    const fs::path old = state_dir / journal_old_name;
    remove_tree(old);
    if (::rename(journal.c_str(), old.c_str()) != 0) throw sys_error("rename()", journal, errno);
    if (do_fsync) fsync_dir(state_dir);
    remove_tree(old);
}

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

}  // namespace ngxconf::detail::io
