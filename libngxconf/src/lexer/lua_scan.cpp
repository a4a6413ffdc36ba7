// Finds the closing brace of an OpenResty *_by_lua_block body exactly as lua-nginx-module
// 0.10.23 (Debian bookworm's libnginx-mod-http-lua) reads it, buffer limits included.
//
// The module's reader (ngx_http_lua_conf_read_lua_token) shares nginx's 4096-byte read buffer
// and, for each Lua token:
//   1. refills it when the token start `pos` has reached the buffer's end, or when fewer than
//      2048 bytes are left and the file has more: the unread bytes [pos, last) move to the
//      front and the rest is read, so the buffer then ends at min(file size, pos + 4096); a
//      refill that would move a full buffer is "too long lua code block, probably missing
//      terminating characters" (at the line of pos), one at the end of the file "unexpected
//      end of file, expecting terminating characters for lua code block" (at the line of the
//      last `{`);
//   2. looks for the leftmost match of its eight patterns (util/gen-lexer-c: `{` `}` `[=*[`
//      `--[=*[` `]=*]` `--[^\n]*` and one-line "..." and '...' strings, earlier patterns
//      first at one position) inside the buffer only; no match in a full buffer is "too
//      long ...", no match elsewhere refills from pos and goes on lexing *after* the bytes
//      it searched: a string cut by the buffer's end is skipped up to it, and lexing resumes
//      in its middle. The newlines of skipped bytes are never counted: nginx reports every
//      later line of the file that many lines too early (lua_scan::lost_lines);
//   3. for a long bracket opener, looks for its closer inside the buffer only: none is
//      "Lua code block missing the closing long bracket ...".
// So a string or comment line that crosses the buffer's end is cut there, and what the
// module accepts depends on where nginx's own reader left the buffer's end (the tree
// builder tracks it through the file: cst/builder.cpp). With no limit (buffer_end npos) the
// whole rest of the file is one buffer.
#include <algorithm>
#include <string>
#include <string_view>

#include "lexer/token.hpp"

namespace ngxconf::detail {
namespace {

constexpr std::size_t buffer_size = 4096;
constexpr std::size_t npos = std::string_view::npos;

enum pattern : int { none = -1, lcurly, rcurly, lbracket_str, lbracket_cmt, rbracket, line_comment, dq, sq };

struct lua_token {
    int id = none;
    std::size_t begin = 0, end = 0;
};

// Past the '=' run starting at i, bounded by end.
std::size_t skip_equals(std::string_view t, std::size_t i, std::size_t end) {
    while (i < end && t[i] == '=') ++i;
    return i;
}

// A one-line string opened at t[i], ending before `end`; npos when it does not close there.
std::size_t string_end(std::string_view t, std::size_t i, std::size_t end) {
    const char q = t[i];
    for (std::size_t j = i + 1; j < end; ++j) {
        const char c = t[j];
        if (c == q) return j + 1;
        if (c == '\n') return npos;
        if (c == '\\') {
            if (j + 1 >= end || t[j + 1] == '\n') return npos;
            ++j;
        }
    }
    return npos;
}

// The token of the patterns that starts at t[i] (bounded by end), or none.
lua_token match_at(std::string_view t, std::size_t i, std::size_t end) {
    switch (t[i]) {
        case '{': return {lcurly, i, i + 1};
        case '}': return {rcurly, i, i + 1};
        case '[': {
            const auto j = skip_equals(t, i + 1, end);
            if (j < end && t[j] == '[') return {lbracket_str, i, j + 1};
            return {};
        }
        case ']': {
            const auto j = skip_equals(t, i + 1, end);
            if (j < end && t[j] == ']') return {rbracket, i, j + 1};
            return {};
        }
        case '-': {
            if (i + 1 >= end || t[i + 1] != '-') return {};
            if (i + 2 < end && t[i + 2] == '[') {
                const auto j = skip_equals(t, i + 3, end);
                if (j < end && t[j] == '[') return {lbracket_cmt, i, j + 1};
            }
            const auto nl = t.substr(0, end).find('\n', i + 2);
            return {line_comment, i, nl == npos ? end : nl};
        }
        case '"':
        case '\'': {
            const auto j = string_end(t, i, end);
            if (j == npos) return {};
            return {t[i] == '"' ? dq : sq, i, j};
        }
        default: return {};
    }
}

// ngx_http_lua_lex over [pos, end): the leftmost match.
lua_token lex_window(std::string_view t, std::size_t pos, std::size_t end) {
    for (std::size_t i = pos; i < end; ++i) {
        if (auto m = match_at(t, i, end); m.id != none) return m;
    }
    return {};
}

}  // namespace

lua_scan scan_lua_body(std::string_view text, std::size_t from, std::uint64_t buffer_end) {
    const std::size_t size = text.size();
    const bool limited = buffer_end < size;
    std::size_t last = limited ? static_cast<std::size_t>(buffer_end) : size;
    std::size_t pos = from;
    std::size_t depth = 1;
    std::size_t last_open = npos;  // the module reports a missing '}' at the last '{' it saw
    std::uint32_t lost = 0;        // newlines skipped so far
    std::uint32_t lost_at_open = 0;
    const auto eof = [&] { return lua_scan{lua_scan::result::eof, last_open, 0, last, lost_at_open}; };
    for (;;) {
        const std::size_t entry = pos;  // the line of a "too long" error
        const std::uint32_t lost_at_entry = lost;
        std::size_t start = pos;        // the first byte the buffer must keep
        lua_token tk;
        for (;;) {
            if (pos >= last || (limited && last - pos < buffer_size / 2 && last < size)) {
                if (last >= size) return eof();
                if (last - start == buffer_size) {
                    return {lua_scan::result::too_long, entry, 0, last, lost_at_entry};
                }
                last = std::min(size, start + buffer_size);
            }
            tk = lex_window(text, pos, last);
            if (tk.id != none) break;
            if (last >= size) return eof();
            if (last - pos == buffer_size) {
                return {lua_scan::result::too_long, entry, 0, last, lost_at_entry};
            }
            for (std::size_t i = pos; i < last; ++i) lost += text[i] == '\n' ? 1 : 0;
            start = pos;
            pos = last;
            last = std::min(size, start + buffer_size);
        }
        if (tk.id == lbracket_str || tk.id == lbracket_cmt) {
            const std::size_t open = tk.id == lbracket_cmt ? tk.begin + 2 : tk.begin;
            const auto level = tk.end - open - 2;
            std::string closer(level + 2, '=');
            closer.front() = ']';
            closer.back() = ']';
            const auto q = text.substr(0, last).find(closer, tk.end);
            if (q == npos) {
                return {lua_scan::result::unclosed_long_bracket, tk.begin,
                        static_cast<std::uint32_t>(level), last, lost};
            }
            tk.end = q + closer.size();
        }
        pos = tk.end;
        if (tk.id == lcurly) {
            ++depth;
            last_open = tk.begin;
            lost_at_open = lost;
        } else if (tk.id == rcurly && --depth == 0) {
            return {lua_scan::result::closed, tk.begin, 0, last, lost};
        }
    }
}

}  // namespace ngxconf::detail
