#pragma once
#include <string>
#include <string_view>

#include "ngxconf/export.hpp"

namespace ngxconf {

// A unified diff (`diff -u` format, `context` lines around each change) of two byte strings.
// Exact: `patch` applied to old_bytes gives new_bytes, CR bytes and a missing final newline
// ("\ No newline at end of file") included. Empty when the bytes are equal.
[[nodiscard]] NGXCONF_API std::string unified_diff(std::string_view old_bytes,
                                                   std::string_view new_bytes,
                                                   std::string_view old_label,
                                                   std::string_view new_label, int context = 3);

}  // namespace ngxconf
