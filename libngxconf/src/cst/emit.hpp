#pragma once
// Writing a node's bytes: from its source span while untouched, from its parts once edited.
// `Out` has put(std::string_view); print/ coalesces adjacent source spans into one write.
#include "cst/doc_impl.hpp"

namespace ngxconf::detail {

template <class Out>
void put_indent(Out& out, std::string_view indent, bool disabled, std::size_t marker) {
    if (!disabled) {
        out.put(indent);
        return;
    }
    marker = std::min(marker, indent.size());
    out.put(indent.substr(0, marker));
    out.put("#");
    out.put(indent.substr(marker));
}

template <class Out>
void doc_impl::write_head(std::uint32_t id, Out& out) const {
    const item& it = items[id];
    const bool disabled = (it.flags & f_disabled) != 0;
    if (it.flags & f_owned) {
        const parts& p = parts_of(id);
        if (it.kind != node_kind::directive) {
            out.put(p.name);
            return;
        }
        put_indent(out, p.indent, disabled, it.marker);
        out.put(p.name);
        for (const auto& a : p.args) {
            out.put(a.before);
            out.put(a.raw);
        }
        out.put(p.term_before);
        out.put(p.term);
        if (it.flags & f_lua) {
            out.put(p.lua);
            out.put("}");
            out.put(p.close_trailing);
        } else {
            out.put(p.trailing);
        }
        return;
    }
    const std::string_view src(source);
    const bool src_disabled = (it.flags & f_src_disabled) != 0;
    if (disabled == src_disabled) {
        out.put(src.substr(it.begin, it.end - it.begin));
    } else if (src_disabled) {  // enabled since: drop the one '#'
        out.put(src.substr(it.begin, it.marker));
        out.put(src.substr(it.begin + it.marker + 1u, it.end - it.begin - it.marker - 1u));
    } else {  // disabled since: insert one '#'
        out.put(src.substr(it.begin, it.marker));
        out.put("#");
        out.put(src.substr(it.begin + it.marker, it.end - it.begin - it.marker));
    }
}

template <class Out>
void doc_impl::write_tail(std::uint32_t id, Out& out) const {
    const item& it = items[id];
    if (!(it.flags & f_block) || (it.flags & f_lua)) return;
    if (it.flags & f_owned) {
        const parts& p = parts_of(id);
        out.put(p.close_before);
        out.put("}");
        out.put(p.close_trailing);
        return;
    }
    const auto& bl = links(id);
    out.put(std::string_view(source).substr(bl.tail_begin, bl.tail_end - bl.tail_begin));
}

// Depth-first over the sibling and parent links, without recursion: the depth of a tree is
// the caller's to choose (parse_options::max_depth), never the stack's.
// A subtree nothing has touched is one span of the source: printing an unedited document
// is one put(), and an edited one costs a walk along the edited paths only.
template <class Out>
void doc_impl::write_node(std::uint32_t top, Out& out) const {
    if (!(items[top].flags & (f_dirty | f_owned))) {
        out.put(source_span(top));
        return;
    }
    if (top != 0) write_head(top, out);
    std::uint32_t n = first_child(top);
    while (n != npos32) {
        if (!(items[n].flags & (f_dirty | f_owned))) {
            out.put(source_span(n));
        } else {
            write_head(n, out);
            if (const auto child = first_child(n); child != npos32) {
                n = child;
                continue;
            }
            write_tail(n, out);
        }
        while (items[n].next == npos32) {
            n = items[n].parent;
            if (n == top) {
                n = npos32;
                break;
            }
            write_tail(n, out);
        }
        if (n != npos32) n = items[n].next;
    }
    if (top != 0) write_tail(top, out);
}

// Collects into a std::string.
struct string_out {
    std::string& s;
    void put(std::string_view v) { s.append(v); }
};

}  // namespace ngxconf::detail
