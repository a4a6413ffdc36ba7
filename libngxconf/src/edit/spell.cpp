// spell_value: the raw token nginx decodes back to a given value (inverse of decode_token).
#include <ngxconf/edit.hpp>

namespace ngxconf {
namespace {

bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
// Backslash pairs that nginx's decoder changes; any other "\X" is kept as both bytes.
bool decodes_specially(char c) {
    return c == '"' || c == '\'' || c == '\\' || c == 't' || c == 'n' || c == 'r';
}

// Bare when nginx would read it back as exactly this one word.
bool can_be_bare(std::string_view v) {
    if (v.empty()) return false;
    const char first = v.front();
    if (first == '"' || first == '\'' || first == '#' || first == '}') return false;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (is_separator(c) || c == ';' || c == '{') return false;
        if (c == '\\' && (i + 1 == v.size() || decodes_specially(v[i + 1]))) return false;
    }
    return true;
}

std::string quote(std::string_view v, char q) {
    std::string out(1, q);
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (c == q) {
            out += '\\';
            out += c;
        } else if (c == '\\') {
            // A lone backslash survives as is unless what follows would make an escape.
            // Doubled when the next byte is one the decoder would pair with it, including
            // the LF and CR that are themselves written as \n and \r.
            const bool needs = i + 1 == v.size() || decodes_specially(v[i + 1]) || v[i + 1] == q ||
                               v[i + 1] == '\n' || v[i + 1] == '\r';
            out += needs ? "\\\\" : "\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else {
            out += c;
        }
    }
    out += q;
    return out;
}

}  // namespace

std::string spell_value(std::string_view value, quote_style preferred) {
    switch (preferred) {
        case quote_style::single: return quote(value, '\'');
        case quote_style::dbl: return quote(value, '"');
        case quote_style::none: break;
    }
    if (can_be_bare(value)) return std::string(value);
    return quote(value, '"');
}

}  // namespace ngxconf
