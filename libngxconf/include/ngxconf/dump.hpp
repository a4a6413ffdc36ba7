#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ngxconf/document.hpp"
#include "ngxconf/export.hpp"

namespace ngxconf {

// An indented listing of the tree, one node a line, for golden tests and debugging:
//   directive@12..31 "listen" ["443","ssl"] "    listen 443 ssl;\n"
// (kind, byte span in the source, name and raw args, the exact bytes). Blocks list their
// children indented by two spaces and then a `close@a..b "..."` line for the `}` line.
[[nodiscard]] NGXCONF_API std::string dump_tree(const document& doc);

}  // namespace ngxconf

namespace ngxconf {

// The tokens of the tree, in print order: each with its bytes and, while it still refers to
// the source, its offset there (npos once an edit gave it owned text). Concatenated they are
// to_string(doc); for an unedited document their offsets tile the source exactly.
struct piece {
    enum class kind : std::uint8_t {
        indent, marker, name, arg_trivia, arg, term_trivia, terminator, trailing, lua_code,
        close_indent, close_brace, close_trailing, comment_line, blank_line,
        error_bytes  // an error node of a recovering parse (parse_recovering)
    };
    kind what;
    std::string_view bytes;
    std::uint64_t offset;  // into document::source(), or npos
    static constexpr std::uint64_t npos = ~std::uint64_t{0};
};
[[nodiscard]] NGXCONF_API std::vector<piece> pieces(const document& doc);

}  // namespace ngxconf
