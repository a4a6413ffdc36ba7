#pragma once
// Forward declarations of the public types, for headers that only pass them around.
namespace ngxconf {
class document;
class node;
class block;
class directive;
class comment;
class error;
class parse_error;
class usage_error;
struct parse_options;
struct source_position;
struct source_region;
namespace detail {
struct doc_impl;
}
}  // namespace ngxconf
