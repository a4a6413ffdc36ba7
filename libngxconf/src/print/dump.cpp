// dump_tree: a readable listing of the tree (rust-analyzer style) for golden tests.
#include <ngxconf/dump.hpp>

#include "cst/doc_impl.hpp"
#include "cst/emit.hpp"
#include "print/json_quote.hpp"

namespace ngxconf {
namespace {

void span(std::string& out, const detail::item& it, bool tail) {
    if (it.flags & detail::f_owned) {
        out += "@new";
        return;
    }
    const auto b = tail ? it.tail_begin : it.begin;
    const auto e = tail ? it.tail_end : it.end;
    out += '@' + std::to_string(b) + ".." + std::to_string(e);
}

void dump(std::string& out, const detail::doc_impl& d, std::uint32_t id, int depth) {
    const detail::item& it = d.items[id];
    const std::string pad(depth > 0 ? static_cast<std::size_t>(depth) * 2 : 0, ' ');
    if (id != 0) {
        out += pad;
        std::string head;
        detail::string_out so{head};
        d.write_head(id, so);
        switch (it.kind) {
            case node_kind::blank: out += "blank"; break;
            case node_kind::comment: out += "comment"; break;
            default: out += "directive"; break;
        }
        span(out, it, false);
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
    for (auto c = it.first; c != detail::npos32; c = d.items[c].next) dump(out, d, c, depth + 1);
    if (id != 0 && (it.flags & detail::f_block) && !(it.flags & detail::f_lua)) {
        std::string tail;
        detail::string_out so{tail};
        d.write_tail(id, so);
        out += pad + "close";
        span(out, it, true);
        out += ' ';
        detail::append_json_string(out, tail);
        out += '\n';
    }
}

}  // namespace

std::string dump_tree(const document& doc) {
    std::string out;
    dump(out, doc.impl(), 0, -1);
    return out;
}

}  // namespace ngxconf
