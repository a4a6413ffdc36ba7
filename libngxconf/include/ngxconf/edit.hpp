#pragma once
// Editing a document. Every edit touches only the bytes it must: the rest of the file prints
// back byte for byte. New text takes its formatting from its neighbours (indentation) and
// from the file (newline, indent unit); normalising is never a side effect.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/export.hpp"
#include "ngxconf/node.hpp"

namespace ngxconf {

enum class toggle_status : std::uint8_t {
    changed,                 // one '#' added or removed
    unchanged,               // already in the requested state
    is_block,                // block directives are never toggled
    not_single_line,         // an LF or a comment inside the directive
    inside_commented_block,  // part of `#server { ... #}`: toggling one line would break it
};
[[nodiscard]] NGXCONF_API std::string_view to_string(toggle_status s) noexcept;

// Enabling removes the one '#' of a disabled directive: `#    listen 443 quic;` becomes
// `    listen 443 quic;`. Disabling inserts '#' right before the name, after the indentation
// (SWAG style: `    #include ...;`), or where a previous enable removed it, so that
// on -> off -> on is byte-reversible. Touches exactly one byte when it returns `changed`.
// Example: set_enabled(d, true);
NGXCONF_API toggle_status set_enabled(const directive& d, bool on);
// Enables like set_enabled, and when blanks stood between the '#' and the name
// (`    # include x;`) the name lands at the block's indentation, taken from the neighbours as
// for an inserted directive (`    include x;`), not one column further in. `#    include x;`
// and `    #include x;` lose their '#' only, as with set_enabled.
NGXCONF_API toggle_status enable_at_block_indent(const directive& d);
inline toggle_status enable(const directive& d) { return set_enabled(d, true); }
inline toggle_status disable(const directive& d) { return set_enabled(d, false); }

// The raw token that spells `value` for nginx: bare when it can be, else quoted with
// `preferred` (double quotes when none), escaping quotes and backslashes. Decoding the
// result gives `value` back; no value can escape its argument (`x; include /etc/shadow`
// stays one argument).
[[nodiscard]] NGXCONF_API std::string spell_value(std::string_view value,
                                                  quote_style preferred = quote_style::none);

// Replaces argument i, keeping the bytes before it; keeps the original quote style when the
// value allows it. Touches only the argument's bytes.
// Example: `proxy_pass  http://a;` -> set_arg(d, 0, "http://b") -> `proxy_pass  http://b;`
NGXCONF_API void set_arg(const directive& d, std::size_t i, std::string_view value);
// Replaces all arguments: kept positions keep their separators; new ones get one space;
// dropped ones go with the separator before them.
NGXCONF_API void set_args(const directive& d, const std::vector<std::string>& values);
// Renames the directive (a bare word is required).
NGXCONF_API void rename(const directive& d, std::string_view name);

enum class insert_at : std::uint8_t { before, after, first_child, last_child };

// Inserts `name args;` as a sibling of `anchor` (before/after) or as a child of the block
// `anchor` (first_child/last_child). Indentation comes from the nearest sibling that starts a
// line (previous first, then next; disabled directives and comments count), else the owner's
// indentation plus the file's indent unit. Newlines follow the file (LF or CRLF); a file
// without a final newline keeps having none. Neighbours keep their bytes.
// Example: insert_directive(server.body(), insert_at::last_child, "include", {"/x.conf"});
NGXCONF_API directive insert_directive(const node& anchor, insert_at where, std::string_view name,
                                       const std::vector<std::string>& args);
// Inserts `name args {` + newline + indented `}` (an empty block), formatted the same way.
NGXCONF_API directive insert_block(const node& anchor, insert_at where, std::string_view name,
                                   const std::vector<std::string>& args);
// Inserts a whole-line comment; `text` is written after "# " unless it starts with '#'.
NGXCONF_API comment insert_comment(const node& anchor, insert_at where, std::string_view text);

// Removes the node with its own bytes (indentation, tokens, trailing, children): a line it
// had to itself goes; blank lines and comments around it stay.
NGXCONF_API void remove(const node& n);

// Gives every node owned text, as if each had been edited, without changing any byte.
// Printing afterwards no longer reads the source buffer (tested to print identically).
NGXCONF_API void detach_from_source(document& doc);

}  // namespace ngxconf
