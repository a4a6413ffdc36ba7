// The tokens of one directive, found by re-lexing its bytes on demand (rowan-style: the
// tree stores node extents, a cursor computes the rest when asked). One view is cached.
#include "cst/doc_impl.hpp"
#include "lexer/lex.hpp"

namespace ngxconf::detail {
namespace {

bool is_trivia(tok k) { return k == tok::blank || k == tok::newline || k == tok::comment; }

// Fills a view straight from the token stream (no token list: a directive with millions of
// arguments costs its arguments, not its tokens as well).
struct view_builder : token_sink {
    directive_view& v;
    std::string_view text;
    std::uint32_t from;        // offset of text in the source, for name_offset
    bool lua;                  // a *_by_lua_block: its `{` starts Lua code
    enum class at : std::uint8_t { start, name, args, after_term } where = at::start;
    std::uint32_t trivia_from = 0;
    std::uint32_t term_end = 0;
    std::uint32_t lua_end = 0;  // end of the Lua code (the term's end when there is none)

    view_builder(directive_view& view, std::string_view t, std::uint32_t f, bool is_lua)
        : v(view), text(t), from(f), lua(is_lua) {}

    std::string_view sv(std::uint32_t b, std::uint32_t e) const { return text.substr(b, e - b); }

    void on_token(tok k, std::uint32_t b, std::uint32_t e, bool) {
        switch (where) {
            case at::start:
                where = at::name;
                if (k == tok::blank) {
                    v.indent.append(sv(b, e));
                    return;
                }
                [[fallthrough]];
            case at::name:
                v.name = sv(b, e);
                v.name_offset = from + b;
                trivia_from = e;
                where = at::args;
                return;
            case at::args:
                if (is_trivia(k)) return;
                if (k == tok::semicolon || k == tok::lbrace) {
                    v.term_before = sv(trivia_from, b);
                    v.term = sv(b, e);
                    term_end = lua_end = e;
                    where = at::after_term;
                    if (k == tok::lbrace && lua) lua_pending = true;
                    return;
                }
                v.args.push_back({sv(trivia_from, b), sv(b, e)});
                trivia_from = e;
                return;
            case at::after_term:
                if (k == tok::lua_body && lua && v.lua.empty()) {
                    v.lua = sv(b, e);
                    lua_end = e;
                }
                return;
        }
    }

    void finish() {
        if (where != at::after_term) return;
        if (lua) {
            v.close_trailing = text.substr(lua_end + 1);
        } else {
            v.trailing = text.substr(term_end);
        }
    }
};

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
    const auto text = src.substr(from, it.end - from);
    view_builder b(v, text, from, (it.flags & f_lua) != 0);
    (void)lex(text, b);
    b.finish();
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
