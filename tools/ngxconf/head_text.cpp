#include "head_text.hpp"

#include <string_view>

#include <ngxconf/document.hpp>

namespace ngxconf_tool {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Skips the trivia before a word (blanks, line ends, comments), moving p past it. Returns
// whether it held anything but blanks, i.e. whether it is shown as one space.
bool skip_trivia(std::string_view src, std::size_t& p) {
    bool folds = false;
    while (p < src.size()) {
        const char c = src[p];
        if (is_blank(c)) {
            ++p;
        } else if (c == '\n' || c == '\r') {
            folds = true;
            ++p;
        } else if (c == '#') {
            folds = true;
            while (p < src.size() && src[p] != '\n') ++p;
        } else {
            break;
        }
    }
    return folds;
}

void append_on_one_line(std::string& out, std::string_view word) {
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (word[i] == '\r' && i + 1 < word.size() && word[i + 1] == '\n') continue;
        out.push_back(word[i] == '\n' ? ' ' : word[i]);
    }
}

// The trivia between two words as shown: its bytes when it is blanks only, else one space.
void append_gap(std::string& out, std::string_view src, std::size_t& p) {
    const auto from = p;
    if (skip_trivia(src, p)) {
        out.push_back(' ');
    } else {
        out.append(src.substr(from, p - from));
    }
}

// The line of `start` without its line end: shown when the words cannot be found in order.
std::string first_line(std::string_view src, std::size_t start) {
    auto end = src.find('\n', start);
    if (end == std::string_view::npos) end = src.size();
    while (end > start && (src[end - 1] == '\r' || is_blank(src[end - 1]))) --end;
    return std::string(src.substr(start, end - start));
}

}  // namespace

directive_head head_of(const ngxconf::const_directive& d) {
    const std::string_view src = d.owner().source();
    auto start = static_cast<std::size_t>(d.position().byte);
    while (start < src.size() && is_blank(src[start])) ++start;
    directive_head head{d.owner().position_of(start), {}};

    const auto name = d.name();
    const auto name_at = static_cast<std::size_t>(d.name_position().byte);
    const bool name_found = d.name_position().known() && name_at >= start &&
                            src.substr(name_at, name.size()) == name &&
                            src.substr(start, name_at - start).find('\n') == std::string_view::npos;
    if (!name_found) return {head.at, first_line(src, start)};
    std::size_t p = name_at + name.size();
    head.text = src.substr(start, p - start);
    for (std::size_t i = 0; i < d.arg_count(); ++i) {
        const auto raw = d.raw_arg(i);
        append_gap(head.text, src, p);
        if (src.substr(p, raw.size()) != raw) return {head.at, first_line(src, start)};
        append_on_one_line(head.text, raw);
        p += raw.size();
    }
    append_gap(head.text, src, p);
    if (p >= src.size() || (src[p] != ';' && src[p] != '{')) return {head.at, first_line(src, start)};
    head.text.push_back(src[p]);
    return head;
}

}  // namespace ngxconf_tool
