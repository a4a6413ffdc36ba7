#pragma once
// nginx's directive-level check (ngxconf::check) over SWAG's files: each file in the context
// SWAG's nginx.conf and default.conf include it in.
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "ngxconf/check.hpp"
#include "ngxconf/diagnostic.hpp"
#include "ngxconf/save.hpp"

namespace ngxauth {

// nginx.conf: main; site-confs/*, proxy-confs/*.subdomain.conf, resolver.conf: http;
// proxy-confs/*.subfolder.conf, *-server.conf, ssl.conf: server; *-location.conf, proxy.conf:
// location. nullopt for any other file (not checked: its context is not known).
[[nodiscard]] std::optional<ngxconf::check_context> swag_context(const std::filesystem::path& file);

// The directive errors of `bytes` read as `file` (nothing when it does not parse or its
// context is not known: parse errors are reported elsewhere).
[[nodiscard]] std::vector<ngxconf::diagnostic> directive_errors(const std::filesystem::path& file,
                                                                std::string_view bytes,
                                                                ngxconf::nginx_version v);

// The errors a write adds: each changed file is checked with what its enabled includes pull
// in (an included file in the context of its include line; /config/nginx is `root`; a file
// the write also changes is read as written), before and after; the errors beyond those the
// baseline had (same code, message and file) come back, at their lines in the new bytes.
[[nodiscard]] std::vector<ngxconf::diagnostic> new_directive_errors(
    const std::filesystem::path& root, const std::vector<ngxconf::file_change>& changes,
    ngxconf::nginx_version v);

// Every file of the tree under `root` whose context is known, checked.
[[nodiscard]] std::vector<ngxconf::diagnostic> tree_directive_errors(const std::filesystem::path& root,
                                                                     ngxconf::nginx_version v,
                                                                     std::size_t* files_checked);

}  // namespace ngxauth
