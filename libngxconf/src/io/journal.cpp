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
#include "io/history.hpp"
#include "io/posix.hpp"

namespace ngxconf::detail::io {

namespace fs = std::filesystem;

namespace {

constexpr const char* journal_name = "journal";
constexpr const char* journal_new_prefix = "journal.new-";
constexpr const char* journal_old_name = "journal.old";

// Journals that never became valid (a run died while writing one, before any rename) and
// committed ones a run died while deleting: neither has anything to roll back.
void remove_stale_journals(const state_folder& folder) {
    remove_tree(folder / journal_old_name);
    DIR* d = ::opendir(folder.path().c_str());
    if (!d) return;
    std::vector<std::string> stale;
    while (const dirent* e = ::readdir(d)) {
        if (std::string_view(e->d_name).starts_with(journal_new_prefix)) stale.emplace_back(e->d_name);
    }
    ::closedir(d);
    for (const auto& n : stale) remove_tree(folder / n);
}

void write_journal_files(const state_folder& folder, const fs::path& dir, const journal& j,
                         bool do_fsync) {
    for (std::size_t i = 0; i < j.entries.size(); ++i) {
        if (!j.entries[i].original) continue;
        const fs::path f = dir / std::to_string(i);
        write_new_file(f, *j.entries[i].original, do_fsync);
        folder.adopt(f);
    }
    write_new_file(dir / "manifest", manifest_of(j), do_fsync);
    folder.adopt(dir / "manifest");
    folder.adopt(dir);
    if (do_fsync) fsync_dir(dir);
}

// Temporary files `.NAME.XXXXXX` a killed run left beside `target` (atomic_write.cpp).
void sweep_temporaries(const fs::path& target) {
    if (target.empty()) return;
    std::string base = target.filename().string();
    if (base.size() > 200) base.resize(200);
    const std::string prefix = "." + base + ".";
    DIR* d = ::opendir(target.parent_path().c_str());
    if (!d) return;
    std::vector<std::string> found;
    while (const dirent* e = ::readdir(d)) {
        const std::string_view n(e->d_name);
        if (n.size() == prefix.size() + 6 && n.starts_with(prefix)) found.emplace_back(n);
    }
    ::closedir(d);
    for (const auto& n : found) {
        const fs::path p = target.parent_path() / n;
        struct stat st {};
        if (::lstat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::unlink(p.c_str()) != 0 &&
            errno != ENOENT) {
            throw sys_error("unlink()", p, errno);
        }
    }
}

// "A", "B" and "C"
std::string file_list(const std::vector<journal_entry>& entries) {
    std::string out;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i) out += i + 1 == entries.size() ? " and " : ", ";
        out += "\"" + entries[i].path.string() + "\"";
    }
    return out;
}

}  // namespace

void write_journal(const state_folder& folder, const journal& j, bool do_fsync) {
    std::string tmp = (folder / (std::string(journal_new_prefix) + "XXXXXX")).string();
    if (!::mkdtemp(tmp.data())) throw sys_error("mkdtemp()", folder / journal_new_prefix, errno);
    try {
        write_journal_files(folder, tmp, j, do_fsync);
        const fs::path path = folder / journal_name;
        if (::rename(tmp.c_str(), path.c_str()) != 0) throw sys_error("rename() to", path, errno);
        if (do_fsync) fsync_dir(folder.path());
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
}

std::optional<journal> read_journal(const state_folder& folder) {
    const fs::path path = folder / journal_name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        throw sys_error("lstat()", path, errno);
    }
    const fs::path manifest = path / "manifest";
    const auto text = read_current(manifest);
    if (!text) journal_damaged(manifest);
    std::vector<std::size_t> sizes;
    auto j = parse_manifest(text->bytes, manifest, sizes);
    for (std::size_t i = 0; i < j.entries.size(); ++i) {
        if (!j.entries[i].original) continue;
        auto orig = read_current(path / std::to_string(i));
        if (!orig || orig->bytes.size() != sizes[i]) journal_damaged(manifest);
        j.entries[i].original = std::move(orig->bytes);
    }
    return j;
}

void remove_journal(const state_folder& folder, bool do_fsync) {
    const fs::path path = folder / journal_name;
    const fs::path old = folder / journal_old_name;
    remove_tree(old);
    if (::rename(path.c_str(), old.c_str()) != 0) throw sys_error("rename()", path, errno);
    if (do_fsync) fsync_dir(folder.path());
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

std::vector<fs::path> recover_locked(const state_folder& folder, bool do_fsync) {
    struct stat st {};
    if (::stat(folder.path().c_str(), &st) != 0 && errno == ENOENT) return {};
    remove_stale_journals(folder);
    const auto j = read_journal(folder);
    if (!j) return {};
    std::vector<fs::path> restored;
    try {
        for (const auto& e : j->entries) {
            sweep_temporaries(e.target);
            sweep_temporaries(e.backup);
        }
        if (!history_has(folder, j->id)) {  // else committed: nothing to put back
            for (const auto& e : j->entries) {
                if (restore_entry(e, do_fsync)) restored.push_back(e.path);
            }
            drop_staged_history(folder);  // killed while staging its history entry
        }
        remove_journal(folder, do_fsync);
        folder.remove_if_empty();  // the dead run created it for its journal alone
    } catch (const std::exception& e) {
        throw plain_error(error_code::io_error,
                          "cannot roll back the interrupted transaction of " + file_list(j->entries) +
                              " (journal \"" + (folder / journal_name).string() +
                              "\", kept for the next try): " + e.what(),
                          folder / journal_name);
    }
    return restored;
}

}  // namespace ngxconf::detail::io
