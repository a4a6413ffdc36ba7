#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cst/doc_impl.hpp"
#include "ngxconf/error.hpp"

namespace ngxconf::detail {

// A syntax error before it gets a file name and line: nginx's message and the byte where
// nginx reports it.
struct syntax_failure {
    error_code code = error_code::none;
    std::string message;
    std::uint64_t at = 0;
    // nginx's line is the line of `at` less this many (newlines the lua module skipped
    // without counting: lexer/lua_scan.cpp).
    std::uint32_t lines_lost = 0;
};

// Where nginx's 4096-byte read buffer (ngx_conf_read_token) ends once nginx has read the
// bytes [from, to) of `src`, starting a statement at `from` with the buffer ending at `last`
// (0 at the file's start). Only the lua module cares: it reads a Lua block through that
// buffer (cst/read_buffer.cpp).
[[nodiscard]] std::uint64_t read_buffer_end(std::string_view src, std::uint64_t from,
                                            std::uint64_t last, std::uint64_t to);

// Blocks whose body nginx hands line by line to a module handler (cf->handler), where
// ngx_conf_parse rejects a nested `{`.
[[nodiscard]] bool is_handler_block(std::string_view name) noexcept;

// Lexes doc.source and builds doc.items under the ownership rules R1-R8 (node.hpp).
// Returns the first syntax error in nginx's order, or nothing.
[[nodiscard]] std::optional<syntax_failure> build(doc_impl& doc);
// The same, recovering: every error in order (the first is build()'s), and a tree whose
// error nodes own the bytes nginx could not take (cst/builder.cpp lists the repairs).
[[nodiscard]] std::vector<syntax_failure> build_recovering(doc_impl& doc);

// 3.4: what a whole-line comment body (the bytes after '#') is.
struct comment_shape {
    enum class kind : std::uint8_t { prose, directive, opens_block, closes_block } what =
        kind::prose;
    int brace_delta = 0;
};
[[nodiscard]] comment_shape classify_comment_body(std::string_view body);

// nginx 1.22 reads a file through a 4096-byte buffer; a word, quoted string or comment
// whose pending bytes fill it is "too long". Given the token [begin, end) of kind `k`,
// returns the failure nginx reports, if any.
[[nodiscard]] std::optional<syntax_failure> check_length(std::string_view src, int kind,
                                                         std::uint32_t begin, std::uint32_t end,
                                                         bool open);

}  // namespace ngxconf::detail
