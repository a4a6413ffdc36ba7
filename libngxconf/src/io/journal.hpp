#pragma once
// The journal of a transaction: the original bytes, mode, owner and mtime of every file it
// changes, written (fsync'ed) before the first rename, so that a run killed half-way is rolled
// back by the next one. STATE/.ngxconf.journal/ holds a `manifest` and the original bytes of
// entry i in the file "i"; it is built as .ngxconf.journal.new-XXXXXX and renamed into place
// (it exists whole or not at all), and renamed to .ngxconf.journal.old at the commit.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/fs_util.hpp"

namespace ngxconf::detail::io {

struct journal_entry {
    std::filesystem::path path;    // as given (made absolute), reported by recover_interrupted()
    std::filesystem::path target;  // the file actually written (symbolic links resolved)
    std::optional<std::string> original;  // nullopt: the file did not exist
    file_meta meta;                       // of the original
};

// The manifest text of `entries` (journal_manifest.cpp).
std::string manifest_of(const std::vector<journal_entry>& entries);
// Parses a manifest; the original bytes are left empty (present ones as ""), sizes in `sizes`.
// Throws io_error naming `file` when the text is damaged.
std::vector<journal_entry> parse_manifest(std::string_view text, const std::filesystem::path& file,
                                          std::vector<std::size_t>& sizes);
[[noreturn]] void journal_damaged(const std::filesystem::path& file);

void write_journal(const std::filesystem::path& state_dir, const std::vector<journal_entry>& entries,
                   bool do_fsync);
// nullopt when there is no journal.
std::optional<std::vector<journal_entry>> read_journal(const std::filesystem::path& state_dir);
// The commit point: once renamed away, the journal no longer rolls anything back.
void remove_journal(const std::filesystem::path& state_dir, bool do_fsync);
// Puts one file back as the journal recorded it; true when anything had to change.
bool restore_entry(const journal_entry& e, bool do_fsync);
// Rolls back a journal left in state_dir (the caller holds the lock); the paths restored.
std::vector<std::filesystem::path> recover_locked(const std::filesystem::path& state_dir,
                                                  bool do_fsync);

}  // namespace ngxconf::detail::io
