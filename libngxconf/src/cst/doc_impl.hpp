#pragma once
// The storage behind a document: the source bytes, one compact record per node, and the
// owned text of edited nodes. Nodes refer into the source by 32-bit offsets until an edit
// gives them owned text; tokens inside a node are re-lexed from its bytes when asked
// (cst/view.cpp), so a parse allocates per node, never per token or per byte.
#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ngxconf/document.hpp"
#include "mem/pages.hpp"
#include "ngxconf/node.hpp"

namespace ngxconf::detail {

inline constexpr std::uint32_t npos32 = 0xFFFFFFFFu;

enum item_flag : std::uint16_t {
    f_block = 1,         // `{ ... }` directive (children, and a tail holding `}`)
    f_lua = 2,           // *_by_lua_block: the head spans `name {lua}` and trailing
    f_src_disabled = 4,  // the source has the '#' of a disabled directive at begin+marker
    f_disabled = 8,      // disabled now
    f_in_region = 16,    // inside a commented-out block
    f_removed = 32,
    f_owned = 64,        // printed from parts, not from the source
    f_opens_region = 128,
    f_dirty = 256,       // this node or one below it prints differently from its source span
};

// One node: 32 bytes (memory is about the size of the input, so every word counts, and
// 2^k records fill huge pages exactly). Siblings form a doubly linked list so that insert
// and remove are O(1) and ids stay stable; what only blocks and edited nodes need
// (children, the `}` line, owned text) lives in a side table.
struct item {
    std::uint32_t parent = npos32, prev = npos32, next = npos32;
    std::uint32_t begin = 0, end = 0;  // head bytes in the source
    std::uint32_t extra = npos32;      // index into doc_impl::blocks: root, blocks, owned nodes
    node_kind kind = node_kind::blank;
    std::uint8_t marker_set = 0;  // a disable() chose `marker` (reused by the next disable)
    std::uint16_t flags = 0;
    std::uint16_t marker = 0;  // offset of the '#' from begin (disabled directives)
};
static_assert(sizeof(item) == 32, "item_store's chunks are sized for 32-byte items");

struct block_links {
    std::uint32_t first = npos32, last = npos32;  // children
    std::uint32_t tail_begin = 0, tail_end = 0;   // the `}` line in the source
    std::uint32_t parts = npos32;                 // index into doc_impl::owned when f_owned
};

// The owned text of an edited or created node. Concatenated in this order it prints the
// node: indent (with '#' inserted at `marker` when disabled), name, each arg's before+raw,
// term_before, term, trailing, [lua code, "}" , close_trailing | children, close_before,
// "}", close_trailing]. Comments and blank lines keep their whole line in `name`.
struct arg_part {
    std::string before;
    std::string raw;
};
struct parts {
    std::string indent;
    std::string name;
    std::vector<arg_part> args;
    std::string term_before;
    std::string term;
    std::string trailing;
    std::string lua;
    std::string close_before;
    std::string close_trailing;
    bool generated = false;  // formatting chosen by the library (may be re-indented)
    std::uint32_t name_offset = npos32;  // where the name was in the source, if anywhere
};

// Items in chunks that never move: growing never copies, so peak memory has no 2x doubling
// spike, and handles stay valid. Chunks grow from 64 items to 65536 (2 MiB, one huge page)
// and then stay at that size: a one-line document costs a few KiB, a 10 MB one a few huge
// pages, and the unused end of the last chunk is never touched.
class item_store {
public:
    static constexpr std::uint32_t first = 64;                     // items in chunk 0
    static constexpr unsigned growing = 11;                        // chunks of 64 .. 65536
    static constexpr std::uint32_t big = first << (growing - 1);   // 65536
    static constexpr std::uint32_t small_total = first * ((1u << growing) - 1);

    item_store() = default;
    item_store(const item_store&) = delete;
    item_store& operator=(const item_store&) = delete;
    ~item_store() {
        for (std::size_t c = 0; c < chunks_.size(); ++c) release_pages(chunks_[c], chunk_bytes(c));
    }

    std::uint32_t push(const item& it) { return emplace(it).id; }
    // push() for the builder, which keeps the record at hand.
    struct pushed {
        std::uint32_t id;
        item* at;
    };
    pushed emplace(const item& it) {
        if (free_ == free_end_) grow();
        item* at = ::new (static_cast<void*>(free_++)) item(it);
        return {size_++, at};
    }
    item& operator[](std::uint32_t id) noexcept {
        const auto [chunk, offset] = locate(id);
        return chunks_[chunk][offset];
    }
    const item& operator[](std::uint32_t id) const noexcept {
        const auto [chunk, offset] = locate(id);
        return chunks_[chunk][offset];
    }
    [[nodiscard]] std::uint32_t size() const noexcept { return size_; }

private:
    struct place {
        std::size_t chunk;
        std::uint32_t offset;
    };
    static place locate(std::uint32_t id) noexcept {
        if (id >= small_total) {
            const auto rest = id - small_total;
            return {growing + rest / big, rest % big};
        }
        // Chunks 0..c-1 hold first * (2^c - 1) items.
        const auto c = static_cast<std::size_t>(std::bit_width(id / first + 1) - 1);
        return {c, id - first * ((1u << c) - 1)};
    }
    static std::size_t chunk_items(std::size_t chunk) noexcept {
        return chunk < growing ? std::size_t{first} << chunk : big;
    }
    static std::size_t chunk_bytes(std::size_t chunk) noexcept {
        return chunk_items(chunk) * sizeof(item);
    }
    void grow() {
        const auto chunk = chunks_.size();
        chunks_.reserve(chunk + 1);
        chunks_.push_back(static_cast<item*>(allocate_pages(chunk_bytes(chunk))));
        free_ = chunks_.back();
        free_end_ = free_ + chunk_items(chunk);
    }
    std::vector<item*> chunks_;
    item* free_ = nullptr;      // the next record of the last chunk
    item* free_end_ = nullptr;  // the end of the last chunk
    std::uint32_t size_ = 0;
};

// The tokens of one directive, as views into the source or into its parts.
struct arg_view {
    std::string_view before;
    std::string_view raw;
};
struct directive_view {
    std::string indent;  // effective indentation (the '#' of a disabled directive removed)
    std::string_view name;
    std::vector<arg_view> args;
    std::string_view term_before, term, trailing;
    std::string_view lua;
    std::string_view close_before, close_trailing;
    std::uint32_t name_offset = npos32;  // in the source, for positions
};

struct doc_impl {
    // The bytes read; never changed by edits.
    page_buffer storage;
    std::string_view source;
    std::string name;
    parse_options options;
    mutable std::optional<text_style> style;  // detected on first use
    item_store items;  // id 0 is the root
    std::vector<block_links> blocks;  // blocks[0] is the root's
    std::vector<std::unique_ptr<parts>> owned;
    document* owner = nullptr;

    // The names nginx reads differently from their bytes (a quoted first word, or one with a
    // backslash), by id: each decoded when first asked (decoded_name), so a parse costs
    // nothing for them. rename() drops the entry of the node it renames: a bare new name may
    // still hold a backslash (`a\:b`), which is decoded again from the new bytes.
    mutable std::unordered_map<std::uint32_t, std::string> decoded_names;

    mutable std::vector<std::uint32_t> line_starts;  // built on the first position query
    mutable std::uint32_t cached_view_id = npos32;
    mutable directive_view cached_view;

    doc_impl();
    // Wraps a filled impl into its public document.
    static document wrap(std::unique_ptr<doc_impl> impl);

    [[nodiscard]] source_position position_of(std::uint64_t byte) const;
    // Where a view into the source starts; npos32 for bytes an edit wrote (owned parts).
    [[nodiscard]] std::uint32_t offset_in_source(std::string_view v) const noexcept {
        const char* b = source.data();
        if (b == nullptr || v.data() < b || v.data() > b + source.size()) return npos32;
        return static_cast<std::uint32_t>(v.data() - b);
    }
    // The region of such a view (positions unknown when it is not in the source).
    [[nodiscard]] source_region region_of(std::string_view v) const;
    // A directive's name as nginx reads it, given its bytes `raw` (cst/decode.cpp).
    [[nodiscard]] std::string_view decoded_name(std::uint32_t id, std::string_view raw) const;
    [[nodiscard]] const directive_view& view(std::uint32_t id) const;
    void invalidate_view(std::uint32_t id) const {
        if (cached_view_id == id) cached_view_id = npos32;
    }
    // Gives the node owned text equal to its current bytes (idempotent).
    parts& own(std::uint32_t id);
    // Records that the node's printed bytes are about to change: marks it and its
    // ancestors dirty, so the printer copies every clean subtree as one source span.
    void touch(std::uint32_t id);
    // Whether any edit touched the document (every touch reaches the root).
    [[nodiscard]] bool modified() const noexcept { return (items[0].flags & f_dirty) != 0; }
    // The source bytes of a clean subtree: its head, its children and its `}` line.
    [[nodiscard]] std::string_view source_span(std::uint32_t id) const;
    // Appends the node's own head bytes (no children) / tail bytes to out.
    template <class Out>
    void write_head(std::uint32_t id, Out& out) const;
    template <class Out>
    void write_tail(std::uint32_t id, Out& out) const;
    template <class Out>
    void write_node(std::uint32_t id, Out& out) const;  // head, children, tail

    // Children of a node (npos32 when it has none or is not a block).
    [[nodiscard]] std::uint32_t first_child(std::uint32_t id) const noexcept {
        const auto b = items[id].extra;
        return b == npos32 ? npos32 : blocks[b].first;
    }
    [[nodiscard]] std::uint32_t last_child(std::uint32_t id) const noexcept {
        const auto b = items[id].extra;
        return b == npos32 ? npos32 : blocks[b].last;
    }
    // The side record of a node, created on first use.
    block_links& links(std::uint32_t id) {
        auto& it = items[id];
        if (it.extra == npos32) {
            it.extra = static_cast<std::uint32_t>(blocks.size());
            blocks.emplace_back();
        }
        return blocks[it.extra];
    }
    [[nodiscard]] const block_links& links(std::uint32_t id) const { return blocks[items[id].extra]; }
    // The owned text of a node that has f_owned.
    [[nodiscard]] parts& parts_of(std::uint32_t id) { return *owned[links(id).parts]; }
    [[nodiscard]] const parts& parts_of(std::uint32_t id) const { return *owned[links(id).parts]; }

    // Tree links, for edits (each touches the parent). The builder links its nodes itself
    // (cst/builder.cpp), untouched: they are their source.
    void append_child(std::uint32_t parent, std::uint32_t child);
    void insert_before(std::uint32_t sibling, std::uint32_t child);
    void insert_after(std::uint32_t sibling, std::uint32_t child);
    void unlink(std::uint32_t id);

    // A replaced document (workspace::replace): its handles still read, edits refuse.
    bool retired = false;

    template <class T>
    [[nodiscard]] T handle(std::uint32_t id) {
        return id == npos32 ? T() : T(this, id);
    }
    template <class T>
    [[nodiscard]] T handle(std::uint32_t id) const {
        return id == npos32 ? T() : T(this, id);
    }
};

// The library's own way into a document's storage (the public API has none).
struct doc_access {
    static doc_impl& of(document& d) noexcept { return *d.impl_; }
    static const doc_impl& of(const document& d) noexcept { return *d.impl_; }
};

// The mutable handle of a read-only one, for read-only algorithms written once over the
// mutable handles (queries): their results are turned back into const handles before they
// leave the library, so nothing is edited through a const document.
template <class Mutable, class Const>
[[nodiscard]] Mutable unconst(const Const& n) {
    if (!n) return Mutable();
    auto& d = doc_access::of(const_cast<document&>(n.owner()));
    return d.template handle<Mutable>(n.id());
}

// Decodes a raw token as nginx does: quotes stripped, \" \' \\ lose the backslash,
// \t \r \n become control bytes, any other \X stays as both bytes.
[[nodiscard]] std::string decode_token(std::string_view raw);
[[nodiscard]] quote_style quote_of(std::string_view raw) noexcept;
// Whether nginx's reading of a token differs from its bytes: quoted, or with a backslash.
[[nodiscard]] inline bool needs_decoding(std::string_view raw) noexcept {
    return !raw.empty() &&
           (raw[0] == '"' || raw[0] == '\'' || raw.find('\\') != std::string_view::npos);
}

}  // namespace ngxconf::detail
