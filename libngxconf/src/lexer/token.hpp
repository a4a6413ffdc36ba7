#pragma once
// The lexer's output: token kinds and the sink interface. No PEGTL here (lexer/lex.hpp
// runs the grammar).
#include <cstdint>
#include <string_view>

namespace ngxconf::detail {

enum class tok : std::uint8_t {
    blank,      // run of ' ', '\t', '\r' (CR is whitespace to nginx)
    newline,    // one '\n'
    comment,    // '#' up to, not including, the next '\n' or the end
    word,       // bare word: ends only at whitespace, ';' or '{' ("foo}" is one word)
    dq_string,  // "..." with its quotes (unterminated at the end of input: see `open`)
    sq_string,  // '...'
    semicolon,
    lbrace,
    rbrace,
    lua_body,   // the raw Lua of a *_by_lua_block, from after '{' up to, not including, '}'
};

// The base of every sink passed to lex() (lexer/lex.hpp), which calls the sink's
//   void on_token(tok kind, std::uint32_t begin, std::uint32_t end, bool end_open)
// for every token in order; tokens tile the input exactly (no gap, no overlap). `end_open`
// is true for a quoted string that reached the end of input unterminated.
struct token_sink {
    // Set by the sink right after an lbrace that opens a Lua block: the lexer then scans Lua
    // and emits one lua_body token (and the closing rbrace) before resetting it.
    bool lua_pending = false;
    // Set by the sink to stop the lexer early (after a syntax error).
    bool stop = false;
    // Where nginx's 4096-byte read buffer ends (a file offset), for sinks that model it (the
    // tree builder, with parse_options::nginx_length_limit): the lua module reads a Lua block
    // only through that buffer, and the lexer sets it to where the block left it. Unlimited:
    // the whole input is one buffer.
    static constexpr std::uint64_t unlimited = ~std::uint64_t{0};
    std::uint64_t buffer_end = unlimited;
    // Newlines the lua module skipped in earlier Lua blocks without counting them: nginx's
    // later line numbers are that many lines too low (lexer/lua_scan.cpp).
    std::uint32_t lost_lines = 0;
};

// What stopped the lexer: a character after a closing quote (nginx: unexpected "X"), or
// a Lua block without its closing brace.
struct lex_failure {
    enum class kind : std::uint8_t { none, after_quote, lua_eof, lua_long_bracket, lua_too_long } what = kind::none;
    std::uint32_t at = 0;
    std::uint32_t level = 0;  // lua_long_bracket: the number of '=' of the unclosed bracket
    std::uint32_t lost_lines = 0;  // Lua failures: newlines skipped before `at` in the block
};

// Finds the end of a Lua block body starting right after its '{', as OpenResty's lexer
// (ngx_http_lua_lex) does: braces inside "..." and '...' strings (one line, escapes that do
// not cross a line), long brackets [==[...]==] and comments (-- and --[[...]]) do not count;
// and only through nginx's read buffer, which ends at `buffer_end` when the block starts
// (lexer/lua_scan.cpp derives the module's refills).
struct lua_scan {
    enum class result : std::uint8_t { closed, eof, unclosed_long_bracket, too_long } what = result::eof;
    // closed: the '}'; unclosed: the opener; eof: the last '{' inside, or npos; too_long: the
    // token start whose buffer held no token
    std::size_t at = 0;
    std::uint32_t level = 0;
    std::uint64_t buffer_end = 0;  // where the buffer ends after the block
    // Newlines the module skipped without counting (closed: in the whole block; a failure:
    // before the position it reports): nginx's line numbers fall behind by that many.
    std::uint32_t lost_lines = 0;
};
[[nodiscard]] lua_scan scan_lua_body(std::string_view text, std::size_t from,
                                     std::uint64_t buffer_end = token_sink::unlimited);

}  // namespace ngxconf::detail
