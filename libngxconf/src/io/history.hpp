#pragma once
// The history of committed transactions: STATE/.ngxconf/history/ID/ (ID zero-padded, so that
// name order is id order) holds `entry` (id, time, label, the files) and the whole bytes of
// each file before (`before-I`) and after (`after-I`). An entry is built as history/new-XXXXXX
// and renamed to its ID: that rename is the commit point of the transaction.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "io/state_folder.hpp"
#include "ngxconf/save.hpp"

namespace ngxconf::detail::io {

// One more than the highest id kept (1 for an empty history).
std::uint64_t next_history_id(const state_folder& folder);
bool history_has(const state_folder& folder, std::uint64_t id);
// Writes `entry` as a staged (not yet committed) folder; returns its path.
std::filesystem::path stage_history(const state_folder& folder, const history_entry& entry,
                                    bool do_fsync);
// The commit point: the staged folder becomes history/ID.
void commit_history(const state_folder& folder, const std::filesystem::path& staged,
                    std::uint64_t id, bool do_fsync);
// Drops the entries beyond the newest history_kept, and staged ones a dead run left (best
// effort: the commit is done by then).
void prune_history(const state_folder& folder) noexcept;
// Recovery (under the lock): drops the staged entries a run killed before its commit left, and
// the history folder itself when it holds no committed entry (that run created it).
void drop_staged_history(const state_folder& folder);
std::vector<history_entry> read_history_of(const state_folder& folder);

}  // namespace ngxconf::detail::io
