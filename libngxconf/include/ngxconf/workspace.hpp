#pragma once
// A tree of files: a root file and what its `include` directives pull in, with nginx's
// semantics (globs in sorted order, relative paths against the prefix, absolute paths mapped
// to the host through a configurable root). One file included from several places is one
// document. Edits mark documents dirty; save() writes only those, in one transaction.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/diagnostic.hpp"
#include "ngxconf/document.hpp"
#include "ngxconf/export.hpp"
#include "ngxconf/save.hpp"

namespace ngxconf {

// An absolute path as nginx sees it, and where that folder is on this machine:
// {"/config", "/docker/swag/config"} maps /config/nginx/ssl.conf to the host's file.
struct path_mapping {
    std::string nginx_prefix;
    std::filesystem::path host_prefix;
};

struct workspace_options {
    // Base of relative include paths (nginx's conf prefix), a host path; default: the folder
    // of the first file given to load().
    std::filesystem::path prefix;
    // Absolute nginx paths are mapped through the longest nginx_prefix matching whole path
    // components ("/config" matches "/config/x", not "/configx"); unmapped ones are used as is.
    std::vector<path_mapping> mappings;
    parse_options parse;
    bool follow_includes = true;
    // A glob matching more files is a too_many_files problem (none of them loaded); loading
    // stops with the same problem once the workspace holds this many files.
    std::size_t max_files = 100000;
};

// Problems of included files are diagnostics (none of them is an exception; load() of the
// root still throws), each with one of these codes:
//   include.missing         a non-glob include names no file (a glob matching nothing is fine,
//                           as in nginx)
//   include.cycle           the file is already being included further up the chain (not
//                           loaded again)
//   include.parse_error     the included file does not parse (message: "FILE:LINE:COL: text")
//   include.io_error        the included file (or glob) could not be read
//   include.too_many_files  a glob matched more than max_files files, or the workspace is full
// `where` is the problem itself: the parse error's position in the included file, or the host
// path (or glob pattern) that is missing, unreadable or cyclic. `related` are the include
// directives that led there, outermost first: file = the including file, begin = the position
// of the word `include`. Severity: error (nginx -t fails), warning for too_many_files (a limit
// of this library, not of nginx).

class NGXCONF_API workspace {
public:
    explicit workspace(workspace_options opts = {});
    workspace(workspace&&) noexcept;
    workspace& operator=(workspace&&) noexcept;
    ~workspace();

    // Loads `host_path` as the root and follows its enabled includes (depth-first, in document
    // order, globs in bytewise-sorted order as nginx's glob(3) in the C locale). Parse and io
    // errors of the root throw; those of included files become problems(). Documents are keyed
    // by their canonical host path (symbolic links resolved): a file included twice is one
    // document. Their source_name() is the host path they were first reached by.
    document& load(const std::filesystem::path& host_path);
    // Loads one file without following its includes (or returns it if already loaded).
    document& open(const std::filesystem::path& host_path);
    // Adds a document for a file that does not exist yet (generated); saved like the others.
    // usage_error when the file is already loaded or exists on disk. An empty source_name()
    // becomes the host path.
    document& create(const std::filesystem::path& host_path, document doc);
    // The loaded document of that file (any path to it), or nullptr.
    [[nodiscard]] document* find(const std::filesystem::path& host_path);
    // Replaces the document of a loaded file by `doc` (e.g. a regenerated file); the bytes on
    // disk stay the baseline, so the change is pending like any edit. The returned reference
    // is the same object as before (references to the document stay valid and now see `doc`).
    // Handles into the old tree are retired: they still read the old nodes (kept alive until
    // the workspace is destroyed), and an edit through one throws usage_error, since it could
    // never be saved. Throws usage_error when the file is not loaded.
    document& replace(const std::filesystem::path& host_path, document doc);
    // Marks a loaded file for removal: save() deletes it (file_change::remove, journaled and
    // rolled back like a write; refused when the file changed on disk since it was read), and
    // from then on the file has nothing pending. A file create()d and removed before any save
    // never reaches the disk. The document stays readable (its edits are ignored). Throws
    // usage_error when the file is not loaded.
    void remove(const std::filesystem::path& host_path);
    // Whether remove() was called for that file (saved or not).
    [[nodiscard]] bool removed(const std::filesystem::path& host_path) const;

    // Where nginx's path (absolute or relative to the prefix) lives on this machine.
    [[nodiscard]] std::filesystem::path host_path(std::string_view nginx_path) const;
    // The files an include directive resolves to (glob expanded, sorted); a non-glob path is
    // returned whether or not it exists; empty unless the directive has exactly one argument.
    [[nodiscard]] std::vector<std::filesystem::path> resolve_include(const const_directive& inc) const;

    [[nodiscard]] std::vector<document*> documents();
    [[nodiscard]] const std::vector<diagnostic>& problems() const noexcept;

    // The documents whose printed bytes differ from their baseline, in load order, expected =
    // the baseline; plus created ones not saved yet (expected = nullopt). The baseline is
    // source() until save() writes the document, then the bytes it wrote. A removed file is a
    // change with `remove` set (bytes empty).
    [[nodiscard]] std::vector<file_change> pending_changes() const;
    // The same in a chosen write order: the files of `first` (any path to them) first, in that
    // order, then the others in load order. Paths of `first` with nothing pending are skipped.
    // Callers whose files depend on each other (a reloading watcher sees every rename) use it
    // so that no prefix of the writes is a broken state.
    [[nodiscard]] std::vector<file_change> pending_changes(
        const std::vector<std::filesystem::path>& first) const;
    // A unified diff of every pending change: labels `--- PATH` / `+++ PATH` (the host path),
    // `--- /dev/null` for a new file, `+++ /dev/null` for a removed one, so `patch -p0`
    // applies it. Empty when nothing changed. The second form follows pending_changes(first).
    [[nodiscard]] std::string diff(int context = 3) const;
    [[nodiscard]] std::string diff(const std::vector<std::filesystem::path>& first,
                                   int context = 3) const;
    // Writes the pending changes in one transaction (apply_changes: refusing files changed on
    // disk, all or nothing). Afterwards the written bytes are the documents' baseline: they are
    // clean, not re-parsed (handles stay valid; source() still returns the bytes first read).
    // The second form writes in the order of pending_changes(first).
    transaction_result save(const transaction_options& opts);
    transaction_result save(const transaction_options& opts,
                            const std::vector<std::filesystem::path>& first);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace ngxconf
