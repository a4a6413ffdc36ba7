#pragma once
#include "cst/doc_impl.hpp"

namespace ngxconf::detail {
// LibCST-style detection, done once on first use: the newline is the first line ending of
// the file; the indent unit is the most common positive step from a block directive's
// indentation to its children's (more robust than "the first indent" on hand-edited files).
[[nodiscard]] text_style detect_style(const doc_impl& doc);
// The blanks at the start of the line on which the node starts ("" when it starts mid-line).
[[nodiscard]] std::string_view line_indent(const doc_impl& doc, std::uint32_t id);
}  // namespace ngxconf::detail
