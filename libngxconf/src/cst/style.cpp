#include "cst/style.hpp"

#include <map>

namespace ngxconf::detail {

std::string_view line_indent(const doc_impl& doc, std::uint32_t id) {
    const item& it = doc.items[id];
    if (it.flags & f_owned) {
        const parts& p = doc.parts_of(id);
        if (it.kind == node_kind::directive) return p.indent;
        const auto n = p.name.find_first_not_of(" \t");
        return std::string_view(p.name).substr(0, n == std::string::npos ? p.name.size() : n);
    }
    const std::string_view src(doc.source);
    if (it.begin != 0 && src[it.begin - 1] != '\n') return {};
    std::uint32_t e = it.begin;
    while (e < it.end && (src[e] == ' ' || src[e] == '\t')) ++e;
    return src.substr(it.begin, e - it.begin);
}

text_style detect_style(const doc_impl& doc) {
    text_style style;
    const auto lf = doc.source.find('\n');
    if (lf != std::string::npos && lf > 0 && doc.source[lf - 1] == '\r') style.newline = "\r\n";
    std::map<std::string_view, std::size_t> steps;
    for (std::uint32_t id = 1; id < doc.items.size(); ++id) {
        const item& it = doc.items[id];
        if (it.kind != node_kind::directive || (it.flags & (f_disabled | f_removed))) continue;
        const item& parent = doc.items[it.parent];
        if (parent.kind != node_kind::directive) continue;
        const auto mine = line_indent(doc, id);
        const auto outer = line_indent(doc, it.parent);
        if (mine.size() > outer.size() && mine.substr(0, outer.size()) == outer &&
            (doc.source.empty() || it.begin == 0 || doc.source[it.begin - 1] == '\n')) {
            ++steps[mine.substr(outer.size())];
        }
    }
    std::size_t best = 0;
    for (const auto& [step, n] : steps) {
        if (n > best) {
            best = n;
            style.indent_unit = std::string(step);
        }
    }
    return style;
}

}  // namespace ngxconf::detail
