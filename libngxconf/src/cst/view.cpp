// The tokens of one directive, found by re-lexing its bytes on demand (rowan-style: the
// tree stores node extents, a cursor computes the rest when asked). One view is cached.
#include <vector>

#include "cst/doc_impl.hpp"
#include "lexer/lex.hpp"

namespace ngxconf::detail {
namespace {

struct collect : token_sink {
    struct t {
        tok kind;
        std::uint32_t begin, end;
    };
    std::vector<t> toks;
    bool lua = false;
    void on_token(tok k, std::uint32_t b, std::uint32_t e, bool) {
        toks.push_back({k, b, e});
        if (k == tok::lbrace && lua && !lua_pending) {
            lua_pending = true;
            lua = false;
        }
    }
};

bool is_trivia(tok k) { return k == tok::blank || k == tok::newline || k == tok::comment; }

}  // namespace

const directive_view& doc_impl::view(std::uint32_t id) const {
    if (cached_view_id == id) return cached_view;
    directive_view& v = cached_view;
    // Reuse the vectors' capacity: views are rebuilt for every directive a query visits.
    v.indent.clear();
    v.args.clear();
    v.name = v.term_before = v.term = v.trailing = v.lua = v.close_before = v.close_trailing = {};
    v.name_offset = npos32;
    cached_view_id = npos32;
    const item& it = items[id];
    if (it.flags & f_owned) {
        const parts& p = parts_of(id);
        v.indent = p.indent;
        v.name = p.name;
        for (const auto& a : p.args) v.args.push_back({a.before, a.raw});
        v.term_before = p.term_before;
        v.term = p.term;
        v.trailing = p.trailing;
        v.lua = p.lua;
        v.close_before = p.close_before;
        v.close_trailing = p.close_trailing;
        v.name_offset = p.name_offset;
        cached_view_id = id;
        return v;
    }
    const std::string_view src(source);
    // A disabled directive is lexed from after its '#'; the blanks on both sides of the
    // '#' make up its indentation.
    std::uint32_t from = it.begin;
    if (it.flags & f_src_disabled) {
        v.indent.assign(src.substr(it.begin, it.marker));
        from = it.begin + it.marker + 1u;
    }
    collect c;
    c.lua = (it.flags & f_lua) != 0;
    const auto text = src.substr(from, it.end - from);
    (void)lex(text, c);
    auto sv = [&](std::uint32_t b, std::uint32_t e) { return text.substr(b, e - b); };
    std::size_t i = 0;
    const auto& ts = c.toks;
    if (i < ts.size() && ts[i].kind == tok::blank) {
        v.indent.append(sv(ts[i].begin, ts[i].end));
        ++i;
    }
    if (i < ts.size()) {
        v.name = sv(ts[i].begin, ts[i].end);
        v.name_offset = from + ts[i].begin;
        ++i;
    }
    std::uint32_t trivia_from = i < ts.size() ? ts[i].begin : static_cast<std::uint32_t>(text.size());
    for (; i < ts.size(); ++i) {
        const auto k = ts[i].kind;
        if (is_trivia(k)) continue;
        if (k == tok::semicolon || k == tok::lbrace) break;
        v.args.push_back({sv(trivia_from, ts[i].begin), sv(ts[i].begin, ts[i].end)});
        trivia_from = ts[i].end;
    }
    if (i < ts.size()) {
        v.term_before = sv(trivia_from, ts[i].begin);
        v.term = sv(ts[i].begin, ts[i].end);
        const auto after = ts[i].end;
        if (it.flags & f_lua) {
            // `{` lua_body? `}` trailing
            std::uint32_t lua_end = after;
            std::size_t j = i + 1;
            if (j < ts.size() && ts[j].kind == tok::lua_body) {
                v.lua = sv(ts[j].begin, ts[j].end);
                lua_end = ts[j].end;
            }
            v.close_trailing = text.substr(lua_end + 1);
        } else {
            v.trailing = text.substr(after);
        }
    }
    if ((it.flags & f_block) && !(it.flags & f_lua)) {
        const auto& bl = links(id);
        const auto tail = src.substr(bl.tail_begin, bl.tail_end - bl.tail_begin);
        const auto brace = tail.find('}');
        v.close_before = tail.substr(0, brace);
        v.close_trailing = tail.substr(brace + 1);
    }
    cached_view_id = id;
    return v;
}

}  // namespace ngxconf::detail
