#pragma once
// walk() for the library's own walkers (dump, pieces, reformat): the same traversal
// (ngxconf/walk.hpp) over node indexes, reading the records directly instead of through
// handles, so that a visitor that works on records pays no handle call per node.
#include <ngxconf/walk.hpp>

#include "cst/doc_impl.hpp"

namespace ngxconf::detail {

struct id_links {
    const doc_impl& d;
    static bool valid(std::uint32_t id) { return id != npos32; }
    [[nodiscard]] bool has_body(std::uint32_t id) const {
        const auto f = d.items[id].flags;
        return (f & f_block) && !(f & f_lua);
    }
    [[nodiscard]] std::uint32_t first_child(std::uint32_t id) const { return d.first_child(id); }
    [[nodiscard]] std::uint32_t next(std::uint32_t id) const { return d.items[id].next; }
    [[nodiscard]] std::uint32_t parent(std::uint32_t id) const { return d.items[id].parent; }
};

// Calls visit(walk_event, std::uint32_t id[, std::size_t depth]) below the node `scope`
// (0 for the root), as walk() does with handles.
template <class Visitor>
void walk_ids(const doc_impl& d, std::uint32_t scope, Visitor&& visit) {
    preorder(id_links{d}, scope, d.first_child(scope), visit);
}

}  // namespace ngxconf::detail
