// 3.4: recognising commented-out directives. A comment body (after the '#') is a disabled
// directive when it does not start with another '#' and re-lexes, with the same lexer, as
// exactly `[blanks] name args... ; [blanks][#comment]` with name in [A-Za-z_][A-Za-z0-9_]*.
// A body shaped `name args... {` opens a commented-out block; `}` closes one.
#include <vector>

#include "cst/builder.hpp"
#include "lexer/token.hpp"

namespace ngxconf::detail {
namespace {

struct collect final : token_sink {
    struct t {
        tok kind;
        std::uint32_t begin, end;
        bool open;
    };
    std::vector<t> toks;
    void on_token(tok k, std::uint32_t b, std::uint32_t e, bool o) override {
        toks.push_back({k, b, e, o});
        if (toks.size() > 64) stop = true;  // a long prose line: no need to read it all
    }
};

bool is_name(std::string_view s) {
    if (s.empty()) return false;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!alpha(s[0])) return false;
    for (char c : s.substr(1)) {
        if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
    }
    return true;
}

}  // namespace

comment_shape classify_comment_body(std::string_view body) {
    comment_shape shape;
    if (!body.empty() && body[0] == '#') return shape;
    collect c;
    if (lex(body, c).what != lex_failure::kind::none || c.stop) return shape;
    std::size_t i = 0;
    const auto& ts = c.toks;
    if (i < ts.size() && ts[i].kind == tok::blank) {
        shape.body_indent = ts[i].end;
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
