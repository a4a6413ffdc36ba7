#pragma once
// Safe writes. A file is never left half-written: bytes go to a temporary file beside it,
// are fsync'ed and renamed over the original, keeping its mode and owner (a symlink's target
// is updated, not the link). Several files change together in a transaction: all or none.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ngxconf {

struct write_options {
    bool fsync = true;
    // Keep the previous bytes as PATH + backup_suffix (only when the file existed).
    bool backup = false;
    std::string backup_suffix = ".bak";
};

// Replaces (or creates) `path` atomically. A new file takes the owner, group and mode of the
// existing regular files of its directory (the first in name order), else 0644 and the
// directory's owner. Throws io_error (file, errno text) and leaves the old file untouched.
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
    // Folder of the lock file and the journal (usually the tree's root). Required.
    std::filesystem::path state_dir;
    // Wait for another run's lock instead of failing at once with error_code::locked.
    bool wait_for_lock = false;
    // Run through /bin/sh after every file is written; a non-zero exit restores every file
    // exactly as it was and throws io_error(error_code::validation_failed) with its output.
    std::string validate_command;
    write_options write;
};

struct transaction_result {
    std::vector<std::filesystem::path> written;  // in the order given
    std::string validate_output;                 // stdout+stderr of the validation command
};

// Applies every change or none. A journal in state_dir records the originals before the first
// rename, so a run killed half-way (kill -9) is rolled back by the next call to
// recover_interrupted() (which apply_changes calls first, under the lock).
transaction_result apply_changes(const std::vector<file_change>& changes,
                                 const transaction_options& opts);

// Rolls back a transaction left half-done in state_dir; returns the restored paths.
std::vector<std::filesystem::path> recover_interrupted(const std::filesystem::path& state_dir);

}  // namespace ngxconf
