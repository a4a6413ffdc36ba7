#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ngxconf/source.hpp"

namespace ngxconf {

// Stable error numbers: never renumbered, new codes are appended.
enum class error_code : std::uint8_t {
    none = 0,
    unexpected_character = 1,     // unexpected "X"  (after a closing quote)
    unexpected_semicolon = 2,     // unexpected ";"
    unexpected_open_brace = 3,    // unexpected "{"
    unexpected_close_brace = 4,   // unexpected "}"
    eof_expecting_terminator = 5, // unexpected end of file, expecting ";" or "}"
    eof_expecting_close = 6,      // unexpected end of file, expecting "}"
    too_long_parameter = 7,       // nginx's 4096-byte token buffer overflowed
    eof_in_lua_block = 8,         // unexpected end of file, expecting terminating characters ...
    nesting_too_deep = 9,         // more nested blocks than parse_options::max_depth
    file_too_large = 10,          // over 4 GiB: offsets are 32-bit
    io_error = 11,                // the file could not be read or written
    modified_on_disk = 12,        // the file changed since it was loaded
    validation_failed = 13,       // the validation command of a transaction failed
    locked = 14,                  // another run holds the tree's lock
    include_error = 15,           // a missing include or an include cycle
    interrupted = 16,             // a signal (SIGINT, SIGTERM, ...) stopped a transaction
};

// The one exception base of the library: a message plus where it applies.
// `what()` is "FILE:LINE:COL: message" (or just the message when there is no position).
class error : public std::runtime_error {
public:
    error(error_code code, std::string description, source_region where = {});

    [[nodiscard]] error_code code() const noexcept { return code_; }
    [[nodiscard]] const source_region& where() const noexcept { return where_; }
    // The message alone, in nginx's words where nginx has words for it.
    [[nodiscard]] std::string_view description() const noexcept { return description_; }

private:
    error_code code_;
    std::string description_;
    source_region where_;
};

// The input is not a syntactically valid nginx configuration.
class parse_error : public error {
public:
    using error::error;
};

// A file-system or process failure (read, write, rename, lock, validation command).
class io_error : public error {
public:
    using error::error;
};

// The caller broke a precondition of the API (an index out of range, a node of another
// document, an edit that would produce invalid syntax). A bug in the caller, not in the input.
class usage_error : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace ngxconf
