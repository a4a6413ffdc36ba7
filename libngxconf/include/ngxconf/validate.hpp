#pragma once
// Advice about a document that parses: things nginx accepts syntactically but that are
// probably not what the author meant. Never throws.
#include <cstdint>
#include <string>
#include <vector>

#include "ngxconf/document.hpp"
#include "ngxconf/export.hpp"

namespace ngxconf {

struct diagnostic {
    enum class level : std::uint8_t { info, warning } severity = level::warning;
    std::string code;     // stable: "bom", "suspicious-disabled-name"
    std::string message;
    source_region where;
};

// - "bom": the file starts with a UTF-8 byte order mark, which nginx reads as part of the
//   first directive's name;
// - "suspicious-disabled-name": a commented-out directive whose name is one edit away from a
//   well-known directive (SWAG ships `#uth_basic "Restricted";`): "did you mean auth_basic?".
[[nodiscard]] NGXCONF_API std::vector<diagnostic> validate(const document& doc) noexcept;

}  // namespace ngxconf
