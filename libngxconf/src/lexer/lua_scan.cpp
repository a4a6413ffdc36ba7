// Finds the closing brace of an OpenResty *_by_lua_block body. Braces inside Lua strings,
// long brackets ([[...]], [==[...]==]) and comments (-- and --[[...]]) do not count,
// as in the lua module's own lexer (ngx_http_lua_lex).
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
    std::string closer = "]" + std::string(static_cast<std::size_t>(level), '=') + "]";
    auto at = text.find(closer, from);
    return at == std::string_view::npos ? at : at + closer.size();
}

}  // namespace

std::size_t scan_lua_body(std::string_view text, std::size_t from) {
    constexpr auto npos = std::string_view::npos;
    std::size_t depth = 0;
    std::size_t i = from;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            if (i + 2 < text.size() && text[i + 2] == '[') {
                if (long level = long_bracket_level(text, i + 2); level >= 0) {
                    i = skip_long_bracket(text, i + 2, level);
                    if (i == npos) return npos;
                    continue;
                }
            }
            i = text.find('\n', i);
            if (i == npos) return npos;
            continue;
        }
        if (c == '[') {
            if (long level = long_bracket_level(text, i); level >= 0) {
                i = skip_long_bracket(text, i + static_cast<std::size_t>(level) + 2, level);
                if (i == npos) return npos;
                continue;
            }
        }
        if (c == '"' || c == '\'') {
            ++i;
            while (i < text.size() && text[i] != c) i += text[i] == '\\' ? 2 : 1;
            if (i >= text.size()) return npos;
            ++i;
            continue;
        }
        if (c == '{') ++depth;
        if (c == '}') {
            if (depth == 0) return i;
            --depth;
        }
        ++i;
    }
    return npos;
}

}  // namespace ngxconf::detail
