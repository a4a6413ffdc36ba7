#pragma once
// File-system pieces shared by the atomic write, the journal and the transaction: reading a
// file with its status, resolving the file a write replaces, owner and mode of new files.
#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ngxconf/error.hpp"

namespace ngxconf::detail::io {

// io_error with a message of its own, at `where`.
io_error plain_error(error_code code, std::string message,
                     const std::filesystem::path& where = {});

struct file_meta {
    mode_t mode = 0644;
    uid_t uid = 0;
    gid_t gid = 0;
    // Restored on rollback, so a refused change leaves the file exactly as it was, mtime
    // included (tools such as make, rsync or SWAG's own checks look at it).
    std::int64_t mtime_sec = 0;
    std::int64_t mtime_nsec = 0;
};

file_meta meta_of(const struct stat& st);

struct current_file {
    std::string bytes;
    struct stat st {};
};

// The bytes and status of a regular file; nullopt when it does not exist.
std::optional<current_file> read_current(const std::filesystem::path& path);

// Writes all bytes; returns 0 or the errno of the failure.
int write_all(int fd, std::string_view bytes);

void fsync_dir(const std::filesystem::path& dir);

// The file a write to `given` must replace: symbolic links followed (also dangling ones, whose
// target gets created), the folder made canonical.
std::filesystem::path resolve_target(const std::filesystem::path& given);

// Owner, group and mode for a new file of `dir`: those of its first regular `*.conf` file in
// name order (hidden files skipped, as the `*.conf` glob does), else 0644 and the folder's.
file_meta meta_for_new_file(const std::filesystem::path& dir);

// A write over an existing file needs the right to write it (root always has it): an atomic
// rename would otherwise replace a read-only file of a writable folder.
void check_writable(const std::filesystem::path& target);

// Creates `path` (which must not exist) mode 0600 with `bytes`.
void write_new_file(const std::filesystem::path& path, std::string_view bytes, bool do_fsync);

void remove_tree(const std::filesystem::path& p);

}  // namespace ngxconf::detail::io
