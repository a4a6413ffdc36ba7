#pragma once
#include <string>

#include "ngxconf/document.hpp"

namespace ngxconf {

// An indented listing of the tree, one node a line, for golden tests and debugging:
//   directive@12..31 "listen" ["443","ssl"] "    listen 443 ssl;\n"
// (kind, byte span in the source, name and raw args, the exact bytes). Blocks list their
// children indented by two spaces and then a `close@a..b "..."` line for the `}` line.
[[nodiscard]] std::string dump_tree(const document& doc);

}  // namespace ngxconf
