// One directive as a crossplane "parsed" entry, for tools that list matches (ngxconf select).
// Kept apart from json.cpp, which walks whole trees.
#include <ngxconf/json.hpp>

#include "print/json_quote.hpp"

namespace ngxconf {
namespace {

// crossplane's argument list: the decoded values, `if (...)` parentheses stripped on request.
void append_args(std::string& out, std::vector<std::string> args, std::string_view name,
                 const json_options& opt) {
    if (opt.strip_if_parens && name == "if" && !args.empty()) {
        if (!args.front().empty() && args.front()[0] == '(') args.front().erase(0, 1);
        if (!args.back().empty() && args.back().back() == ')') args.back().pop_back();
        std::erase_if(args, [](const std::string& a) { return a.empty(); });
    }
    out += "\"args\":[";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i) out += ',';
        detail::append_json_string(out, args[i]);
    }
    out += ']';
}

}  // namespace

std::string to_crossplane_directive(const const_directive& d, const json_options& opt) {
    std::string out = "{\"directive\":";
    detail::append_json_string(out, d.name());
    out += ",\"line\":" + std::to_string(d.name_position().line) + ',';
    auto args = d.args();
    if (d.is_lua_block()) args.emplace_back(d.lua_code());
    append_args(out, std::move(args), d.name(), opt);
    if (opt.includes_of && d.name() == "include") {
        out += ",\"includes\":[";
        const auto idx = opt.includes_of(d);
        for (std::size_t i = 0; i < idx.size(); ++i) {
            if (i) out += ',';
            out += std::to_string(idx[i]);
        }
        out += ']';
    }
    if (!d.enabled()) out += ",\"disabled\":true";
    out += '}';
    return out;
}

}  // namespace ngxconf
