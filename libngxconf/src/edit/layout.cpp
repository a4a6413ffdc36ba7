#include "edit/layout.hpp"

#include "cst/emit.hpp"
#include "cst/style.hpp"

namespace ngxconf::detail {
namespace {
struct last_out {
    int c = no_byte;
    void put(std::string_view v) {
        if (!v.empty()) c = static_cast<unsigned char>(v.back());
    }
};
}  // namespace

int last_byte(const doc_impl& d, std::uint32_t id) {
    last_out out;
    const item& it = d.items[id];
    if ((it.flags & f_block) && !(it.flags & f_lua)) {
        d.write_tail(id, out);
    } else {
        d.write_head(id, out);
    }
    return out.c;
}

int byte_before(const doc_impl& d, std::uint32_t id) {
    for (std::uint32_t cur = id;;) {
        const item& it = d.items[cur];
        for (auto p = it.prev; p != npos32; p = d.items[p].prev) {
            if (const int c = last_byte(d, p); c != no_byte) return c;
        }
        if (it.parent == 0 || it.parent == npos32) return '\n';
        last_out out;
        d.write_head(it.parent, out);
        if (out.c != no_byte) return out.c;
        cur = it.parent;
    }
}

bool starts_line(const doc_impl& d, std::uint32_t id) { return byte_before(d, id) == '\n'; }

std::string effective_indent(const doc_impl& d, std::uint32_t id) {
    const item& it = d.items[id];
    if (it.kind == node_kind::directive) return d.view(id).indent;
    return std::string(line_indent(d, id));
}

std::string indent_for_new(const doc_impl& d, std::uint32_t parent, std::uint32_t prev,
                           std::uint32_t next) {
    auto usable = [&](std::uint32_t id) {
        const item& it = d.items[id];
        return it.kind != node_kind::blank && starts_line(d, id);
    };
    for (auto p = prev; p != npos32; p = d.items[p].prev) {
        if (usable(p)) return effective_indent(d, p);
    }
    for (auto n = next; n != npos32; n = d.items[n].next) {
        if (usable(n)) return effective_indent(d, n);
    }
    if (parent == 0) return {};
    const auto& style = d.owner ? d.owner->style() : text_style{};
    return effective_indent(d, parent) + style.indent_unit;
}

}  // namespace ngxconf::detail
