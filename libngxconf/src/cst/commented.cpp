// 3.4: recognising commented-out directives. A comment body (after the '#') is a disabled
// directive when it does not start with another '#' and re-lexes, with the same lexer, as
// exactly `[blanks] name args... ; [blanks][#comment]` with name in [A-Za-z_][A-Za-z0-9_]*.
// A body shaped `name args... {` opens a commented-out block; `}` closes one.
#include <array>

#include "cst/builder.hpp"
#include "lexer/lex.hpp"

namespace ngxconf::detail {
namespace {

// Up to 64 tokens in place: no allocation per comment line. A longer line is prose or
// an unusual directive; either way it is not classified.
struct collect : token_sink {
    struct t {
        tok kind;
        std::uint32_t begin, end;
        bool open;
    };
    static constexpr std::size_t capacity = 64;
    std::array<t, capacity> toks{};
    std::size_t n = 0;
    void on_token(tok k, std::uint32_t b, std::uint32_t e, bool o) {
        if (n == capacity) {
            stop = true;
            return;
        }
        toks[n++] = {k, b, e, o};
    }
    [[nodiscard]] std::size_t size() const { return n; }
    const t& operator[](std::size_t i) const { return toks[i]; }
};

// Most comments are prose. A directive-shaped body ends with ';', '{' or '}' (before any
// end-of-line comment); without a '#' after the first byte that is cheap to see.
bool surely_prose(std::string_view body) {
    if (body.find('#') != std::string_view::npos) return false;
    auto last = body.find_last_not_of(" \t\r");
    if (last == std::string_view::npos) return true;
    const char c = body[last];
    return c != ';' && c != '{' && c != '}';
}

bool is_name(std::string_view s) {
    if (s.empty()) return false;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!alpha(s[0])) return false;
    for (char c : s.substr(1)) {
        if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
    }
    return true;
}

// The common SWAG line `    include /config/nginx/x.conf;` decided without the lexer: blanks,
// a name, bare arguments of unremarkable bytes, ';', blanks. Returns false when the body
// holds any byte that needs the real lexer (quotes, escapes, braces, '$', '#').
struct byte_classes {
    bool blank[256]{};
    bool plain[256]{};  // a byte that needs no thought in a bare word
    bool name[256]{};   // [A-Za-z0-9_]
    constexpr byte_classes() {
        for (int c = 0; c < 256; ++c) {
            blank[c] = c == ' ' || c == '\t' || c == '\r';
            plain[c] = !(blank[c] || c == '\n' || c == ';' || c == '{' || c == '}' || c == '"' ||
                         c == '\'' || c == '\\' || c == '$' || c == '#');
            name[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_';
        }
    }
};
constexpr byte_classes classes{};

bool plain_directive(std::string_view body, comment_shape& shape) {
    const auto* p = reinterpret_cast<const unsigned char*>(body.data());
    const std::size_t n = body.size();
    std::size_t i = 0;
    while (i < n && classes.blank[p[i]]) ++i;
    const std::size_t name_at = i;
    if (i == n || (p[i] >= '0' && p[i] <= '9')) return false;
    while (i < n && classes.name[p[i]]) ++i;
    if (i == name_at || (i < n && !classes.blank[p[i]] && p[i] != ';')) return false;
    for (;;) {
        const std::size_t gap = i;
        while (i < n && classes.blank[p[i]]) ++i;
        if (i < n && p[i] == ';') break;
        if (i == gap || i == n || !classes.plain[p[i]]) return false;
        while (i < n && classes.plain[p[i]]) ++i;
    }
    for (++i; i < n; ++i) {
        if (!classes.blank[p[i]]) return false;
    }
    shape.what = comment_shape::kind::directive;
    return true;
}

}  // namespace

comment_shape classify_comment_body(std::string_view body) {
    comment_shape shape;
    if (!body.empty() && body[0] == '#') return shape;
    if (surely_prose(body)) return shape;
    if (plain_directive(body, shape)) return shape;
    collect c;
    if (lex(body, c).what != lex_failure::kind::none || c.stop) return shape;
    std::size_t i = 0;
    const auto& ts = c;
    if (i < ts.size() && ts[i].kind == tok::blank) {
        ++i;
    }
    if (i >= ts.size()) return shape;
    if (ts[i].kind == tok::rbrace) {
        for (std::size_t j = i + 1; j < ts.size(); ++j) {
            if (ts[j].kind != tok::blank && ts[j].kind != tok::comment) return shape;
        }
        shape.what = comment_shape::kind::closes_block;
        shape.brace_delta = -1;
        return shape;
    }
    if (ts[i].kind != tok::word || !is_name(body.substr(ts[i].begin, ts[i].end - ts[i].begin))) {
        return shape;
    }
    for (++i; i < ts.size(); ++i) {
        const auto k = ts[i].kind;
        if (k == tok::blank || k == tok::word) continue;
        if ((k == tok::dq_string || k == tok::sq_string) && !ts[i].open) continue;
        break;
    }
    if (i >= ts.size()) return shape;
    const auto term = ts[i].kind;
    if (term != tok::semicolon && term != tok::lbrace) return shape;
    int delta = term == tok::lbrace ? 1 : 0;
    for (++i; i < ts.size(); ++i) {
        const auto k = ts[i].kind;
        if (k == tok::blank || k == tok::comment) continue;
        if (term == tok::semicolon) return shape;  // more after ';': not one directive
        if (k == tok::lbrace) ++delta;
        if (k == tok::rbrace) --delta;
    }
    if (term == tok::semicolon) {
        shape.what = comment_shape::kind::directive;
    } else if (delta > 0) {
        shape.what = comment_shape::kind::opens_block;
        shape.brace_delta = delta;
    }
    return shape;
}

}  // namespace ngxconf::detail
