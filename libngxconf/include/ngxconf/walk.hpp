#pragma once
// One preorder traversal of a block's subtree, in document order, without recursion.
//
// Every tree walker of the library (queries, selectors, JSON, dumps, reformat) is built on
// walk(): the depth of a tree is the caller's to choose (parse_options::max_depth), never the
// call stack's. The walk keeps no memory per level at all: it moves along the sibling and
// parent links of the tree (node::next_sibling(), block::first_child(), node::parent()).
//
// Events:
//   enter  for every node below `scope` (directives enabled or not, comments, blank lines),
//          in document order; `scope` itself is not visited.
//   leave  for every node that has a body (a `{ ... }` block directive, empty ones included;
//          not for *_by_lua_block, whose body is Lua), after its children. A node with a body
//          that was entered always gets its leave, also when enter returned skip_children:
//          enter and leave pair up like `{` and `}`.
// The visitor returns a walk_action (or nothing, which means descend):
//   descend        go on: into the children of the node just entered, if any
//   skip_children  (on enter) do not visit the children; its leave still follows
//   stop           end the walk now (no further events, no pending leaves)
// Depth: the children of `scope` are at depth 1, their children at depth 2, and so on; a
// leave has the depth of its enter.
//
// The visitor may change nodes' bytes (edits such as set_arg), but must not insert or remove
// nodes below `scope` during the walk.
//
// Example: count the directives at each depth, skipping `if` blocks.
//   ngxconf::walk(doc.root(), [&](ngxconf::walk_event e, const ngxconf::node& n, std::size_t depth) {
//       if (e == ngxconf::walk_event::leave || !n.is_directive()) return ngxconf::walk_action::descend;
//       ++count[depth];
//       return n.as_directive().name() == "if" ? ngxconf::walk_action::skip_children
//                                              : ngxconf::walk_action::descend;
//   });
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "ngxconf/node.hpp"

namespace ngxconf {

enum class walk_event : std::uint8_t { enter, leave };
enum class walk_action : std::uint8_t { descend, skip_children, stop };

namespace detail {

// Calls visit(event, node, depth) or visit(event, node); a void visitor always descends.
template <class Visitor, class Node>
walk_action visit_node(Visitor& visit, walk_event e, const Node& n, std::size_t depth) {
    if constexpr (std::is_invocable_v<Visitor&, walk_event, const Node&, std::size_t>) {
        using result = std::invoke_result_t<Visitor&, walk_event, const Node&, std::size_t>;
        if constexpr (std::is_void_v<result>) {
            visit(e, n, depth);
            return walk_action::descend;
        } else {
            return visit(e, n, depth);
        }
    } else {
        static_assert(std::is_invocable_v<Visitor&, walk_event, const Node&>,
                      "a walk visitor takes (walk_event, node[, std::size_t depth])");
        using result = std::invoke_result_t<Visitor&, walk_event, const Node&>;
        if constexpr (std::is_void_v<result>) {
            visit(e, n);
            return walk_action::descend;
        } else {
            return visit(e, n);
        }
    }
}

// The traversal itself, over any tree whose `Links` tell, for a cursor (a node handle, or a
// node's index inside the library): valid(c), has_body(c), first_child(c) (of the body),
// next(c) (the next sibling) and parent(c). `first` is the first child of `scope`.
template <class Links, class Cursor, class Visitor>
void preorder(const Links& links, const Cursor& scope, Cursor first, Visitor& visit) {
    std::size_t depth = 1;
    Cursor n = std::move(first);
    while (links.valid(n)) {
        const walk_action on_enter = visit_node(visit, walk_event::enter, n, depth);
        if (on_enter == walk_action::stop) return;
        if (links.has_body(n)) {
            if (on_enter == walk_action::descend) {
                if (Cursor child = links.first_child(n); links.valid(child)) {
                    n = std::move(child);
                    ++depth;
                    continue;
                }
            }
            if (visit_node(visit, walk_event::leave, n, depth) == walk_action::stop) return;
        }
        // Next in document order: the next sibling, else climb, leaving each finished block.
        for (;;) {
            if (Cursor next = links.next(n); links.valid(next)) {
                n = std::move(next);
                break;
            }
            Cursor up = links.parent(n);
            if (!links.valid(up) || up == scope) return;
            n = std::move(up);
            --depth;
            if (visit_node(visit, walk_event::leave, n, depth) == walk_action::stop) return;
        }
    }
}

// Links over the public handles (node, block).
template <class Node>
struct handle_links {
    static bool valid(const Node& n) { return static_cast<bool>(n); }
    static bool has_body(const Node& n) { return static_cast<bool>(n.as_block()); }
    static Node first_child(const Node& n) { return n.as_block().first_child(); }
    static Node next(const Node& n) { return n.next_sibling(); }
    static Node parent(const Node& n) { return n.parent(); }
};

}  // namespace detail

// Walks the subtree of `scope` (the root or a block directive's body; a null block throws
// usage_error, as block::first_child does). A template on the block type so that it serves
// every handle type with the same navigation (first_child, next_sibling, parent, as_block).
template <class Block, class Visitor>
void walk(const Block& scope, Visitor&& visit) {
    using node_type = std::remove_cvref_t<decltype(scope.first_child())>;
    node_type first = scope.first_child();
    detail::preorder(detail::handle_links<node_type>{}, node_type(scope), std::move(first), visit);
}

}  // namespace ngxconf
