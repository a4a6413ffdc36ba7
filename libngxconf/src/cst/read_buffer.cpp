// Where nginx's read buffer ends, derived from ngx_conf_read_token in nginx 1.22.
//
// nginx refills its 4096-byte buffer when it needs the byte at the buffer's end: the bytes
// from its `start` on move to the front and the rest is read, so the buffer then ends at
// start + 4096 (or the file's end). `start` is the first byte of a pending word, the byte
// after the opening quote of a string, the '#' of a comment; the blank or newline that ends a
// word or string is read as part of it; between tokens `start` is the last byte read, and
// right after a ';', '{' or '}' (nginx returned) it is the next byte. A span that would fill
// the buffer is check_length's "too long parameter" (length_limit.cpp), decided elsewhere.
//
// The buffer's end matters only to the lua module, which reads a Lua block through it
// (lexer/lua_scan.cpp). So the tree builder asks only when a Lua block starts, and this file
// re-lexes the bytes since the last point it knows: files without Lua pay nothing.
#include <algorithm>

#include "cst/builder.hpp"
#include "lexer/lex.hpp"

namespace ngxconf::detail {
namespace {

constexpr std::uint64_t buffer_size = 4096;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

struct buffer_tracker : token_sink {
    std::string_view src;  // the whole file
    std::uint64_t base;    // offset of the lexed range in src
    std::uint64_t last;    // where the buffer ends

    void on_token(tok k, std::uint32_t rb, std::uint32_t re, bool) {
        const std::uint64_t b = base + rb;
        const std::uint64_t e = base + re;
        const std::uint64_t size = src.size();
        const bool word = k == tok::word || k == tok::dq_string || k == tok::sq_string;
        const std::uint64_t read_to = word && e < size && is_space(src[e]) ? e + 1 : e;
        while (last > b && last <= read_to && last < size) {
            const std::uint64_t p = last;  // the byte nginx needs next
            std::uint64_t start = p - 1;   // between tokens: the last byte read
            switch (k) {
                case tok::word:
                case tok::comment: start = b; break;
                case tok::dq_string:
                case tok::sq_string: start = b + 1; break;
                case tok::semicolon:
                case tok::lbrace:
                case tok::rbrace: start = p; break;
                default: break;
            }
            if (start + buffer_size <= p) return;  // a full buffer: "too long parameter"
            last = std::min(size, start + buffer_size);
        }
    }
};

}  // namespace

std::uint64_t read_buffer_end(std::string_view src, std::uint64_t from, std::uint64_t last,
                              std::uint64_t to) {
    // At `from` nginx starts a statement: `start` is the next byte, so an exhausted buffer
    // refills from there.
    if (last <= from) last = std::min<std::uint64_t>(src.size(), from + buffer_size);
    buffer_tracker t;
    t.src = src;
    t.base = from;
    t.last = last;
    (void)lex(src.substr(from, to - from), t);
    return t.last;
}

}  // namespace ngxconf::detail
