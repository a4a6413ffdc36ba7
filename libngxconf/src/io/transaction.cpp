// The all-or-nothing apply_changes(), under flock(STATE/.ngxconf.lock):
//   1. recover a journal left by a run that died half-way;
//   2. check every file still holds `expected` (nothing written otherwise);
//   3. write the journal (journal.hpp) holding the original bytes, mode and owner of every
//      file, or "absent";
//   4. write every file atomically; 5. run the validation command;
//   6. commit: rename the journal to .ngxconf.journal.old (the commit point), delete it.
// Any failure in 4-5 restores every file from the journal held in memory, then deletes it.
// write_options::hooks hears every step boundary (tests inject faults there).
#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <exception>
#include <set>

#include "io/atomic_write.hpp"
#include "io/journal.hpp"
#include "io/lock.hpp"
#include "io/posix.hpp"
#include "io/run_command.hpp"
#include "ngxconf/save.hpp"

namespace ngxconf {

namespace fs = std::filesystem;
using namespace detail::io;

namespace {

// The changes checked against the disk: the journal entry of each and the meta to write it
// with (in the order given).
struct transaction_plan {
    std::vector<journal_entry> entries;
    std::vector<file_meta> write_meta;
};

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

// Nothing is written unless every file is as expected.
transaction_plan plan(const std::vector<file_change>& changes) {
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
            out.write_meta.push_back(e.meta);
        } else {
            out.write_meta.push_back(meta_for_new_file(e.target.parent_path()));
        }
        out.entries.push_back(std::move(e));
    }
    return out;
}

// Backups hold the original bytes: harmless if the transaction is rolled back.
void write_backups(const std::vector<file_change>& changes, const transaction_plan& plan,
                   const write_options& w) {
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const journal_entry& e = plan.entries[i];
        if (!e.original) continue;
        const fs::path backup = resolve_target(fs::path(changes[i].path.string() + w.backup_suffix));
        write_atomic(backup, *e.original, e.meta, true, w.fsync, w.hooks);
    }
}

// Runs the validation command; throws validation_failed (the files are then rolled back).
void validate(const transaction_options& opts, transaction_result& result) {
    auto run = run_shell(opts.validate_command, opts.validate_timeout);
    result.validate_output = std::move(run.output);
    if (!run.timed_out && WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0) return;
    const auto why = run.timed_out ? "still running after " +
                                         std::to_string(opts.validate_timeout.count()) + " ms, killed"
                                   : describe_status(run.status);
    throw io_error(error_code::validation_failed,
                   "the validation command `" + opts.validate_command + "` failed (" + why +
                       "); every file was restored." +
                       (result.validate_output.empty() ? std::string(" It printed nothing.")
                                                       : " Its output:\n" + result.validate_output));
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

// Restores every file after `failure`, then rethrows it (or a rollback failure naming it).
[[noreturn]] void roll_back(const transaction_plan& plan, const fs::path& state_dir,
                            bool do_fsync, const std::exception_ptr& failure) {
    try {
        const auto& entries = plan.entries;
        for (auto it = entries.rbegin(); it != entries.rend(); ++it) restore_entry(*it, do_fsync);
        remove_journal(state_dir, do_fsync);
    } catch (const std::exception& rb) {
        throw plain_error(error_code::io_error,
                          "rolling back failed: " + std::string(rb.what()) + "; the journal in \"" +
                              state_dir.string() +
                              "\" is kept and the next run retries (the first failure: " +
                              what_of(failure) + ")",
                          state_dir);
    }
    std::rethrow_exception(failure);
}

// Steps 4 and 5: every file renamed into place, then the validation command.
void write_and_validate(const std::vector<file_change>& changes,
                        const transaction_plan& plan, const transaction_options& opts,
                        transaction_result& result) {
    save_observer* hooks = opts.write.hooks;
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const journal_entry& e = plan.entries[i];
        write_atomic(e.target, changes[i].bytes, plan.write_meta[i], e.original.has_value(),
                     opts.write.fsync, hooks);
        result.written.push_back(changes[i].path);
        if (hooks) hooks->after_rename(e.target, i + 1);
    }
    if (!opts.validate_command.empty()) validate(opts, result);
    if (hooks) hooks->before_commit();
}

}  // namespace

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

    const auto planned = plan(changes);
    if (opts.write.backup) write_backups(changes, planned, opts.write);

    write_journal(opts.state_dir, planned.entries, do_fsync);
    try {
        if (opts.write.hooks) opts.write.hooks->after_journal_write();
        write_and_validate(changes, planned, opts, result);
    } catch (...) {
        roll_back(planned, opts.state_dir, do_fsync, std::current_exception());
    }
    remove_journal(opts.state_dir, do_fsync);
    return result;
}

}  // namespace ngxconf
