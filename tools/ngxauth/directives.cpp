// The directive check over SWAG's files, and the gate finish() puts before a write.
#include "directives.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <tuple>
#include <string>
#include <utility>

#include "ngxconf/document.hpp"
#include "ngxconf/error.hpp"
#include "ngxconf/query.hpp"
#include "ngxconf/workspace.hpp"

namespace ngxauth {
namespace {

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::optional<ngxconf::check_context> swag_context(const std::filesystem::path& file) {
    using ngxconf::check_context;
    const std::string name = file.filename().string();
    const std::string folder = file.parent_path().filename().string();
    if (name == "nginx.conf") return check_context::main;
    if (folder == "site-confs" && ends_with(name, ".conf")) return check_context::http;
    if (ends_with(name, ".subdomain.conf") || name == "resolver.conf") return check_context::http;
    if (ends_with(name, ".subfolder.conf") || ends_with(name, "-server.conf") || name == "ssl.conf") {
        return check_context::http_server;
    }
    if (ends_with(name, "-location.conf") || name == "proxy.conf") return check_context::http_location;
    return std::nullopt;
}

std::vector<ngxconf::diagnostic> directive_errors(const std::filesystem::path& file, std::string_view bytes,
                                                  ngxconf::nginx_version v) {
    const auto ctx = swag_context(file);
    if (!ctx) return {};
    auto parsed = ngxconf::try_parse(bytes, file.string());
    if (!parsed) return {};
    return ngxconf::check(parsed.value(), {v, *ctx, {}});
}

namespace {

// `bytes` as `file` in its SWAG context, with the files its enabled includes pull in.
std::vector<ngxconf::diagnostic> with_includes(const std::filesystem::path& root,
                                               const std::filesystem::path& file, std::string_view bytes,
                                               const std::vector<ngxconf::file_change>& changes,
                                               ngxconf::nginx_version v) {
    const auto ctx = swag_context(file);
    if (!ctx) return {};
    auto parsed = ngxconf::try_parse(bytes, file.string());
    if (!parsed) return {};
    ngxconf::workspace_options wo;
    wo.prefix = root;
    wo.mappings = {{"/config/nginx", root}};
    ngxconf::workspace ws(std::move(wo));
    try {
        std::error_code ec;
        ngxconf::document& doc = std::filesystem::exists(file, ec)
                                     ? (ws.open(file), ws.replace(file, std::move(parsed.value())))
                                     : ws.create(file, std::move(parsed.value()));
        for (const auto& inc : ngxconf::find_all(std::as_const(doc).root(), "include", {.recursive = true})) {
            for (const auto& p : ws.resolve_include(inc)) {
                if (std::filesystem::exists(p, ec) && !ws.find(p)) ws.load(p);
            }
        }
        for (const auto& c : changes) {  // what the write changes too, read as written
            if (c.remove || c.path == file || !ws.find(c.path)) continue;
            if (auto other = ngxconf::try_parse(c.bytes, c.path.string())) ws.replace(c.path, std::move(other.value()));
        }
        return ngxconf::check(ws, doc, {v, *ctx, {}});
    } catch (const ngxconf::error&) {
        return {};  // an include that does not load: nginx -t (--validate) tells that story
    }
}

}  // namespace

std::vector<ngxconf::diagnostic> new_directive_errors(const std::filesystem::path& root,
                                                      const std::vector<ngxconf::file_change>& changes,
                                                      ngxconf::nginx_version v) {
    std::vector<ngxconf::diagnostic> added;
    for (const auto& c : changes) {
        if (c.remove) continue;
        // How many of each (code, message, file) the baseline had; the new bytes may have as many.
        std::map<std::tuple<ngxconf::diag_code, std::string, std::string>, std::size_t> before;
        if (c.expected) {
            for (const auto& d : with_includes(root, c.path, *c.expected, {}, v)) {
                ++before[{d.code, d.message, d.where.file}];
            }
        }
        for (auto& d : with_includes(root, c.path, c.bytes, changes, v)) {
            auto& left = before[{d.code, d.message, d.where.file}];
            if (left > 0) {
                --left;
            } else {
                added.push_back(std::move(d));
            }
        }
    }
    return added;
}

std::vector<ngxconf::diagnostic> tree_directive_errors(const std::filesystem::path& root,
                                                       ngxconf::nginx_version v, std::size_t* files_checked) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && swag_context(it->path())) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    std::vector<ngxconf::diagnostic> out;
    for (const auto& f : files) {
        for (auto& d : directive_errors(f, read_file(f), v)) out.push_back(std::move(d));
    }
    if (files_checked) *files_checked = files.size();
    return out;
}

}  // namespace ngxauth
