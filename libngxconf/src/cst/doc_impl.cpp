// Tree links, lazy positions and owned text of a document's nodes.
#include "cst/doc_impl.hpp"

#include <algorithm>
#include <cstring>

#include "cst/emit.hpp"

namespace ngxconf::detail {

doc_impl::doc_impl() {
    item root;
    root.kind = node_kind::root;
    root.extra = 0;
    items.push(root);
    blocks.emplace_back();
}

source_position doc_impl::position_of(std::uint64_t byte) const {
    if (line_starts.empty()) {
        line_starts.push_back(0);
        const char* p = source.data();
        const char* end = p + source.size();
        while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))))) {
            ++p;
            line_starts.push_back(static_cast<std::uint32_t>(p - source.data()));
        }
    }
    const auto it = std::upper_bound(line_starts.begin(), line_starts.end(), byte);
    const auto line = static_cast<std::uint32_t>(it - line_starts.begin());
    const auto col = static_cast<std::uint32_t>(byte - line_starts[line - 1] + 1);
    return {line, col, byte};
}

source_region doc_impl::region_of(std::string_view v) const {
    source_region r;
    r.file = name;
    if (const auto off = offset_in_source(v); off != npos32) {
        r.begin = position_of(off);
        r.end = position_of(off + v.size());
    }
    return r;
}

void doc_impl::touch(std::uint32_t id) {
    // Dirty nodes have dirty ancestors, so the walk stops at the first one already marked.
    for (auto n = id; n != npos32 && !(items[n].flags & f_dirty); n = items[n].parent) {
        items[n].flags |= f_dirty;
    }
}

std::string_view doc_impl::source_span(std::uint32_t id) const {
    if (id == 0) return source;
    const item& it = items[id];
    const auto end = (it.flags & f_block) && !(it.flags & f_lua) ? links(id).tail_end : it.end;
    return source.substr(it.begin, end - it.begin);
}

void doc_impl::append_child(std::uint32_t parent, std::uint32_t child) {
    touch(parent);
    block_links& p = links(parent);
    item& c = items[child];
    c.parent = parent;
    c.prev = p.last;
    c.next = npos32;
    if (p.last != npos32) {
        items[p.last].next = child;
    } else {
        p.first = child;
    }
    p.last = child;
}

void doc_impl::insert_before(std::uint32_t sibling, std::uint32_t child) {
    touch(items[sibling].parent);
    item& s = items[sibling];
    item& c = items[child];
    c.parent = s.parent;
    c.next = sibling;
    c.prev = s.prev;
    if (s.prev != npos32) {
        items[s.prev].next = child;
    } else {
        links(s.parent).first = child;
    }
    s.prev = child;
}

void doc_impl::insert_after(std::uint32_t sibling, std::uint32_t child) {
    const auto next = items[sibling].next;
    if (next != npos32) {
        insert_before(next, child);
    } else {
        append_child(items[sibling].parent, child);
    }
}

void doc_impl::unlink(std::uint32_t id) {
    touch(items[id].parent);
    item& c = items[id];
    if (c.prev != npos32) {
        items[c.prev].next = c.next;
    } else if (c.parent != npos32) {
        links(c.parent).first = c.next;
    }
    if (c.next != npos32) {
        items[c.next].prev = c.prev;
    } else if (c.parent != npos32) {
        links(c.parent).last = c.prev;
    }
    c.prev = c.next = npos32;
}

parts& doc_impl::own(std::uint32_t id) {
    touch(id);
    item& it = items[id];
    invalidate_view(id);  // the caller is about to change the parts the view points into
    if (it.flags & f_owned) return parts_of(id);
    auto p = std::make_unique<parts>();
    if (it.kind == node_kind::directive) {
        const directive_view& v = view(id);
        p->indent = v.indent;
        p->name = v.name;
        p->args.reserve(v.args.size());
        for (const auto& a : v.args) p->args.push_back({std::string(a.before), std::string(a.raw)});
        p->term_before = v.term_before;
        p->term = v.term;
        p->trailing = v.trailing;
        p->lua = v.lua;
        p->close_before = v.close_before;
        p->close_trailing = v.close_trailing;
        p->name_offset = v.name_offset;
    } else {
        string_out out{p->name};
        write_head(id, out);
    }
    const auto index = static_cast<std::uint32_t>(owned.size());
    owned.push_back(std::move(p));
    links(id).parts = index;
    items[id].flags |= f_owned;
    invalidate_view(id);
    return *owned[index];
}

}  // namespace ngxconf::detail
