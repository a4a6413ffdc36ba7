#pragma once
// The pieces of a transaction around its main sequence (transaction.cpp): checking the changes
// against the disk, backups, removing a file, and the rollback.
#include <exception>
#include <filesystem>
#include <vector>

#include "io/journal.hpp"
#include "ngxconf/save.hpp"

namespace ngxconf::detail::io {

// The changes checked against the disk: the journal entry of each and the meta to write it
// with (in the order given).
struct transaction_plan {
    std::vector<journal_entry> entries;
    std::vector<file_meta> write_meta;
};

// Nothing is written unless every file is as expected (modified_on_disk otherwise); the same
// file twice is a usage_error.
// With `w.backup`, existing files get their backup path (resolved) in the plan.
transaction_plan plan_changes(const std::vector<file_change>& changes, const write_options& w);

// Backups hold the original bytes: harmless if the transaction is rolled back. Written after
// the journal, which names them, so recovery can sweep a killed run's temporary files.
void write_backups(const transaction_plan& plan, const write_options& w, save_observer* steps);

// A change with `remove`: unlinks the file (when it exists).
void remove_file(const journal_entry& e, bool do_fsync);

// Restores every file after `failure`, drops the journal, a staged history entry and the state
// folder when this transaction `created` it, then rethrows `failure` (or a rollback failure
// naming it).
[[noreturn]] void roll_back(const transaction_plan& plan, const state_folder& folder,
                            const std::filesystem::path& staged, bool created, bool do_fsync,
                            const std::exception_ptr& failure);

}  // namespace ngxconf::detail::io
