#pragma once
// Handles onto the nodes of a document's concrete syntax tree.
//
// A handle is two words (document, index), cheap to copy and compare. A default-constructed
// handle is null: `explicit operator bool` is false.
//
// Two families, like iterator and const_iterator: `node`, `block`, `directive`, `comment` come
// from a mutable document and may be given to the edit functions; `const_node`, `const_block`,
// `const_directive`, `const_comment` come from a `const document&` and only read. A mutable
// handle converts to its const one, never the reverse, so editing through a `const document&`
// does not compile (tests/compile_fail checks it).
//
// Validity: a handle stays valid as long as its document lives, through any edit of that
// document (ids are stable); a removed node answers `removed() == true`. Moving a document
// moves its tree with it: handles follow (they point at the tree, not at the `document`
// object). workspace::replace() retires the replaced tree: its handles still read the old
// nodes, but editing through them throws usage_error.
//
// Threads: a document (and every handle into it) is NOT safe to use from several threads at
// once, not even for reads only: reads fill per-document caches (the last directive's tokens,
// the line index, the detected style). Use one document per thread, or a lock around it.
// Different documents share nothing and may be used from different threads.
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
//      The name is read like a value: name() is nginx's reading of the first word,
//      raw_name() its bytes (both spellings print unchanged).
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <type_traits>
#include <string_view>
#include <vector>

#include "ngxconf/export.hpp"
#include "ngxconf/fwd.hpp"
#include "ngxconf/source.hpp"

namespace ngxconf {


template <bool Mutable> class basic_node;
template <bool Mutable> class basic_block;
template <bool Mutable> class basic_directive;
template <bool Mutable> class basic_comment;

namespace detail {
template <bool Mutable>
using doc_ptr = std::conditional_t<Mutable, doc_impl*, const doc_impl*>;
template <bool Mutable>
using document_ref = std::conditional_t<Mutable, document&, const document&>;
}  // namespace detail

template <bool Mutable>
class NGXCONF_API basic_node {
public:
    basic_node() = default;
    // node -> const_node (never the reverse).
    template <bool M = Mutable, class = std::enable_if_t<!M>>
    basic_node(const basic_node<true>& other) noexcept : doc_(other.doc_), id_(other.id_) {}

    explicit operator bool() const noexcept { return doc_ != nullptr; }
    friend bool operator==(const basic_node& a, const basic_node& b) noexcept {
        return a.doc_ == b.doc_ && a.id_ == b.id_;
    }

    [[nodiscard]] node_kind kind() const;
    [[nodiscard]] bool is_directive() const { return doc_ && kind() == node_kind::directive; }
    [[nodiscard]] bool is_comment() const { return doc_ && kind() == node_kind::comment; }
    [[nodiscard]] bool is_blank() const { return doc_ && kind() == node_kind::blank; }
    // Bytes a recovering parse could not read (parse_recovering); text() gives them.
    [[nodiscard]] bool is_error() const { return doc_ && kind() == node_kind::error; }

    // Checked casts: a null handle when the node is of another kind.
    [[nodiscard]] basic_directive<Mutable> as_directive() const;
    [[nodiscard]] basic_comment<Mutable> as_comment() const;
    // The root, or the body of a block directive; null otherwise.
    [[nodiscard]] basic_block<Mutable> as_block() const;

    // The enclosing block (the root for top-level nodes; null for the root itself).
    [[nodiscard]] basic_block<Mutable> parent() const;
    [[nodiscard]] basic_node next_sibling() const;
    [[nodiscard]] basic_node prev_sibling() const;
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

    [[nodiscard]] detail::document_ref<Mutable> owner() const;
    [[nodiscard]] std::uint32_t id() const noexcept { return id_; }

protected:
    basic_node(detail::doc_ptr<Mutable> doc, std::uint32_t id) noexcept : doc_(doc), id_(id) {}
    friend struct detail::doc_impl;
    template <bool> friend class basic_node;
    template <bool> friend class basic_block;
    template <bool> friend class basic_directive;
    template <bool> friend class basic_comment;

    detail::doc_ptr<Mutable> doc_ = nullptr;
    std::uint32_t id_ = 0;
};

// A node with children: the document root, or the `{ ... }` body of a block directive
// (the same node as the directive, seen as a container).
template <bool Mutable>
class NGXCONF_API basic_block : public basic_node<Mutable> {
public:
    class iterator {
    public:
        using value_type = basic_node<Mutable>;
        using difference_type = std::ptrdiff_t;
        using iterator_category = std::forward_iterator_tag;
        using pointer = void;
        using reference = basic_node<Mutable>;
        iterator() = default;
        basic_node<Mutable> operator*() const { return cur_; }
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
        friend class basic_block;
        explicit iterator(basic_node<Mutable> n) : cur_(n) {}
        basic_node<Mutable> cur_;
    };

    basic_block() = default;
    template <bool M = Mutable, class = std::enable_if_t<!M>>
    basic_block(const basic_block<true>& other) noexcept : basic_node<Mutable>(other) {}

    [[nodiscard]] iterator begin() const { return iterator(first_child()); }
    [[nodiscard]] iterator end() const { return iterator(); }
    [[nodiscard]] basic_node<Mutable> first_child() const;
    [[nodiscard]] basic_node<Mutable> last_child() const;
    [[nodiscard]] bool empty() const { return !first_child(); }
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] bool is_root() const;
    // The block directive that owns this body; null for the root.
    [[nodiscard]] basic_directive<Mutable> owner_directive() const;

private:
    friend struct detail::doc_impl;
    template <bool> friend class basic_node;
    basic_block(detail::doc_ptr<Mutable> doc, std::uint32_t id) noexcept
        : basic_node<Mutable>(doc, id) {}
};

// A directive: `name args... ;` or `name args... { ... }`, enabled or commented out.
//
// Example:
//   auto d = ngxconf::find_first(doc.root(), "proxy_pass", {.recursive = true});
//   d.name();       // "proxy_pass" (decoded like an argument; raw_name() gives the bytes)
//   d.arg(0);       // "http://$upstream_authentik:9000" (decoded)
//   d.raw_arg(0);   // the exact source bytes, quotes included
template <bool Mutable>
class NGXCONF_API basic_directive : public basic_node<Mutable> {
public:
    basic_directive() = default;
    template <bool M = Mutable, class = std::enable_if_t<!M>>
    basic_directive(const basic_directive<true>& other) noexcept : basic_node<Mutable>(other) {}

    // The name as nginx reads it: the first word with quotes removed and escapes decoded,
    // like arg() (`"server" {` is a server block, the map key `'' 0;` has the name "").
    // Queries, selectors, include following, the Lua and map/types body rules and the JSON
    // all go by it. Valid until the directive is renamed or the document is gone.
    [[nodiscard]] std::string_view name() const;
    // The exact bytes of the name, quotes and escapes included (what print writes).
    [[nodiscard]] std::string_view raw_name() const;
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
    [[nodiscard]] basic_block<Mutable> body() const;
    // OpenResty `*_by_lua_block { ... }`: the Lua source between the braces, verbatim.
    [[nodiscard]] bool is_lua_block() const;
    [[nodiscard]] std::string_view lua_code() const;

    // The blanks before the name (the '#' of a disabled directive removed).
    [[nodiscard]] std::string indent() const;
    // Position of the name's first byte (crossplane's "line").
    [[nodiscard]] source_position name_position() const;
    // The bytes of the name / of argument i as written (quotes included) / of a Lua block's
    // code: from the first byte to one past the last, for editors. Positions unknown
    // (`line == 0`) once an edit gave the directive new bytes.
    [[nodiscard]] source_region name_region() const;
    [[nodiscard]] source_region arg_region(std::size_t i) const;
    [[nodiscard]] source_region lua_code_region() const;
    // From the name through the `;`, or through the `}` of a block (region() adds the
    // indentation and the trailing).
    [[nodiscard]] source_region tokens_region() const;

private:
    friend struct detail::doc_impl;
    template <bool> friend class basic_node;
    template <bool> friend class basic_block;
    basic_directive(detail::doc_ptr<Mutable> doc, std::uint32_t id) noexcept
        : basic_node<Mutable>(doc, id) {}
};

// A whole-line comment that is not a disabled directive (prose, `## Version ...`).
template <bool Mutable>
class NGXCONF_API basic_comment : public basic_node<Mutable> {
public:
    basic_comment() = default;
    template <bool M = Mutable, class = std::enable_if_t<!M>>
    basic_comment(const basic_comment<true>& other) noexcept : basic_node<Mutable>(other) {}
    // From the '#' to the end of the line, without the line end.
    [[nodiscard]] std::string_view text() const;
    // True for comment lines within a commented-out block (`#server {` ... `#}`).
    [[nodiscard]] bool in_commented_block() const;

private:
    friend struct detail::doc_impl;
    template <bool> friend class basic_node;
    basic_comment(detail::doc_ptr<Mutable> doc, std::uint32_t id) noexcept
        : basic_node<Mutable>(doc, id) {}
};

// node, block, directive, comment and their const_ forms are aliases (fwd.hpp).

// Defined once in the library (src/cst/node.cpp) for both families.
extern template class basic_node<true>;
extern template class basic_node<false>;
extern template class basic_block<true>;
extern template class basic_block<false>;
extern template class basic_directive<true>;
extern template class basic_directive<false>;
extern template class basic_comment<true>;
extern template class basic_comment<false>;

}  // namespace ngxconf
