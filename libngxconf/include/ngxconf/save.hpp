#pragma once
// Safe writes. A file is never left half-written: bytes go to a temporary file beside it,
// are fsync'ed and renamed over the original, keeping its mode and owner (a symlink's target
// is updated, not the link). Several files change together in a transaction: all or none.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/error.hpp"
#include "ngxconf/export.hpp"

namespace ngxconf {

// Called at each step boundary of a write, so that tests can inject faults where no real
// failure can be provoked on demand: an exception thrown from a call fails the write at that
// point exactly as a failing system call would (and is rethrown after the rollback); a test
// may also end its process there (_exit) to play a crash. Production code leaves it unset.
// Every call gets the resolved target path (symbolic links followed).
class NGXCONF_API save_observer {
public:
    save_observer() = default;
    save_observer(const save_observer&) = default;
    save_observer& operator=(const save_observer&) = default;
    virtual ~save_observer() = default;

    // The temporary file beside `target` exists, empty / written, fsync'ed, closed, not yet
    // renamed (also for backups: target is then the backup file).
    virtual void before_temp_write(const std::filesystem::path& /*target*/) {}
    virtual void after_temp_write(const std::filesystem::path& /*target*/) {}
    // apply_changes: the journal is in place, no file renamed yet.
    virtual void after_journal_write() {}
    // apply_changes: the `count`-th file (1-based, in the order given) was renamed into place.
    virtual void after_rename(const std::filesystem::path& /*target*/, std::size_t /*count*/) {}
    // apply_changes: every file written and validated; the commit (dropping the journal) is next.
    virtual void before_commit() {}
    // apply_changes: the history entry is recorded (the commit point), the journal is still in
    // place and is dropped next. Nothing is rolled back from here on: a run that dies here has
    // committed, and the next run drops the journal without replaying it. An exception thrown
    // here is ignored as a failure to drop the journal is (the next run drops it).
    virtual void after_commit() {}
};

struct write_options {
    bool fsync = true;
    // Keep the previous bytes as PATH + backup_suffix (only when the file existed).
    bool backup = false;
    std::string backup_suffix = ".bak";
    // Fault injection for tests (see save_observer); not owned, may be null.
    save_observer* hooks = nullptr;
};

// Replaces (or creates) `path` atomically: a temporary file `.NAME.XXXXXX` in the same folder,
// written, fsync'ed, given the original's owner, group and mode, renamed over the original,
// then the folder fsync'ed. A symbolic link is followed (its target is replaced, also a dangling
// link's target is created; the link itself stays). A new file takes the owner, group and mode
// (permission bits) of the first regular `*.conf` file of its folder in name order (hidden files
// skipped), else 0644 and the folder's owner and group; giving a new file that owner is best
// effort (needs root), keeping an existing file's owner is required (else io_error).
// An existing file must be writable by the caller (access(2) W_OK; root always is): a rename
// would otherwise replace a read-only file of a writable folder.
// The rename gives the path a new inode, as every atomic replace does: other hard links to the
// old file keep its old bytes, and a container that bind-mounts this single file (rather than
// its folder, as SWAG's /config is) keeps seeing the old one until restarted.
// Throws io_error (file, errno text) and leaves the old file untouched, no temporary file left
// (one exception: an fsync of the folder failing after the rename is reported too, the new
// bytes then being in place).
// Tests inject failures and crashes through write_options::hooks (save_observer).
NGXCONF_API void write_file_atomic(const std::filesystem::path& path, std::string_view bytes,
                                   const write_options& opts = {});

// One file of a transaction. `expected` is what the file held when it was read: the write is
// refused (error_code::modified_on_disk) when the file holds anything else by then.
// nullopt means "the file must not exist yet".
struct file_change {
    std::filesystem::path path;
    std::string bytes;
    std::optional<std::string> expected;
    // Delete the file instead of writing `bytes` (then ignored). Journaled like a write, so a
    // rollback puts the file back; `expected` nullopt (already absent) makes it a no-op.
    bool remove = false;
};

// A signal stopped a transaction before its commit; every file was restored.
// code() is error_code::interrupted; the caller usually exits 128 + signal_number().
class NGXCONF_API interrupted_error : public io_error {
public:
    explicit interrupted_error(int signal_number);
    [[nodiscard]] int signal_number() const noexcept { return signal_; }

private:
    int signal_;
};

class signal_guard;  // ngxconf/signal_guard.hpp

// The one folder, inside state_dir, where transactions keep their state: the journal of a
// running one (`journal/`, built as `journal.new-XXXXXX/`, dropped as `journal.old/`) and the
// history of the committed ones (`history/ID/`). It is created only when a transaction writes,
// with the mode and owner of state_dir (also when run as root, so that a later run as that
// owner works), and a transaction that fails or is interrupted before its first commit there
// takes it away again. Its name starts with a dot and neither it nor anything in it ends in
// `.conf`, so nginx's include globs (`*.conf`, whose `*` never matches a leading dot, and
// which do not descend into folders) never load it, and SWAG's auto-reload, which reacts to
// `*.conf` files only, never fires for it.
inline constexpr const char* state_folder_name = ".ngxconf";
// The number of committed transactions the history keeps (the oldest are dropped).
inline constexpr std::size_t history_kept = 20;

struct transaction_options {
    // The tree's root, usually. Locked (flock on the folder itself, so no lock file) for the
    // whole transaction, and home of the state folder (state_folder_name). Required
    // (usage_error when empty); must exist.
    std::filesystem::path state_dir;
    // How long to wait for another run's lock before failing with error_code::locked.
    // Zero: fail at once.
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(30)};
    // Wait for another run's lock without a time limit (lock_timeout is then ignored).
    bool wait_for_lock = false;
    // Called once when the lock is found held and the wait starts (the argument: state_dir),
    // so that the caller can say what it waits for.
    std::function<void(const std::filesystem::path&)> on_lock_wait;
    // Run through /bin/sh -c after every file is written (stdin /dev/null, stdout and stderr
    // captured together); a non-zero exit restores every file exactly as it was and throws
    // io_error(error_code::validation_failed) whose description ends with its output.
    // Empty: no validation. Not run when there is nothing to change. It runs in a process
    // group of its own under a small supervisor process that kills that group when the caller
    // dies, even by SIGKILL (prctl PR_SET_PDEATHSIG), so it never outlives the caller.
    std::string validate_command;
    // How the failure's message names the validation; empty: `the validation command `CMD``.
    // For a command line that is a wrapper's detail (ngxauth runs `nginx -t` in SWAG's
    // container through itself): "nginx -t in container swag".
    std::string validate_name;
    // A validation command still running after this long is killed with its whole process
    // group, and the run fails and rolls back like a non-zero exit. Zero: no limit.
    std::chrono::milliseconds validate_timeout{std::chrono::seconds(120)};
    // Signals that interrupt the transaction cleanly (see signal_guard.hpp); null: none, the
    // signals do what the process has them do.
    signal_guard* signals = nullptr;
    // Recorded in the history with the transaction (the command line, say).
    std::string label;
    // fsync: also governs the journal's fsyncs. backup: PATH + suffix gets the original bytes
    // of every existing file before anything is written (left in place on a rollback, where
    // it equals the restored file). write.hooks: fault injection for tests (save_observer),
    // called at every step of the transaction.
    write_options write;
};

struct transaction_result {
    std::vector<std::filesystem::path> written;  // in the order given
    std::string validate_output;                 // stdout+stderr of the validation command
    std::uint64_t history_id = 0;                // the history entry recorded; 0: none
};

// Applies every change or none. Under the lock (see transaction_options), it first recovers an
// interrupted run, then checks every `expected` (error_code::modified_on_disk, nothing
// written), then records the originals (bytes, mode, owner, mtime, or "absent") in a journal
// in the state folder, fsync'ed, before the first rename, so a run killed half-way (kill -9)
// is rolled back by the next call to recover_interrupted() (which apply_changes calls first,
// under the lock). Any failure (a write, the validation command, a signal) restores every file
// exactly as it was (bytes, mode, owner, mtime; files that did not exist are removed) and
// rethrows. The commit records the transaction in the history (read_history) and deletes the
// journal. Paths are compared after resolving symbolic links; the same file twice is a
// usage_error. Nothing to change, or a refusal, creates nothing on disk.
NGXCONF_API transaction_result apply_changes(const std::vector<file_change>& changes,
                                             const transaction_options& opts);

// Rolls back a transaction left half-done in state_dir (under the lock, as apply_changes);
// returns the paths (as given to apply_changes, made absolute) whose bytes, mode or owner had
// to be put back or that had to be removed; empty when there was no journal. When a file
// cannot be put back (a read-only folder, say) the io_error names every file of the journal
// and the journal is kept for the next try.
NGXCONF_API std::vector<std::filesystem::path> recover_interrupted(
    const std::filesystem::path& state_dir, bool wait_for_lock = false);

// One file of a committed transaction, with its whole bytes before and after.
struct history_file {
    std::filesystem::path path;         // as given to apply_changes, made absolute
    std::optional<std::string> before;  // nullopt: the file did not exist
    std::optional<std::string> after;   // nullopt: the transaction removed it
};

struct history_entry {
    std::uint64_t id = 0;  // increasing with each commit
    std::chrono::system_clock::time_point time;  // of the commit
    std::string label;                           // transaction_options::label
    std::vector<history_file> files;             // in the order given
};

// The committed transactions kept in state_dir's state folder, oldest first (at most
// history_kept); empty when there is none. A damaged entry throws io_error naming it.
NGXCONF_API std::vector<history_entry> read_history(const std::filesystem::path& state_dir);

// The changes that revert history entry `id` when given to apply_changes as a new transaction:
// every file gets its bytes from before `id` back, a file `id` created is removed
// (file_change::remove) and one it removed is created again. Refuses with
// error_code::modified_on_disk, naming the file, when a file no longer holds what `id` left;
// io_error when `id` is not in the history.
NGXCONF_API std::vector<file_change> undo_changes(const std::filesystem::path& state_dir, std::uint64_t id);

}  // namespace ngxconf
