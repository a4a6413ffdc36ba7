// crossplane-compatible JSON (crossplane's `parse` schema).
#include <ngxconf/json.hpp>
#include <ngxconf/walk.hpp>

#include "cst/doc_impl.hpp"
#include "print/crossplane_if.hpp"
#include "print/json_quote.hpp"

namespace ngxconf {
namespace detail {

namespace {
// Length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7: no overlong forms,
// no surrogates, nothing past U+10FFFF), or 0.
std::size_t utf8_len(std::string_view s, std::size_t i) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
        return i + k < s.size() && at(k) >= lo && at(k) <= hi;
    };
    const unsigned c = at(0);
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    static const char* hex = "0123456789abcdef";
    out.push_back('"');
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
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
            out += "\\u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        } else if (c >= 0x80) {
            const auto n = utf8_len(s, i);
            if (n == 0) {
                out += "\\u00";
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 15]);
                ++i;
                continue;
            }
            out.append(s.substr(i, n));
            i += n;
            continue;
        } else {
            out.push_back(static_cast<char>(c));
        }
        ++i;
    }
    out.push_back('"');
}

}  // namespace detail

std::string json_quote(std::string_view bytes) {
    std::string s;
    detail::append_json_string(s, bytes);
    return s;
}

namespace {

void append_args(std::string& out, std::vector<std::string> args, std::string_view name,
                 const json_options& opt) {
    if (opt.strip_if_parens && name == "if") detail::strip_if_parens(args);
    out += "\"args\":[";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i) out += ',';
        detail::append_json_string(out, args[i]);
    }
    out += ']';
}

// A comment line, or a disabled directive with its parsed form under "disabled".
void append_comment(std::string& out, const const_node& n, const const_directive& d, const json_options& opt) {
    out += "{\"directive\":\"#\",\"line\":" + std::to_string(n.position().line) +
           ",\"args\":[],\"comment\":";
    if (d) {
        const auto raw = n.text();
        const auto hash = raw.find('#');
        auto body = std::string_view(raw).substr(hash + 1);
        while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
        detail::append_json_string(out, body);
        out += ",\"disabled\":{\"directive\":";
        detail::append_json_string(out, d.name());
        out += ',';
        append_args(out, d.args(), d.name(), opt);
        out += '}';
    } else {
        detail::append_json_string(out, n.as_comment().text().substr(1));
    }
    out += '}';
}

// "directive", "line", "args" and, for includes, "includes" of an enabled directive.
void append_fields(std::string& out, const const_directive& d, const json_options& opt) {
    out += "{\"directive\":";
    detail::append_json_string(out, d.name());
    out += ",\"line\":" + std::to_string(d.name_position().line) + ',';
    auto args = d.args();
    if (d.is_lua_block()) args.emplace_back(d.lua_code());
    append_args(out, std::move(args), d.name(), opt);
    if (opt.includes_of && d.name() == "include") {
        out += ",\"includes\":[";
        const auto idx = opt.includes_of(d);
        for (std::size_t i = 0; i < idx.size(); ++i) {
            if (i) out += ',';
            out += std::to_string(idx[i]);
        }
        out += ']';
    }
}

// An enabled directive; a block directive's object stays open for its children (closed with
// `]}` when the walk leaves it).
void open_directive(std::string& out, const const_directive& d, const json_options& opt) {
    append_fields(out, d, opt);
    if (d.body()) {
        out += ",\"block\":[";
    } else {
        out += '}';
    }
}

// The JSON array of a block's children. An array being filled ends in '[' until its first
// element, and every element ends in '}': that tells where a ',' goes without a flag per level.
void append_block(std::string& out, const const_block& b, const json_options& opt) {
    out += '[';
    walk(b, [&](walk_event e, const const_node& n) {
        if (n.is_blank()) return walk_action::skip_children;
        const const_directive d = n.as_directive();
        const bool as_comment = n.is_comment() || !d.enabled();
        if (e == walk_event::leave) {
            if (!as_comment) out += "]}";
            return walk_action::descend;
        }
        if (as_comment && !opt.include_comments) return walk_action::skip_children;
        if (out.back() != '[') out += ',';
        if (as_comment) {
            append_comment(out, n, d, opt);
            return walk_action::skip_children;
        }
        open_directive(out, d, opt);
        return walk_action::descend;
    });
    out += ']';
}

}  // namespace

std::string to_crossplane_config(const document& doc, const json_options& opt) {
    std::string out = "{\"file\":";
    detail::append_json_string(out, doc.source_name());
    out += ",\"status\":\"ok\",\"errors\":[],\"parsed\":";
    append_block(out, doc.root(), opt);
    out += '}';
    return out;
}

std::string to_crossplane_json(const std::vector<const document*>& docs, const json_options& opt) {
    std::string out = "{\"status\":\"ok\",\"errors\":[],\"config\":[";
    for (std::size_t i = 0; i < docs.size(); ++i) {
        if (i) out += ',';
        out += to_crossplane_config(*docs[i], opt);
    }
    return out + "]}";
}

std::string to_crossplane_json(const document& doc, const json_options& opt) {
    return "{\"status\":\"ok\",\"errors\":[],\"config\":[" + to_crossplane_config(doc, opt) + "]}";
}

std::string crossplane_failure_json(const std::string& file, const error& err) {
    const auto line = err.where().begin.line;
    std::string msg = std::string(err.description()) + " in " + file;
    if (line) msg += ':' + std::to_string(line);
    std::string e = "{\"file\":";
    detail::append_json_string(e, file);
    e += ",\"line\":" + (line ? std::to_string(line) : std::string("null")) + ",\"error\":";
    detail::append_json_string(e, msg);
    // Beyond crossplane's fields: the stable code (diagnostic.hpp).
    e += ",\"code\":";
    detail::append_json_string(e, to_string(err.code()));
    e += '}';
    std::string out = "{\"status\":\"failed\",\"errors\":[" + e + "],\"config\":[{\"file\":";
    detail::append_json_string(out, file);
    out += ",\"status\":\"failed\",\"errors\":[{\"line\":" +
           (line ? std::to_string(line) : std::string("null")) + ",\"error\":";
    detail::append_json_string(out, msg);
    out += ",\"code\":";
    detail::append_json_string(out, to_string(err.code()));
    out += "}],\"parsed\":[]}]}";
    return out;
}

// One directive without its "block", for tools that list matches (ngxconf select); a
// commented-out one is written with its own name and arguments and "disabled": true.
std::string to_crossplane_directive(const const_directive& d, const json_options& opt) {
    std::string out;
    append_fields(out, d, opt);
    if (!d.enabled()) out += ",\"disabled\":true";
    out += '}';
    return out;
}

}  // namespace ngxconf
