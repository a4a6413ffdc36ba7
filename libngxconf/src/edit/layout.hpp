#pragma once
// Facts about where a node sits in the printed text, used to format inserted nodes like
// their neighbours.
#include "cst/doc_impl.hpp"

namespace ngxconf::detail {

// The last byte the node prints (its `}` line for blocks) as an unsigned char, or -1 when
// it prints nothing (a NUL is a byte like any other).
inline constexpr int no_byte = -1;
[[nodiscard]] int last_byte(const doc_impl& d, std::uint32_t id);
// The last byte printed before the node (its previous sibling, or its parent's `{` line);
// '\n' at the start of the document.
[[nodiscard]] int byte_before(const doc_impl& d, std::uint32_t id);
// Whether the node begins a line of the printed output.
[[nodiscard]] bool starts_line(const doc_impl& d, std::uint32_t id);
// The node's effective indentation: the blanks of its line, without a disabled directive's
// '#'; for a comment, the blanks before its '#'.
[[nodiscard]] std::string effective_indent(const doc_impl& d, std::uint32_t id);
// The indentation a new child of `parent` placed next to `prev`/`next` gets (3.6).
[[nodiscard]] std::string indent_for_new(const doc_impl& d, std::uint32_t parent,
                                         std::uint32_t prev, std::uint32_t next);

}  // namespace ngxconf::detail
