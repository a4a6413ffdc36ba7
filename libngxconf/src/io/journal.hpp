#pragma once
// The journal of a transaction: the original bytes, mode, owner and mtime of every file it
// changes, written (fsync'ed) before the first rename, so that a run killed half-way is rolled
// back by the next one. STATE/.ngxconf/journal/ holds a `manifest` and the original bytes of
// entry i in the file "i"; it is built as journal.new-XXXXXX and renamed into place (it exists
// whole or not at all). It carries the id its history entry will get: once history/ID exists
// the transaction is committed, and a journal left beside it is only deleted, never replayed.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/fs_util.hpp"
#include "io/state_folder.hpp"

namespace ngxconf::detail::io {

struct journal_entry {
    std::filesystem::path path;    // as given (made absolute), reported by recover_interrupted()
    std::filesystem::path target;  // the file actually written (symbolic links resolved)
    std::optional<std::string> original;  // nullopt: the file did not exist
    file_meta meta;                       // of the original
    std::filesystem::path backup;         // the backup written of it (resolved), or empty
};

struct journal {
    std::uint64_t id = 0;  // of the history entry the commit records
    std::vector<journal_entry> entries;
};

// The manifest text of `j` (journal_manifest.cpp).
std::string manifest_of(const journal& j);
// Parses a manifest; present originals are left "", their sizes in `sizes`.
// Throws io_error naming `file` when the text is damaged.
journal parse_manifest(std::string_view text, const std::filesystem::path& file,
                       std::vector<std::size_t>& sizes);
[[noreturn]] void journal_damaged(const std::filesystem::path& file);

void write_journal(const state_folder& folder, const journal& j, bool do_fsync);
// nullopt when there is no journal.
std::optional<journal> read_journal(const state_folder& folder);
// Once renamed away, the journal no longer rolls anything back.
void remove_journal(const state_folder& folder, bool do_fsync);
// Puts one file back as the journal recorded it; true when anything had to change.
bool restore_entry(const journal_entry& e, bool do_fsync);
// Rolls back a journal left in the folder (the caller holds the lock); the paths restored.
std::vector<std::filesystem::path> recover_locked(const state_folder& folder, bool do_fsync);

}  // namespace ngxconf::detail::io
