#pragma once
#include <cstdint>
#include <string>

namespace ngxconf {

// A place in a source file. Lines count LF bytes only, as nginx does; columns count bytes.
// Both are 1-based; `line == 0` means "no source position" (a node created by an edit).
struct source_position {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint64_t byte = 0;  // 0-based offset into the file

    [[nodiscard]] bool known() const noexcept { return line != 0; }
    friend bool operator==(const source_position&, const source_position&) = default;
};

// A range of bytes of one file, for diagnostics.
struct source_region {
    std::string file;
    source_position begin;
    source_position end;
};

}  // namespace ngxconf
