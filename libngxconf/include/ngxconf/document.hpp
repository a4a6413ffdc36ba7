#pragma once
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/error.hpp"
#include "ngxconf/export.hpp"
#include "ngxconf/node.hpp"

namespace ngxconf {

struct parse_options {
    // Reject a word, quoted string or comment that overflows nginx's 4096-byte read buffer,
    // exactly where nginx 1.22 does ("too long parameter"). Off: no limit.
    bool nginx_length_limit = true;
    // Treat the body of `*_by_lua_block { ... }` as raw Lua (OpenResty's lua module).
    bool lua_blocks = true;
    // nginx reads the bodies of `types`, `map`, `geo`, `split_clients` and `charset_map` with
    // a handler that takes lines only: a `{` inside one is nginx's `unexpected "{"`. Off: any
    // block may nest.
    bool handler_blocks = true;
    // Deepest nesting of `{` accepted; deeper input is an error, never a stack overflow.
    std::uint32_t max_depth = 256;
    // parse_file only: map the file instead of copying it (no copy, no fresh pages; a large
    // file parses about a third faster). The document then reads the file itself for as long
    // as it lives: another program rewriting the file in place changes what it prints, and
    // truncating it makes reading the lost pages a SIGBUS. For short read-only runs (the
    // `ngxconf` tool's print/parse/check); editors and workspaces keep the default copy.
    bool map_file = false;
};

// How new text is written: detected from the file (the first line ending, the most common
// indentation step), or set by the caller for a document built from nothing.
struct text_style {
    std::string newline = "\n";
    std::string indent_unit = "    ";
};

// A parsed file: its bytes, its tree, its edits. Move-only; handles point into its tree and
// follow it when the document is moved. Not thread-safe, even for concurrent reads (see
// node.hpp).
class NGXCONF_API document {
public:
    document(document&&) noexcept;
    document& operator=(document&&) noexcept;
    ~document();

    // An empty document (no bytes) to build a new file into.
    [[nodiscard]] static document empty(text_style style = {}, std::string source_name = {});

    // The top-level block. A const document gives read-only handles.
    [[nodiscard]] block root() noexcept;
    [[nodiscard]] const_block root() const noexcept;
    [[nodiscard]] const std::string& source_name() const noexcept;
    // The bytes the document was parsed from (unchanged by edits).
    [[nodiscard]] std::string_view source() const noexcept;
    [[nodiscard]] const text_style& style() const;
    // True once an edit changed any byte of the printed output (toggling twice may restore
    // the bytes; compare to_string() with source() for a byte-exact answer).
    [[nodiscard]] bool modified() const noexcept;
    // The position of a byte offset into source() (LF-counted lines, byte columns).
    [[nodiscard]] source_position position_of(std::uint64_t byte) const;

private:
    friend struct detail::doc_impl;
    friend struct detail::doc_access;
    explicit document(std::unique_ptr<detail::doc_impl> impl) noexcept;
    std::unique_ptr<detail::doc_impl> impl_;
};

// Parses nginx configuration text. Throws parse_error (nginx's message, line and a column).
// Guarantees: to_string(parse(x)) == x for every x that parses.
[[nodiscard]] NGXCONF_API document parse(std::string_view text, std::string source_name = {},
                                         const parse_options& options = {});
// Reads a whole file and parses it; an unreadable path throws io_error.
[[nodiscard]] NGXCONF_API document parse_file(const std::filesystem::path& path,
                                              const parse_options& options = {});

// The non-throwing form: `if (auto r = try_parse(text)) use(r.value()); else r.error();`
class NGXCONF_API parse_result {
public:
    explicit parse_result(document doc) : doc_(std::make_unique<document>(std::move(doc))) {}
    explicit parse_result(parse_error err) : err_(std::make_unique<parse_error>(std::move(err))) {}
    explicit operator bool() const noexcept { return doc_ != nullptr; }
    [[nodiscard]] document& value() &;
    [[nodiscard]] document&& value() &&;
    [[nodiscard]] const parse_error& error() const;

private:
    std::unique_ptr<document> doc_;
    std::unique_ptr<parse_error> err_;
};
// Only syntax errors become an error value; anything else (std::bad_alloc, ...) propagates.
[[nodiscard]] NGXCONF_API parse_result try_parse(std::string_view text,
                                                 std::string source_name = {},
                                                 const parse_options& options = {});

// A recovering parse, for editors and language servers: a tree for text that does not parse
// yet, and every syntax error in it (nginx stops at the first; errors.front() is exactly the
// error parse() throws, later ones are this library's reading of what follows). The tree is
// lossless like any other: to_string(doc) == text always. The bytes nginx could not take are
// error nodes (node::is_error(), leaves that print their bytes): a stray `;`, `{` or `}` with
// what precedes it on its line, a directive cut short by `}` or the end of the input, and,
// after an error nginx's reader cannot go past (a character after a quote, an unclosed Lua
// block, a token over 4096 bytes), everything from the node being read to the end. A block
// still open at the end is closed there with an empty `}` line; a block nginx refuses only
// by its place (inside `map`, deeper than max_depth) opens as usual. Text that parses gives
// the same tree as parse() and no errors. Each error's `where` has the file, line and column
// (nginx's line, as parse_error's).
struct recovered_document {
    document doc;
    std::vector<diagnostic> errors;  // severity error, codes syntax.*, in the input's order
};
[[nodiscard]] NGXCONF_API recovered_document parse_recovering(std::string_view text,
                                                            std::string source_name = {},
                                                            const parse_options& options = {});
// Reads a whole file and parses it so; an unreadable path throws io_error.
[[nodiscard]] NGXCONF_API recovered_document parse_file_recovering(
    const std::filesystem::path& path, const parse_options& options = {});

// The document's bytes: the source where untouched, the edits where edited.
[[nodiscard]] NGXCONF_API std::string to_string(const document& doc);
// Streams the same bytes without building a copy in memory.
NGXCONF_API void print(const document& doc, std::ostream& out);
NGXCONF_API std::ostream& operator<<(std::ostream& out, const document& doc);
// Writes the bytes to a file descriptor (writev of the spans); throws io_error.
NGXCONF_API void write_to_fd(const document& doc, int fd);

}  // namespace ngxconf
