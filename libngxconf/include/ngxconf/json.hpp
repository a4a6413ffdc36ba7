#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ngxconf/document.hpp"
#include "ngxconf/export.hpp"

namespace ngxconf {

// How JSON strings carry bytes that are not UTF-8 (a Latin-1 `\xf6`, a truncated or
// overlong sequence, an encoded surrogate). Valid UTF-8 is written as it is either way.
enum class json_bytes : std::uint8_t {
    // crossplane's reading (Python's bytes.decode("utf-8", errors="replace")): U+FFFD for
    // each maximal ill-formed subsequence (Unicode 3.9, "substitution of maximal subparts").
    replace,
    // Python's surrogateescape: each such byte B as the lone surrogate U+DC00 + B, so the
    // exact bytes can be recovered (Python: s.encode("utf-8", "surrogateescape")).
    surrogateescape,
};

struct json_options {
    // Whole-line comments as crossplane's {"directive": "#", "comment": ...} objects; a
    // disabled directive also carries "disabled": {"directive": name, "args": [...]}.
    bool include_comments = false;
    // crossplane strips the parentheses of `if (...)` arguments; so do we unless false. Its
    // rule exactly: only when the first argument starts with '(' and the last ends with ')',
    // those two characters and the blanks next to them go, then the first or last argument
    // is dropped if that left it empty (`if ($a = "" )` gives ["$a","=",""]).
    bool strip_if_parens = true;
    // With a workspace: the indexes (into the payload's "config" array) of the files an
    // `include` directive pulled in, written as crossplane's "includes": [...].
    std::function<std::vector<std::size_t>(const const_directive&)> includes_of{};
    // Bytes that are not UTF-8 in names, arguments, Lua code and comments. File names are
    // always written with surrogateescape, as Python (and so crossplane) reads them.
    json_bytes bytes = json_bytes::replace;
    // For editors (crossplane has lines only): each directive also gets "span" (its name
    // through its `;` or its block's `}`), "name_span" and "arg_spans" (one per argument as
    // written, quotes included, the Lua code of a Lua block last; `if` keeps a span for a
    // parenthesis crossplane's args drop). A span is {"offset", "end": byte offsets, end
    // exclusive; "line", "column", "end_line", "end_column": 1-based, columns in bytes}, or
    // null for bytes an edit wrote.
    bool spans = false;
};

// One file's entry of crossplane's `parse` output:
// {"file", "status": "ok", "errors": [], "parsed": [{"directive", "line", "args", "block"?}]}.
// Arguments are the values nginx sees (quotes removed, escapes decoded); "line" is the line
// of the directive's first word. Lua block bodies are one argument, verbatim.
[[nodiscard]] NGXCONF_API std::string to_crossplane_config(const document& doc,
                                                           const json_options& opt = {});

// One directive as a crossplane "parsed" entry without its "block":
// {"directive", "line", "args"} (plus "includes" when opt.includes_of is set, and
// "disabled": true for a commented-out directive, written with its own name and arguments).
// For listing matches of find_if() or select(); a block's children are not written.
[[nodiscard]] NGXCONF_API std::string to_crossplane_directive(const const_directive& d,
                                                  const json_options& opt = {});

// The whole crossplane payload for several files (a workspace), in the given order.
[[nodiscard]] NGXCONF_API std::string to_crossplane_json(const std::vector<const document*>& docs,
                                                         const json_options& opt = {});
// The whole crossplane payload for one successfully parsed file.
[[nodiscard]] NGXCONF_API std::string to_crossplane_json(const document& doc,
                                                         const json_options& opt = {});
// The crossplane payload for a file that failed to parse. The file name is written as Python
// reads it (surrogateescape); bytes of the message that are not UTF-8 as `mode` says.
[[nodiscard]] NGXCONF_API std::string crossplane_failure_json(const std::string& file,
                                                              const error& err);
[[nodiscard]] NGXCONF_API std::string crossplane_failure_json(const std::string& file,
                                                              const error& err, json_bytes mode);

// A JSON string literal (quotes included) of arbitrary bytes; bytes that are not valid
// UTF-8 are written as \u00XX of their byte value so the output is always valid JSON.
[[nodiscard]] NGXCONF_API std::string json_quote(std::string_view bytes);
// A JSON string literal (quotes included) of arbitrary bytes; bytes that are not valid
// UTF-8 are written as `mode` says.
[[nodiscard]] NGXCONF_API std::string json_quote(std::string_view bytes, json_bytes mode);

}  // namespace ngxconf
