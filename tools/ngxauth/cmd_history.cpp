// history: the transactions recorded in ROOT/.ngxconf/ (id, time, command line, files).
#include <fmt/core.h>

#include <ctime>

#include "commands.hpp"
#include "ngxconf/json.hpp"
#include "ngxconf/save.hpp"

namespace ngxauth {
namespace {

// "2026-12-06T17:50:01Z"
std::string utc_time(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// What the transaction did to the file: created, removed or modified.
std::string_view change_of(const ngxconf::history_file& f) {
    if (!f.before) return "created";
    if (!f.after) return "removed";
    return "modified";
}

std::string json_entry(const ngxconf::history_entry& e, const std::filesystem::path& root) {
    std::string files;
    for (const auto& f : e.files) {
        files += fmt::format("{}{{\"file\":{},\"change\":{}}}", files.empty() ? "" : ",",
                             ngxconf::json_quote(display_path(f.path, root)),
                             ngxconf::json_quote(change_of(f)));
    }
    return fmt::format("{{\"id\":{},\"time\":{},\"label\":{},\"files\":[{}]}}", e.id,
                       ngxconf::json_quote(utc_time(e.time)), ngxconf::json_quote(e.label),
                       files);
}

}  // namespace

int cmd_history(const options& o) {
    const auto root = ngxconf::swag::layout::detect(o.root).root;
    const auto entries = ngxconf::read_history(root);
    if (o.json) {
        std::string list;
        for (const auto& e : entries) list += (list.empty() ? "" : ",") + json_entry(e, root);
        fmt::print("{{\"ok\":true,\"command\":\"history\",\"root\":{},\"transactions\":[{}],"
                   "\"recovered\":[{}]}}\n",
                   ngxconf::json_quote(root.string()), list, json_strings(o.recovered));
        return exit_ok;
    }
    if (entries.empty()) fmt::print("no recorded changes\n");
    for (const auto& e : entries) {
        fmt::print("{}  {}  {}\n", o.out.bold(std::to_string(e.id)), utc_time(e.time), e.label);
        for (const auto& f : e.files) {
            fmt::print("    {} {}\n", o.out.dim(fmt::format("{:<8}", change_of(f))),
                       display_path(f.path, root));
        }
    }
    return exit_ok;
}

}  // namespace ngxauth
