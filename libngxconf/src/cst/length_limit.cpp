// nginx's "too long parameter" rule, derived from ngx_conf_read_token in nginx 1.22.
//
// nginx keeps `start` at the first byte of the pending token and refills its 4096-byte
// buffer when it runs dry; if at a refill the pending bytes fill the whole buffer it fails.
// `start` moves on every byte read between tokens, so only three kinds of span can grow:
// a bare word, a quoted string (counted from after its opening quote) and a comment. Each
// span lasts until the next byte that moves `start`; working the refills through shows the
// error fires exactly when that next byte lies 4096 or more bytes after `start` and the
// file still has bytes after `start + 4096` (at the very end nginx reports end-of-file).
#include "cst/builder.hpp"
#include "lexer/token.hpp"

namespace ngxconf::detail {
namespace {
constexpr std::uint64_t buffer_size = 4096;
constexpr std::uint64_t never = ~std::uint64_t{0};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
}  // namespace

std::optional<syntax_failure> check_length(std::string_view src, int kind_int,
                                           std::uint32_t begin, std::uint32_t end, bool open) {
    const auto kind = static_cast<tok>(kind_int);
    const std::uint64_t size = src.size();
    std::uint64_t start = begin;
    std::uint64_t next = never;  // the byte at which `start` moves again
    const bool quoted = kind == tok::dq_string || kind == tok::sq_string;
    if (quoted) ++start;
    if (kind == tok::comment) {
        next = end < size ? end : never;  // the LF ending the comment moves `start`
    } else if (open) {
        next = never;
    } else if (end < size) {
        // A separator after a word or string is read as part of it; the byte after it
        // moves `start`. ';', '{' (and ')' or a bad byte after a quote) end the read at once.
        next = is_space(src[end]) ? (end + 1 < size ? end + 1 : never) : end;
    }
    const std::uint64_t refill = start + buffer_size;
    if (next < refill || refill >= size) return std::nullopt;

    syntax_failure f;
    f.code = error_code::too_long_parameter;
    f.at = start;
    // Still inside the quotes at the refill: nginx blames the missing closing quote.
    const bool still_quoted = quoted && (open || end - 1 >= refill);
    if (still_quoted) {
        f.message = std::string("too long parameter, probably missing terminating \"") +
                    (kind == tok::dq_string ? '"' : '\'') + "\" character";
    } else {
        f.message = "too long parameter \"" + std::string(src.substr(start, 10)) + "...\" started";
    }
    return f;
}

}  // namespace ngxconf::detail
