// ngxconf select: the directives a selector matches, grep-style or as a JSON array.
#include <iostream>

#include <ngxconf/json.hpp>
#include <ngxconf/query.hpp>

#include "commands.hpp"
#include "head_text.hpp"
#include "input.hpp"

namespace ngxconf_tool {
namespace {

std::string position_json(const ngxconf::source_position& p) {
    return "{\"line\":" + std::to_string(p.line) + ",\"column\":" + std::to_string(p.column) +
           ",\"byte\":" + std::to_string(p.byte) + "}";
}

// The crossplane entry of the match plus where it is: "file" and the node's "region".
std::string match_json(const ngxconf::const_directive& d) {
    std::string out = ngxconf::to_crossplane_directive(d);
    out.pop_back();  // the closing '}': the object continues with our members
    const auto r = d.region();
    out += ",\"file\":" + ngxconf::json_quote(d.owner().source_name()) +
           ",\"region\":{\"begin\":" + position_json(r.begin) + ",\"end\":" + position_json(r.end) +
           "}}";
    return out;
}

void print_match_line(const ngxconf::const_directive& d) {
    const auto head = head_of(d);
    std::cout << d.owner().source_name() << ':' << head.at.line << ':' << head.at.column << ": "
              << head.text << '\n';
}

// A malformed selector is found before any file is read: select() on an empty document.
bool selector_is_valid(const std::string& selector) {
    try {
        const auto empty = ngxconf::document::empty();
        (void)ngxconf::select(empty.root(), selector);
        return true;
    } catch (const ngxconf::usage_error& e) {
        std::cerr << "ngxconf: " << e.what() << '\n';
        return false;
    }
}

}  // namespace

int cmd_select(const select_request& req) {
    if (!selector_is_valid(req.selector)) return 2;
    bool matched = false, failed = false, first_json = true;
    if (req.json) std::cout << '[';
    for (const auto& file : req.files) {
        try {
            const auto doc = parse_input(file, req.parse);
            const auto found = ngxconf::select(doc.root(), req.selector,
                                               {.include_disabled = req.include_disabled});
            for (const auto& d : found) {
                matched = true;
                if (!req.json) {
                    print_match_line(d);
                    continue;
                }
                std::cout << (first_json ? "\n" : ",\n") << match_json(d);
                first_json = false;
            }
        } catch (const ngxconf::error& e) {
            std::cerr << e.what() << '\n';
            failed = true;
        }
    }
    if (req.json) std::cout << (first_json ? "]\n" : "\n]\n");
    std::cout.flush();
    if (failed) return 2;
    return matched ? 0 : 1;
}

}  // namespace ngxconf_tool
