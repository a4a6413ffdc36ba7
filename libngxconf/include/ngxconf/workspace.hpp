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

#include "ngxconf/document.hpp"
#include "ngxconf/save.hpp"

namespace ngxconf {

// An absolute path as nginx sees it, and where that folder is on this machine:
// {"/config", "/docker/swag/config"} maps /config/nginx/ssl.conf to the host's file.
struct path_mapping {
    std::string nginx_prefix;
    std::filesystem::path host_prefix;
};

struct workspace_options {
    // Base of relative include paths (nginx's conf prefix); default: the root file's folder.
    std::filesystem::path prefix;
    std::vector<path_mapping> mappings;
    parse_options parse;
    bool follow_includes = true;
    std::size_t max_files = 100000;  // a glob matching more is reported, not loaded
};

struct include_problem {
    enum class kind : std::uint8_t { missing, cycle, parse_error, io_error, too_many_files };
    kind what = kind::missing;
    std::string message;
    // The include directives that led here, outermost first ("a.conf:3", "b.conf:7", ...).
    std::vector<source_region> chain;
};

class workspace {
public:
    explicit workspace(workspace_options opts = {});
    workspace(workspace&&) noexcept;
    workspace& operator=(workspace&&) noexcept;
    ~workspace();

    // Loads `host_path` as the root and follows its includes. Parse errors of the root throw;
    // those of included files become problems().
    document& load(const std::filesystem::path& host_path);
    // Loads one file without following its includes (or returns it if already loaded).
    document& open(const std::filesystem::path& host_path);
    // Adds a document for a file that does not exist yet (generated); saved like the others.
    document& create(const std::filesystem::path& host_path, document doc);
    // The loaded document of that file, or nullptr.
    [[nodiscard]] document* find(const std::filesystem::path& host_path);

    // Where nginx's path (absolute or relative to the prefix) lives on this machine.
    [[nodiscard]] std::filesystem::path host_path(std::string_view nginx_path) const;
    // The files an include directive resolves to (glob expanded, sorted).
    [[nodiscard]] std::vector<std::filesystem::path> resolve_include(const directive& inc) const;

    [[nodiscard]] std::vector<document*> documents();
    [[nodiscard]] const std::vector<include_problem>& problems() const noexcept;

    // The documents whose printed bytes differ from what was read (or that are new).
    [[nodiscard]] std::vector<file_change> pending_changes() const;
    // A unified diff of every pending change, paths as labels.
    [[nodiscard]] std::string diff() const;
    // Writes the pending changes in one transaction (refusing files changed on disk).
    transaction_result save(const transaction_options& opts);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace ngxconf
