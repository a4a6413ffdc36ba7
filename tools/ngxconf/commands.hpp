#pragma once
// The subcommands of the ngxconf tool that live outside main.cpp.
#include <string>
#include <vector>

#include <optional>

#include <ngxconf/check.hpp>
#include <ngxconf/document.hpp>

namespace ngxconf_tool {

struct select_request {
    std::string selector;
    std::vector<std::string> files;  // "-" is standard input
    bool json = false;
    bool include_disabled = false;
    ngxconf::parse_options parse;
};
// grep's exit status: 0 something matched, 1 nothing matched, 2 a bad selector or a file
// that could not be read or parsed (the other files are still searched).
int cmd_select(const select_request& req);

struct check_request {
    std::vector<std::string> files;  // "-" is standard input
    ngxconf::parse_options parse;
    bool json = false;
    // Every syntax error of a file (parse_recovering), not only nginx's first.
    bool all_errors = false;
    std::optional<ngxconf::check_options> directives;
};
// Syntax errors and validate() advice of every file; with `directives` also nginx's directive
// check (ngxconf::check) against that table. 1 when any file fails to parse or check.
int cmd_check(const check_request& req);

}  // namespace ngxconf_tool
