// The code table: the one place that names every diagnostic code.
#include <ngxconf/diagnostic.hpp>
#include <ngxconf/error.hpp>

#include <algorithm>

namespace ngxconf {

const std::vector<diag_code_info>& diag_codes() {
    using c = diag_code;
    // clang-format off
    static const std::vector<diag_code_info> table{
        {c::none,                     "none",                            "no code"},
        {c::unexpected_character,     "syntax.unexpected_character",     "unexpected character after a closing quote"},
        {c::unexpected_semicolon,     "syntax.unexpected_semicolon",     "unexpected \";\""},
        {c::unexpected_open_brace,    "syntax.unexpected_open_brace",    "unexpected \"{\""},
        {c::unexpected_close_brace,   "syntax.unexpected_close_brace",   "unexpected \"}\""},
        {c::eof_expecting_terminator, "syntax.eof_expecting_terminator", "end of file inside a directive"},
        {c::eof_expecting_close,      "syntax.eof_expecting_close",      "end of file inside a block"},
        {c::too_long_parameter,       "syntax.too_long_parameter",       "a token overflows nginx's 4096-byte buffer"},
        {c::eof_in_lua_block,         "syntax.eof_in_lua_block",         "end of file inside a Lua block"},
        {c::nesting_too_deep,         "syntax.nesting_too_deep",         "blocks nested deeper than max_depth"},
        {c::file_too_large,           "syntax.file_too_large",           "a file over 4 GiB"},
        {c::io_error,                 "io.error",                        "a file could not be read or written"},
        {c::modified_on_disk,         "io.modified_on_disk",             "a file changed since it was read"},
        {c::validation_failed,        "io.validation_failed",            "the validation command failed"},
        {c::locked,                   "io.locked",                       "another run holds the lock"},
        {c::include_error,            "include.error",                   "an include could not be followed"},
        {c::bom,                      "lint.bom",                        "a UTF-8 byte order mark nginx reads as part of the first name"},
        {c::suspicious_disabled_name, "lint.suspicious_disabled_name",   "a commented-out directive whose name is a near miss"},
        {c::include_missing,          "include.missing",                 "an include names no file"},
        {c::include_cycle,            "include.cycle",                   "a file includes itself through a chain"},
        {c::include_parse_error,      "include.parse_error",             "an included file does not parse"},
        {c::include_io_error,         "include.io_error",                "an included file could not be read"},
        {c::include_too_many_files,   "include.too_many_files",          "an include matches more files than allowed"},
    };
    // clang-format on
    return table;
}

std::string_view to_string(diag_code code) noexcept {
    const auto& t = diag_codes();
    const auto it = std::find_if(t.begin(), t.end(), [code](const auto& r) { return r.code == code; });
    return it == t.end() ? std::string_view("unknown") : it->name;
}

std::optional<diag_code> diag_code_named(std::string_view name) noexcept {
    const auto& t = diag_codes();
    const auto it = std::find_if(t.begin(), t.end(), [name](const auto& r) { return r.name == name; });
    if (it == t.end()) return std::nullopt;
    return it->code;
}

std::string_view to_string(severity s) noexcept {
    switch (s) {
        case severity::ok: return "ok";
        case severity::info: return "info";
        case severity::warning: return "warning";
        case severity::error: return "error";
    }
    return "unknown";
}

diagnostic error::to_diagnostic() const {
    diagnostic d;
    d.level = severity::error;
    d.code = code_;
    d.message = description_;
    d.where = where_;
    return d;
}

}  // namespace ngxconf
