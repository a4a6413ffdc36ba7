// `if` arguments as crossplane writes them.
#include "print/crossplane_if.hpp"

#include <array>
#include <string_view>

namespace ngxconf::detail {
namespace {
// The UTF-8 encodings of the characters Python's str.isspace() accepts (what str.strip()
// removes), except the one-byte ones. Each begins with a lead byte, so a match at either end
// of a string is the character Python decodes there whatever bytes lie next to it.
constexpr std::array<std::string_view, 19> multibyte_spaces = {
    "\xc2\x85",     "\xc2\xa0",     "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x81",
    "\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84", "\xe2\x80\x85", "\xe2\x80\x86",
    "\xe2\x80\x87", "\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xa8",
    "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80"};

bool ascii_space(char c) {
    return (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f') || c == ' ';
}

// Length of the whitespace character at the front (or back) of s, 0 if there is none.
std::size_t space_at(std::string_view s, bool front) {
    if (s.empty()) return 0;
    if (ascii_space(front ? s.front() : s.back())) return 1;
    for (const auto w : multibyte_spaces) {
        if (front ? s.starts_with(w) : s.ends_with(w)) return w.size();
    }
    return 0;
}

void strip_front(std::string& s) {
    std::size_t n = 0;
    while (const auto k = space_at(std::string_view(s).substr(n), true)) n += k;
    s.erase(0, n);
}

void strip_back(std::string& s) {
    while (const auto k = space_at(s, false)) s.resize(s.size() - k);
}
}  // namespace

void strip_if_parens(std::vector<std::string>& args) {
    if (args.empty() || !args.front().starts_with('(') || !args.back().ends_with(')')) return;
    // With one argument both edits apply to it, in this order, as crossplane does.
    args.front().erase(0, 1);
    strip_front(args.front());
    args.back().pop_back();
    strip_back(args.back());
    if (args.back().empty()) args.pop_back();
    if (!args.empty() && args.front().empty()) args.erase(args.begin());
}
}  // namespace ngxconf::detail
