// JSON string literals of arbitrary bytes.
#include <cstdint>

#include "print/json_quote.hpp"

namespace ngxconf {
namespace detail {

namespace {
constexpr const char* hex = "0123456789abcdef";

// The continuation bytes allowed right after lead byte c (Unicode table 3-7: no overlong
// forms, no surrogates, nothing past U+10FFFF) and how many continuation bytes c wants;
// 0 for a byte that cannot start a character.
struct lead_rule {
    unsigned lo = 0x80, hi = 0xBF;
    std::size_t continuations = 0;
};

lead_rule rule_of(unsigned c) {
    if (c >= 0xC2 && c <= 0xDF) return {0x80, 0xBF, 1};
    if (c == 0xE0) return {0xA0, 0xBF, 2};
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return {0x80, 0xBF, 2};
    if (c == 0xED) return {0x80, 0x9F, 2};
    if (c == 0xF0) return {0x90, 0xBF, 3};
    if (c >= 0xF1 && c <= 0xF3) return {0x80, 0xBF, 3};
    if (c == 0xF4) return {0x80, 0x8F, 3};
    return {};
}

// How the bytes at s[i] (s[i] >= 0x80) decode: `valid` with the length of a well-formed
// sequence, or not with the length of the maximal subpart Unicode (and Python's decoder)
// replaces as one unit: the lead byte and the continuation bytes that still fit it.
struct utf8_unit {
    bool valid;
    std::size_t length;
};

utf8_unit unit_at(std::string_view s, std::size_t i) {
    const auto r = rule_of(static_cast<unsigned char>(s[i]));
    if (r.continuations == 0) return {false, 1};
    std::size_t n = 1;
    while (n <= r.continuations && i + n < s.size()) {
        const auto b = static_cast<unsigned char>(s[i + n]);
        const bool fits = n == 1 ? (b >= r.lo && b <= r.hi) : (b >= 0x80 && b <= 0xBF);
        if (!fits) break;
        ++n;
    }
    return {n == r.continuations + 1, n};
}

void append_u(std::string& out, unsigned v) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out.push_back(hex[(v >> shift) & 15]);
}

// A byte below 0x80: itself, or its JSON escape.
void append_ascii(std::string& out, unsigned char c) {
    if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
        out += "\\n";
    } else if (c == '\t') {
        out += "\\t";
    } else if (c == '\r') {
        out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
        append_u(out, c);
    } else {
        out.push_back(static_cast<char>(c));
    }
}

// Bytes not UTF-8: each as \u00XX (mode absent), U+DC80 + byte - 0x80 (surrogateescape), or
// the whole unit as one U+FFFD (replace).
void append_invalid(std::string& out, std::string_view unit, const json_bytes* mode) {
    if (mode && *mode == json_bytes::replace) {
        append_u(out, 0xFFFD);
        return;
    }
    for (const char ch : unit) {
        const auto b = static_cast<unsigned char>(ch);
        append_u(out, mode ? 0xDC00u + b : b);
    }
}

// Printable ASCII that JSON takes as it is: copied in runs, the common case by far.
bool plain(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

void append_chars(std::string& out, std::string_view s, const json_bytes* mode) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t run = i;
        while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) ++run;
        if (run != i) {
            out.append(s.data() + i, run - i);
            i = run;
            continue;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            append_ascii(out, c);
            ++i;
            continue;
        }
        const auto u = unit_at(s, i);
        if (u.valid) {
            out.append(s.substr(i, u.length));
        } else {
            append_invalid(out, s.substr(i, u.length), mode);
        }
        i += u.length;
    }
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    out.push_back('"');
    append_chars(out, s, nullptr);
    out.push_back('"');
}

void append_json_string(std::string& out, std::string_view s, json_bytes mode) {
    out.push_back('"');
    append_chars(out, s, &mode);
    out.push_back('"');
}

void append_json_chars(std::string& out, std::string_view s, json_bytes mode) {
    append_chars(out, s, &mode);
}

}  // namespace detail

std::string json_quote(std::string_view bytes) {
    std::string s;
    detail::append_json_string(s, bytes);
    return s;
}

std::string json_quote(std::string_view bytes, json_bytes mode) {
    std::string s;
    detail::append_json_string(s, bytes, mode);
    return s;
}

}  // namespace ngxconf
