// Finds the closing brace of an OpenResty *_by_lua_block body, token by token like the lua
// module's own lexer (ngx_http_lua_lex): `{` `}` long brackets `[=*[`, long comments
// `--[=*[`, line comments `--...`, and one-line quoted strings. A quote that does not close
// on its line (or whose backslash escapes the line end) starts no string: it is an ordinary
// byte, as for OpenResty.
#include <string>
#include <string_view>

#include "lexer/token.hpp"

namespace ngxconf::detail {
namespace {

// At text[i] == '[': the level of a long bracket opener "[=*[", or -1 when it is not one.
long long_bracket_level(std::string_view text, std::size_t i) {
    std::size_t j = i + 1;
    while (j < text.size() && text[j] == '=') ++j;
    if (j < text.size() && text[j] == '[') return static_cast<long>(j - i - 1);
    return -1;
}

// The offset just past the "]=*]" closing a long bracket of `level`, or npos.
std::size_t skip_long_bracket(std::string_view text, std::size_t from, long level) {
    std::string closer(static_cast<std::size_t>(level) + 2, '=');
    closer.front() = ']';
    closer.back() = ']';
    const auto at = text.find(closer, from);
    return at == std::string_view::npos ? at : at + closer.size();
}

// The offset just past a one-line string opened by text[i], or npos when it does not close.
std::size_t skip_string(std::string_view text, std::size_t i) {
    const char q = text[i];
    for (std::size_t j = i + 1; j < text.size(); ++j) {
        const char c = text[j];
        if (c == q) return j + 1;
        if (c == '\n') return std::string_view::npos;
        if (c == '\\') {
            if (j + 1 >= text.size() || text[j + 1] == '\n') return std::string_view::npos;
            ++j;
        }
    }
    return std::string_view::npos;
}

}  // namespace

lua_scan scan_lua_body(std::string_view text, std::size_t from) {
    constexpr auto npos = std::string_view::npos;
    std::size_t depth = 0;
    std::size_t last_open = npos;  // OpenResty reports a missing '}' at the last '{' it saw
    std::size_t i = from;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            if (i + 2 < text.size() && text[i + 2] == '[') {
                if (const long level = long_bracket_level(text, i + 2); level >= 0) {
                    const auto end = skip_long_bracket(text, i + 2 + static_cast<std::size_t>(level) + 2, level);
                    if (end == npos) {
                        return {lua_scan::result::unclosed_long_bracket, i, static_cast<std::uint32_t>(level)};
                    }
                    i = end;
                    continue;
                }
            }
            i = text.find('\n', i);
            if (i == npos) return {lua_scan::result::eof, last_open, 0};
            continue;
        }
        if (c == '[') {
            if (const long level = long_bracket_level(text, i); level >= 0) {
                const auto end = skip_long_bracket(text, i + static_cast<std::size_t>(level) + 2, level);
                if (end == npos) {
                    return {lua_scan::result::unclosed_long_bracket, i, static_cast<std::uint32_t>(level)};
                }
                i = end;
                continue;
            }
        }
        if (c == '"' || c == '\'') {
            if (const auto end = skip_string(text, i); end != npos) {
                i = end;
                continue;
            }
        }
        if (c == '{') {
            ++depth;
            last_open = i;
        }
        if (c == '}') {
            if (depth == 0) return {lua_scan::result::closed, i, 0};
            --depth;
        }
        ++i;
    }
    return {lua_scan::result::eof, last_open, 0};
}

}  // namespace ngxconf::detail
