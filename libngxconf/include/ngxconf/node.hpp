#pragma once
// Handles onto the nodes of a document's concrete syntax tree.
//
// A handle is two words (document, index), cheap to copy and compare. It stays valid as long
// as its document lives, through any edit; a removed node answers `removed() == true`.
// A default-constructed handle is null: `explicit operator bool` is false.
//
// Byte ownership (tested one rule per test case in tests/ownership_test.cpp):
//  R1  After a terminator (`;`, `{` or the `}` of a block) the node owns its *trailing*:
//      [blanks][#comment][LF] up to and including the first LF. If another token follows on
//      the same line, the trailing holds only the blanks.
//  R2  Blanks at the start of a line belong to the node that starts on that line (its indent).
//      A node that does not start a line has an empty indent.
//  R3  A line holding only [blanks]#... is a comment node (or a disabled directive, 3.4).
//  R4  A line holding only [blanks] is a blank node; removing a neighbour never takes it.
//  R5  Inside a directive every argument owns the trivia before it: blanks, LFs, comments.
//  R6  A block's `}` line: the blanks before `}` are the block's close indent; `{` obeys R1.
//  R7  The end of input ends a line: a last line without LF is still a node of its own.
//  R8  Every token keeps its raw bytes (quotes, escapes); values are decoded on request.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/export.hpp"
#include "ngxconf/fwd.hpp"
#include "ngxconf/source.hpp"

namespace ngxconf {

enum class node_kind : std::uint8_t { root, directive, comment, blank };
enum class quote_style : std::uint8_t { none, single, dbl };

class NGXCONF_API node {
public:
    node() = default;

    explicit operator bool() const noexcept { return doc_ != nullptr; }
    friend bool operator==(const node& a, const node& b) noexcept {
        return a.doc_ == b.doc_ && a.id_ == b.id_;
    }

    [[nodiscard]] node_kind kind() const;
    [[nodiscard]] bool is_directive() const { return doc_ && kind() == node_kind::directive; }
    [[nodiscard]] bool is_comment() const { return doc_ && kind() == node_kind::comment; }
    [[nodiscard]] bool is_blank() const { return doc_ && kind() == node_kind::blank; }

    // Checked casts: a null handle when the node is of another kind.
    [[nodiscard]] directive as_directive() const;
    [[nodiscard]] comment as_comment() const;
    // The root, or the body of a block directive; null otherwise.
    [[nodiscard]] block as_block() const;

    // The enclosing block (the root for top-level nodes; null for the root itself).
    [[nodiscard]] block parent() const;
    [[nodiscard]] node next_sibling() const;
    [[nodiscard]] node prev_sibling() const;
    // Whether remove() took this node out of its document.
    [[nodiscard]] bool removed() const;
    // Whether an edit changed this node's own bytes (its children do not count).
    [[nodiscard]] bool edited() const;

    // Where the node's first byte was in the source (its indentation included); unknown
    // (`line == 0`) for nodes created by edits.
    [[nodiscard]] source_position position() const;
    // File, first and last position of the node's bytes in the source (a block through its
    // `}` line); positions unknown for created nodes.
    [[nodiscard]] source_region region() const;
    // The node's bytes as printed now: indentation, tokens, trailing, children for blocks.
    [[nodiscard]] std::string text() const;

    [[nodiscard]] document& owner() const;
    [[nodiscard]] std::uint32_t id() const noexcept { return id_; }

protected:
    node(detail::doc_impl* doc, std::uint32_t id) noexcept : doc_(doc), id_(id) {}
    friend struct detail::doc_impl;
    friend class block;

    detail::doc_impl* doc_ = nullptr;
    std::uint32_t id_ = 0;
};

// A node with children: the document root, or the `{ ... }` body of a block directive
// (the same node as the directive, seen as a container).
class NGXCONF_API block : public node {
public:
    class iterator {
    public:
        using value_type = node;
        using difference_type = std::ptrdiff_t;
        using iterator_category = std::forward_iterator_tag;
        using pointer = void;
        using reference = node;
        iterator() = default;
        node operator*() const { return cur_; }
        iterator& operator++() {
            cur_ = cur_.next_sibling();
            return *this;
        }
        iterator operator++(int) {
            auto t = *this;
            ++*this;
            return t;
        }
        friend bool operator==(const iterator& a, const iterator& b) { return a.cur_ == b.cur_; }

    private:
        friend class block;
        explicit iterator(node n) : cur_(n) {}
        node cur_;
    };

    block() = default;
    [[nodiscard]] iterator begin() const { return iterator(first_child()); }
    [[nodiscard]] iterator end() const { return iterator(); }
    [[nodiscard]] node first_child() const;
    [[nodiscard]] node last_child() const;
    [[nodiscard]] bool empty() const { return !first_child(); }
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] bool is_root() const;
    // The block directive that owns this body; null for the root.
    [[nodiscard]] directive owner_directive() const;

private:
    friend class node;
    friend struct detail::doc_impl;
    using node::node;
};

// A directive: `name args... ;` or `name args... { ... }`, enabled or commented out.
//
// Example:
//   auto d = ngxconf::find_first(doc.root(), "proxy_pass", {.recursive = true});
//   d.name();       // "proxy_pass"
//   d.arg(0);       // "http://$upstream_authentik:9000" (decoded)
//   d.raw_arg(0);   // the exact source bytes, quotes included
class NGXCONF_API directive : public node {
public:
    directive() = default;

    [[nodiscard]] std::string_view name() const;
    [[nodiscard]] std::size_t arg_count() const;
    // The argument as nginx sees it: quotes removed, escapes decoded (nginx's rules).
    [[nodiscard]] std::string arg(std::size_t i) const;
    [[nodiscard]] std::vector<std::string> args() const;
    // The exact bytes of the argument, quotes and escapes included.
    [[nodiscard]] std::string_view raw_arg(std::size_t i) const;
    [[nodiscard]] quote_style quote(std::size_t i) const;

    // False for a commented-out directive such as `    #include /config/x.conf;`.
    [[nodiscard]] bool enabled() const;
    // True for disabled directives inside a commented-out block (`#server { ... #}`):
    // they are shown but may not be toggled alone.
    [[nodiscard]] bool in_commented_block() const;

    // `{ ... }` directives (the *_by_lua_block ones included).
    [[nodiscard]] bool has_block() const;
    // The children container; null unless the directive has a parsed `{ ... }` body.
    [[nodiscard]] block body() const;
    // OpenResty `*_by_lua_block { ... }`: the Lua source between the braces, verbatim.
    [[nodiscard]] bool is_lua_block() const;
    [[nodiscard]] std::string_view lua_code() const;

    // The blanks before the name (the '#' of a disabled directive removed).
    [[nodiscard]] std::string indent() const;
    // Position of the name's first byte (crossplane's "line").
    [[nodiscard]] source_position name_position() const;

private:
    friend class node;
    friend struct detail::doc_impl;
    using node::node;
};

// A whole-line comment that is not a disabled directive (prose, `## Version ...`).
class NGXCONF_API comment : public node {
public:
    comment() = default;
    // From the '#' to the end of the line, without the line end.
    [[nodiscard]] std::string_view text() const;
    // True for comment lines within a commented-out block (`#server {` ... `#}`).
    [[nodiscard]] bool in_commented_block() const;

private:
    friend class node;
    friend struct detail::doc_impl;
    using node::node;
};

}  // namespace ngxconf
