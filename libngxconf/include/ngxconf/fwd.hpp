#pragma once
#include <cstdint>
// Forward declarations of the public types, for headers that only pass them around.
namespace ngxconf {
class document;
// Declared before the handle aliases, whose names the enumerators share.
// `error`: bytes a recovering parse (parse_recovering) could not read; never from parse().
enum class node_kind : std::uint8_t { root, directive, comment, blank, error };
enum class quote_style : std::uint8_t { none, single, dbl };
template <bool Mutable> class basic_node;
template <bool Mutable> class basic_block;
template <bool Mutable> class basic_directive;
template <bool Mutable> class basic_comment;
using node = basic_node<true>;
using block = basic_block<true>;
using directive = basic_directive<true>;
using comment = basic_comment<true>;
using const_node = basic_node<false>;
using const_block = basic_block<false>;
using const_directive = basic_directive<false>;
using const_comment = basic_comment<false>;
class error;
class parse_error;
class usage_error;
struct parse_options;
struct source_position;
struct source_region;
namespace detail {
struct doc_impl;
struct doc_access;
}
}  // namespace ngxconf
