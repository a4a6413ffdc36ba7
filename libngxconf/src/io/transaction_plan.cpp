// Checking, backups, removals and the rollback of a transaction (see transaction_plan.hpp).
#include "io/transaction_plan.hpp"

#include <unistd.h>

#include <cerrno>
#include <set>

#include "io/atomic_write.hpp"
#include "io/posix.hpp"

namespace ngxconf::detail::io {

namespace fs = std::filesystem;

namespace {

void check_expected(const file_change& c, const std::optional<current_file>& cur) {
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

transaction_plan plan_changes(const std::vector<file_change>& changes, const write_options& w) {
    transaction_plan out;
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
        check_expected(c, cur);
        if (cur) {
            check_writable(e.target);
            e.meta = meta_of(cur->st);
            e.original = std::move(cur->bytes);
            if (w.backup) e.backup = resolve_target(fs::path(c.path.string() + w.backup_suffix));
            out.write_meta.push_back(e.meta);
        } else {
            out.write_meta.push_back(meta_for_new_file(e.target.parent_path()));
        }
        out.entries.push_back(std::move(e));
    }
    return out;
}

void write_backups(const transaction_plan& plan, const write_options& w, save_observer* steps) {
    for (const journal_entry& e : plan.entries) {
        if (e.original && !e.backup.empty())
            write_atomic(e.backup, *e.original, e.meta, true, w.fsync, steps);
    }
}

void remove_file(const journal_entry& e, bool do_fsync) {
    if (!e.original) return;
    if (::unlink(e.target.c_str()) != 0 && errno != ENOENT)
        throw sys_error("unlink()", e.target, errno);
    if (do_fsync) fsync_dir(e.target.parent_path());
}

void roll_back(const transaction_plan& plan, const state_folder& folder, const fs::path& staged,
               bool created, bool do_fsync, const std::exception_ptr& failure) {
    try {
        const auto& entries = plan.entries;
        for (auto it = entries.rbegin(); it != entries.rend(); ++it) restore_entry(*it, do_fsync);
        if (!staged.empty()) remove_tree(staged);
        remove_journal(folder, do_fsync);
    } catch (const std::exception& rb) {
        throw plain_error(
            error_code::io_error,
            "rolling back failed: " + std::string(rb.what()) + "; the journal in \"" +
                folder.path().string() +
                "\" is kept and the next run retries (the first failure: " + what_of(failure) + ")",
            folder.path());
    }
    if (created) {
        ::rmdir((folder / "history").c_str());
        folder.remove_if_empty();
    }
    std::rethrow_exception(failure);
}

}  // namespace ngxconf::detail::io
