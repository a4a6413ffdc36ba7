#pragma once
// Advice about a document that parses: things nginx accepts syntactically but that are
// probably not what the author meant. Never throws.
#include <cstdint>
#include <string>
#include <vector>

#include "ngxconf/diagnostic.hpp"
#include "ngxconf/document.hpp"
#include "ngxconf/export.hpp"

namespace ngxconf {

// What will be printed is checked (edits included), not the bytes first read. Codes:
// - lint.bom: the file starts with a UTF-8 byte order mark, which nginx reads as part of the
//   first directive's name;
// - lint.suspicious_disabled_name: a commented-out directive whose name is one edit away from a
//   well-known directive (SWAG ships `#uth_basic "Restricted";`): "did you mean
//   auth_basic?"; `fix` holds the well-known name.
[[nodiscard]] NGXCONF_API std::vector<diagnostic> validate(const document& doc) noexcept;

}  // namespace ngxconf
