#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ngxconf/diagnostic.hpp"
#include "ngxconf/export.hpp"
#include "ngxconf/source.hpp"

namespace ngxconf {

// The one exception base of the library: a message plus where it applies.
// `what()` is "FILE:LINE:COL: message" (or just the message when there is no position).
class NGXCONF_API error : public std::runtime_error {
public:
    error(error_code code, std::string description, source_region where = {});

    [[nodiscard]] error_code code() const noexcept { return code_; }
    [[nodiscard]] const source_region& where() const noexcept { return where_; }
    // The message alone, in nginx's words where nginx has words for it.
    [[nodiscard]] std::string_view description() const noexcept { return description_; }
    // The same as a diagnostic (severity error), for code that collects them.
    [[nodiscard]] diagnostic to_diagnostic() const;

private:
    error_code code_;
    std::string description_;
    source_region where_;
};

// The input is not a syntactically valid nginx configuration.
class NGXCONF_API parse_error : public error {
public:
    using error::error;
};

// A file-system or process failure (read, write, rename, lock, validation command).
class NGXCONF_API io_error : public error {
public:
    using error::error;
};

// The caller broke a precondition of the API (an index out of range, a node of another
// document, an edit that would produce invalid syntax). A bug in the caller, not in the input.
class NGXCONF_API usage_error : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace ngxconf
