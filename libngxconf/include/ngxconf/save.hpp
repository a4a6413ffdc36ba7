#pragma once
// Safe writes. A file is never left half-written: bytes go to a temporary file beside it,
// are fsync'ed and renamed over the original, keeping its mode and owner (a symlink's target
// is updated, not the link). Several files change together in a transaction: all or none.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ngxconf {

// Called at each step boundary of a write, so that tests can inject faults where no real
// failure can be provoked on demand: an exception thrown from a call fails the write at that
// point exactly as a failing system call would (and is rethrown after the rollback); a test
// may also end its process there (_exit) to play a crash. Production code leaves it unset.
// Every call gets the resolved target path (symbolic links followed).
class save_observer {
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
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes,
                       const write_options& opts = {});

// One file of a transaction. `expected` is what the file held when it was read: the write is
// refused (error_code::modified_on_disk) when the file holds anything else by then.
// nullopt means "the file must not exist yet".
struct file_change {
    std::filesystem::path path;
    std::string bytes;
    std::optional<std::string> expected;
};

struct transaction_options {
    // Folder of the lock file `.ngxconf.lock` and the journal `.ngxconf.journal/` (usually the
    // tree's root). Required (usage_error when empty); created when missing.
    std::filesystem::path state_dir;
    // Wait for another run's lock instead of failing at once with error_code::locked.
    bool wait_for_lock = false;
    // Run through /bin/sh -c after every file is written (stdin /dev/null, stdout and stderr
    // captured together); a non-zero exit restores every file exactly as it was and throws
    // io_error(error_code::validation_failed) whose description ends with its output.
    // Empty: no validation. Not run when there is nothing to change.
    std::string validate_command;
    // A validation command still running after this long is killed with its whole process
    // group, and the run fails and rolls back like a non-zero exit. Zero: no limit.
    std::chrono::milliseconds validate_timeout{std::chrono::seconds(120)};
    // fsync: also governs the journal's fsyncs. backup: PATH + suffix gets the original bytes
    // of every existing file before anything is written (left in place on a rollback, where
    // it equals the restored file). write.hooks: fault injection for tests (save_observer),
    // called at every step of the transaction.
    write_options write;
};

struct transaction_result {
    std::vector<std::filesystem::path> written;  // in the order given
    std::string validate_output;                 // stdout+stderr of the validation command
};

// Applies every change or none. Under an advisory lock (flock on state_dir/.ngxconf.lock;
// error_code::locked when held and !wait_for_lock), it first recovers an interrupted run, then
// checks every `expected` (error_code::modified_on_disk, nothing written), then records the
// originals (bytes, mode, owner, or "absent") in a journal in state_dir, fsync'ed, before the
// first rename, so a run killed half-way (kill -9) is rolled back by the next call to
// recover_interrupted() (which apply_changes calls first, under the lock). Any failure (a write,
// the validation command) restores every file exactly as it was (bytes, mode, owner; files
// that did not exist are removed) and rethrows. Paths are compared after resolving symbolic
// links; the same file twice is a usage_error. On success the journal is deleted.
transaction_result apply_changes(const std::vector<file_change>& changes,
                                 const transaction_options& opts);

// Rolls back a transaction left half-done in state_dir (under the lock, as apply_changes);
// returns the paths (as given to apply_changes, made absolute) whose bytes, mode or owner had
// to be put back or that had to be removed; empty when there was no journal.
std::vector<std::filesystem::path> recover_interrupted(const std::filesystem::path& state_dir,
                                                       bool wait_for_lock = false);

}  // namespace ngxconf
