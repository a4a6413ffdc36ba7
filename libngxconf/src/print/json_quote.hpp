#pragma once
#include <ngxconf/json.hpp>
#include <string>
#include <string_view>

namespace ngxconf::detail {
// A JSON string literal, quotes included; bytes that are not UTF-8 as \u00XX of their value
// (the tree dump's convention).
void append_json_string(std::string& out, std::string_view bytes);
// A JSON string literal, quotes included; bytes that are not UTF-8 as `mode` says.
void append_json_string(std::string& out, std::string_view bytes, json_bytes mode);
// The same without the quotes, for a string put together from parts.
void append_json_chars(std::string& out, std::string_view bytes, json_bytes mode);
}  // namespace ngxconf::detail
