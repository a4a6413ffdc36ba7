// The all-or-nothing apply_changes(), under flock(state_dir):
//   1. recover a journal left by a run that died half-way;
//   2. check every file still holds `expected` (nothing written otherwise);
//   3. write the journal (journal.hpp) holding the original bytes, mode and owner of every
//      file, or "absent", and the id of the history entry the commit will record;
//   4. write (or remove) every file atomically; 5. run the validation command;
//   6. commit: stage the history entry, rename it to its id (the commit point), drop the
//      journal.
// Any failure or guarded signal before the commit restores every file from the journal held
// in memory, then deletes it. write_options::hooks hears every step boundary (tests inject
// faults there), and the signal guard is looked at on each of them up to the commit.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <ngxconf/signal_guard.hpp>

#include "io/atomic_write.hpp"
#include "io/history.hpp"
#include "io/journal.hpp"
#include "io/lock.hpp"
#include "io/posix.hpp"
#include "io/run_command.hpp"
#include "io/transaction_plan.hpp"
#include "ngxconf/save.hpp"

namespace ngxconf {

namespace fs = std::filesystem;
using namespace detail::io;

interrupted_error::interrupted_error(int signal_number)
    : io_error(error_code::interrupted,
               "interrupted by signal " + std::to_string(signal_number) +
                   " before the commit; every file was restored"),
      signal_(signal_number) {}

namespace {

// The caller's hooks, then a look at the signal guard, at every step boundary.
class step_observer : public save_observer {
public:
    step_observer(save_observer* user, signal_guard* signals) : user_(user), signals_(signals) {}
    void before_temp_write(const fs::path& t) override {
        if (user_) user_->before_temp_write(t);
        throw_if_interrupted(signals_);
    }
    void after_temp_write(const fs::path& t) override {
        if (user_) user_->after_temp_write(t);
        throw_if_interrupted(signals_);
    }
    void after_journal_write() override {
        if (user_) user_->after_journal_write();
        throw_if_interrupted(signals_);
    }
    void after_rename(const fs::path& t, std::size_t n) override {
        if (user_) user_->after_rename(t, n);
        throw_if_interrupted(signals_);
    }
    void before_commit() override {
        if (user_) user_->before_commit();
        throw_if_interrupted(signals_);
    }
    // Committed: a signal no longer rolls anything back, so the guard is not looked at.
    void after_commit() override {
        if (user_) user_->after_commit();
    }

private:
    save_observer* user_;
    signal_guard* signals_;
};

// Runs the validation command; throws validation_failed or interrupted_error (the files are
// then rolled back).
void validate(const transaction_options& opts, transaction_result& result) {
    auto run = run_shell(opts.validate_command, opts.validate_timeout, opts.signals);
    result.validate_output = std::move(run.output);
    if (run.interrupted_by) throw interrupted_error(run.interrupted_by);
    if (!run.timed_out && run.status != -1 && WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0) {
        return;
    }
    const auto why = run.timed_out ? "still running after " +
                                         std::to_string(opts.validate_timeout.count()) + " ms, killed"
                                   : describe_status(run.status);
    const std::string what = opts.validate_name.empty()
                                 ? "the validation command `" + opts.validate_command + "`"
                                 : "the validation (" + opts.validate_name + ")";
    throw io_error(error_code::validation_failed,
                   what + " failed (" + why +
                       "); every file was restored." +
                       (result.validate_output.empty() ? std::string(" It printed nothing.")
                                                       : " Its output:\n" + result.validate_output));
}

// Steps 4 and 5: every file renamed into place (or removed), then the validation command.
void write_and_validate(const std::vector<file_change>& changes, const transaction_plan& plan,
                        const transaction_options& opts, step_observer& steps,
                        transaction_result& result) {
    const bool do_fsync = opts.write.fsync;
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const journal_entry& e = plan.entries[i];
        if (changes[i].remove) {
            remove_file(e, do_fsync);
        } else {
            write_atomic(e.target, changes[i].bytes, plan.write_meta[i], e.original.has_value(),
                         do_fsync, &steps);
        }
        result.written.push_back(changes[i].path);
        steps.after_rename(e.target, i + 1);
    }
    if (!opts.validate_command.empty()) validate(opts, result);
    steps.before_commit();
}

history_entry history_of(const std::vector<file_change>& changes, const transaction_plan& plan,
                         std::uint64_t id, const std::string& label) {
    history_entry h{id, std::chrono::system_clock::now(), label, {}};
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const auto& c = changes[i];
        h.files.push_back({plan.entries[i].path, plan.entries[i].original,
                           c.remove ? std::nullopt : std::optional<std::string>(c.bytes)});
    }
    return h;
}

lock_wait lock_wait_of(const transaction_options& opts) {
    return {opts.wait_for_lock ? std::chrono::milliseconds(-1) : opts.lock_timeout,
            opts.on_lock_wait, opts.signals};
}

}  // namespace

std::vector<fs::path> recover_interrupted(const fs::path& state_dir, bool wait_for_lock) {
    struct stat st {};
    if (::stat(state_dir.c_str(), &st) != 0 && errno == ENOENT) return {};
    const state_folder folder(state_dir);
    tree_lock lock(state_dir, lock_wait{wait_for_lock ? std::chrono::milliseconds(-1)
                                                      : std::chrono::milliseconds(0),
                                        {}, nullptr});
    return recover_locked(folder, true);
}

transaction_result apply_changes(const std::vector<file_change>& changes,
                                 const transaction_options& opts) {
    if (opts.state_dir.empty()) throw usage_error("apply_changes: transaction_options::state_dir is required");
    const bool do_fsync = opts.write.fsync;
    const state_folder folder(opts.state_dir);
    tree_lock lock(opts.state_dir, lock_wait_of(opts));
    recover_locked(folder, do_fsync);

    transaction_result result;
    if (changes.empty()) return result;
    throw_if_interrupted(opts.signals);
    const auto planned = plan_changes(changes, opts.write);
    step_observer steps(opts.write.hooks, opts.signals);

    const bool created = folder.ensure();
    const journal j{next_history_id(folder), planned.entries};
    try {
        write_journal(folder, j, do_fsync);
    } catch (...) {
        if (created) folder.remove_if_empty();
        throw;
    }
    fs::path staged;
    try {
        steps.after_journal_write();
        write_backups(planned, opts.write, &steps);
        write_and_validate(changes, planned, opts, steps, result);
        staged = stage_history(folder, history_of(changes, planned, j.id, opts.label), do_fsync);
        commit_history(folder, staged, j.id, do_fsync);
    } catch (...) {
        roll_back(planned, folder, staged, created, do_fsync, std::current_exception());
    }
    result.history_id = j.id;
    try {
        steps.after_commit();
        remove_journal(folder, do_fsync);
    } catch (...) {
        // Committed: the next run finds history/ID and drops the journal without replaying it.
    }
    prune_history(folder);
    return result;
}

}  // namespace ngxconf
