#pragma once
// A directive's own text on one line, for grep-like listings (ngxconf select).
#include <string>

#include <ngxconf/node.hpp>

namespace ngxconf_tool {

struct directive_head {
    ngxconf::source_position at;  // the first byte shown (the name, or the '#' of a disabled one)
    std::string text;
};

// The directive as written, from its first byte after the indentation through its `;` (or
// the `{` of a block directive). A directive written over several lines is joined into one:
// every stretch between two of its words that holds a line end or a comment is shown as one
// space (comments inside it are left out); a line end inside a quoted argument is shown as a
// space too. Words and the blanks between words on one line are the source bytes. Needs a
// document that was not edited (positions are source offsets).
[[nodiscard]] directive_head head_of(const ngxconf::const_directive& d);

}  // namespace ngxconf_tool
