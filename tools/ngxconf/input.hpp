#pragma once
// Reading a FILE argument of the tool: a path, or "-" for standard input.
#include <string>

#include <ngxconf/document.hpp>

namespace ngxconf_tool {

// The source name of a document read from standard input (what FILE:LINE:COL shows).
inline constexpr const char* stdin_name = "<stdin>";

// Parses FILE, or standard input when FILE is "-". Throws ngxconf::error (parse_error,
// io_error) as parse_file does.
[[nodiscard]] ngxconf::document parse_input(const std::string& file,
                                            const ngxconf::parse_options& options);
// The same, recovering (ngxconf::parse_recovering): a syntax error is not thrown.
[[nodiscard]] ngxconf::recovered_document parse_input_recovering(
    const std::string& file, const ngxconf::parse_options& options);

}  // namespace ngxconf_tool
