// dump_tree: a readable listing of the tree (rust-analyzer style) for golden tests.
#include <ngxconf/dump.hpp>

#include "cst/doc_impl.hpp"
#include "cst/emit.hpp"
#include "cst/id_walk.hpp"
#include "print/json_quote.hpp"

namespace ngxconf {
namespace {

void span(std::string& out, const detail::doc_impl& d, std::uint32_t id, bool tail) {
    const detail::item& it = d.items[id];
    if (it.flags & detail::f_owned) {
        out += "@new";
        return;
    }
    const auto b = tail ? d.links(id).tail_begin : it.begin;
    const auto e = tail ? d.links(id).tail_end : it.end;
    out += '@' + std::to_string(b) + ".." + std::to_string(e);
}

void dump_head(std::string& out, const detail::doc_impl& d, std::uint32_t id, std::size_t depth) {
    const detail::item& it = d.items[id];
    out.append(depth * 2, ' ');
    std::string head;
    detail::string_out so{head};
    d.write_head(id, so);
    switch (it.kind) {
        case node_kind::blank: out += "blank"; break;
        case node_kind::comment: out += "comment"; break;
        case node_kind::error: out += "error"; break;
        default: out += "directive"; break;
    }
    span(out, d, id, false);
    if (it.kind == node_kind::directive) {
        const auto& v = d.view(id);
        out += ' ';
        detail::append_json_string(out, v.name);
        out += " [";
        for (std::size_t i = 0; i < v.args.size(); ++i) {
            if (i) out += ',';
            detail::append_json_string(out, v.args[i].raw);
        }
        out += ']';
        if (it.flags & detail::f_disabled) out += " disabled";
        if (it.flags & detail::f_lua) out += " lua";
    }
    if (it.flags & detail::f_in_region) out += " in-commented-block";
    if (it.flags & detail::f_opens_region) out += " opens-commented-block";
    out += ' ';
    detail::append_json_string(out, head);
    out += '\n';
}

// The `}` line of a block directive.
void dump_close(std::string& out, const detail::doc_impl& d, std::uint32_t id, std::size_t depth) {
    std::string tail;
    detail::string_out so{tail};
    d.write_tail(id, so);
    out.append(depth * 2, ' ');
    out += "close";
    span(out, d, id, true);
    out += ' ';
    detail::append_json_string(out, tail);
    out += '\n';
}

}  // namespace

std::string dump_tree(const document& doc) {
    std::string out;
    const detail::doc_impl& d = detail::doc_access::of(doc);
    // The root's children are at depth 1 of the walk and unindented in the dump.
    detail::walk_ids(d, 0, [&](walk_event e, std::uint32_t id, std::size_t depth) {
        if (e == walk_event::enter) {
            dump_head(out, d, id, depth - 1);
        } else {
            dump_close(out, d, id, depth - 1);
        }
    });
    return out;
}

}  // namespace ngxconf

namespace ngxconf {
namespace {

struct piece_walker {
    const detail::doc_impl& d;
    std::vector<piece>& out;

    std::uint64_t offset_of(std::string_view v) const {
        const char* b = d.source.data();
        if (v.data() >= b && v.data() <= b + d.source.size()) {
            return static_cast<std::uint64_t>(v.data() - b);
        }
        return piece::npos;
    }
    void add(piece::kind k, std::string_view v) {
        if (!v.empty()) out.push_back({k, v, offset_of(v)});
    }

    void head(std::uint32_t id) {
        const detail::item& it = d.items[id];
        const std::string_view src(d.source);
        if (it.kind != node_kind::directive) {
            const auto k = it.kind == node_kind::blank     ? piece::kind::blank_line
                           : it.kind == node_kind::comment ? piece::kind::comment_line
                                                           : piece::kind::error_bytes;
            if (it.flags & detail::f_owned) {
                add(k, d.parts_of(id).name);
            } else {
                add(k, src.substr(it.begin, it.end - it.begin));
            }
            return;
        }
        const auto& v = d.view(id);
        const bool disabled = (it.flags & detail::f_disabled) != 0;
        if (it.flags & detail::f_owned) {
            const std::string_view indent = d.parts_of(id).indent;
            const auto m = std::min<std::size_t>(it.marker, indent.size());
            add(piece::kind::indent, disabled ? indent.substr(0, m) : indent);
            if (disabled) {
                add(piece::kind::marker, "#");
                add(piece::kind::indent, indent.substr(m));
            }
        } else {
            const std::uint32_t name_at = static_cast<std::uint32_t>(offset_of(v.name));
            const std::uint32_t m = it.begin + it.marker;
            if (it.flags & detail::f_src_disabled) {
                add(piece::kind::indent, src.substr(it.begin, it.marker));
                if (disabled) add(piece::kind::marker, src.substr(m, 1));
                add(piece::kind::indent, src.substr(m + 1, name_at - m - 1));
            } else if (disabled) {
                add(piece::kind::indent, src.substr(it.begin, it.marker));
                add(piece::kind::marker, "#");
                add(piece::kind::indent, src.substr(m, name_at - m));
            } else {
                add(piece::kind::indent, src.substr(it.begin, name_at - it.begin));
            }
        }
        add(piece::kind::name, v.name);
        for (const auto& a : v.args) {
            add(piece::kind::arg_trivia, a.before);
            add(piece::kind::arg, a.raw);
        }
        add(piece::kind::term_trivia, v.term_before);
        add(piece::kind::terminator, v.term);
        if (it.flags & detail::f_lua) {
            add(piece::kind::lua_code, v.lua);
            if (it.flags & detail::f_owned) {
                add(piece::kind::close_brace, "}");
            } else {  // in the source the '}' follows the Lua code directly
                const auto at = offset_of(v.term) + v.term.size() + v.lua.size();
                add(piece::kind::close_brace, std::string_view(d.source).substr(at, 1));
            }
            add(piece::kind::close_trailing, v.close_trailing);
        } else {
            add(piece::kind::trailing, v.trailing);
        }
    }

    void tail(std::uint32_t id) {
        const detail::item& it = d.items[id];
        if (!(it.flags & detail::f_block) || (it.flags & detail::f_lua)) return;
        const auto& v = d.view(id);
        add(piece::kind::close_indent, v.close_before);
        if (it.flags & detail::f_owned) {
            add(piece::kind::close_brace, "}");
        } else {
            add(piece::kind::close_brace,
                std::string_view(d.source).substr(d.links(id).tail_begin + v.close_before.size(), 1));
        }
        add(piece::kind::close_trailing, v.close_trailing);
    }
};

}  // namespace

std::vector<piece> pieces(const document& doc) {
    std::vector<piece> out;
    piece_walker w{detail::doc_access::of(doc), out};
    detail::walk_ids(detail::doc_access::of(doc), 0, [&](walk_event e, std::uint32_t id) {
        if (e == walk_event::enter) {
            w.head(id);
        } else {
            w.tail(id);
        }
    });
    return out;
}

}  // namespace ngxconf
