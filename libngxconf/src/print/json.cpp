// crossplane-compatible JSON (crossplane's `parse` schema).
#include <ngxconf/json.hpp>
#include <ngxconf/walk.hpp>

#include "cst/doc_impl.hpp"
#include "print/crossplane_if.hpp"
#include "print/json_quote.hpp"

namespace ngxconf {
namespace {

void append_args(std::string& out, std::vector<std::string> args, std::string_view name,
                 const json_options& opt) {
    if (opt.strip_if_parens && name == "if") detail::strip_if_parens(args);
    out += "\"args\":[";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i) out += ',';
        detail::append_json_string(out, args[i], opt.bytes);
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
        detail::append_json_string(out, body, opt.bytes);
        out += ",\"disabled\":{\"directive\":";
        detail::append_json_string(out, d.name(), opt.bytes);
        out += ',';
        append_args(out, d.args(), d.name(), opt);
        out += '}';
    } else {
        detail::append_json_string(out, n.as_comment().text().substr(1), opt.bytes);
    }
    out += '}';
}

void append_span(std::string& out, const source_region& r) {
    if (!r.begin.known()) {
        out += "null";
        return;
    }
    out += "{\"offset\":" + std::to_string(r.begin.byte) + ",\"end\":" + std::to_string(r.end.byte) +
           ",\"line\":" + std::to_string(r.begin.line) + ",\"column\":" +
           std::to_string(r.begin.column) + ",\"end_line\":" + std::to_string(r.end.line) +
           ",\"end_column\":" + std::to_string(r.end.column) + '}';
}

// json_options::spans.
void append_spans(std::string& out, const const_directive& d) {
    out += ",\"span\":";
    append_span(out, d.tokens_region());
    out += ",\"name_span\":";
    append_span(out, d.name_region());
    out += ",\"arg_spans\":[";
    for (std::size_t i = 0; i < d.arg_count(); ++i) {
        if (i) out += ',';
        append_span(out, d.arg_region(i));
    }
    if (d.is_lua_block()) {
        if (d.arg_count()) out += ',';
        append_span(out, d.lua_code_region());
    }
    out += ']';
}

// "directive", "line", "args" and, for includes, "includes" of an enabled directive.
void append_fields(std::string& out, const const_directive& d, const json_options& opt) {
    out += "{\"directive\":";
    detail::append_json_string(out, d.name(), opt.bytes);
    out += ",\"line\":" + std::to_string(d.name_position().line) + ',';
    auto args = d.args();
    if (d.is_lua_block()) args.emplace_back(d.lua_code());
    append_args(out, std::move(args), d.name(), opt);
    if (opt.spans) append_spans(out, d);
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
        if (n.is_blank() || n.is_error()) return walk_action::skip_children;
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
    detail::append_json_string(out, doc.source_name(), json_bytes::surrogateescape);
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

namespace {
// crossplane's error text, "DESCRIPTION in FILE:LINE", as a JSON string: the file name as
// Python reads it (surrogateescape), the description's bytes as `mode` says.
std::string failure_message(const std::string& file, const error& err, json_bytes mode) {
    const auto line = err.where().begin.line;
    std::string msg = "\"";
    detail::append_json_chars(msg, err.description(), mode);
    msg += " in ";
    detail::append_json_chars(msg, file, json_bytes::surrogateescape);
    if (line) msg += ':' + std::to_string(line);
    return msg + '"';
}
}  // namespace

std::string crossplane_failure_json(const std::string& file, const error& err) {
    return crossplane_failure_json(file, err, json_bytes::replace);
}

std::string crossplane_failure_json(const std::string& file, const error& err, json_bytes mode) {
    const auto line = err.where().begin.line;
    const std::string line_json = line ? std::to_string(line) : std::string("null");
    const auto msg = failure_message(file, err, mode);
    const auto quoted_file = json_quote(file, json_bytes::surrogateescape);
    // Beyond crossplane's fields: the stable code (diagnostic.hpp).
    const auto code = json_quote(to_string(err.code()));
    const std::string e = "{\"file\":" + quoted_file + ",\"line\":" + line_json +
                          ",\"error\":" + msg + ",\"code\":" + code + '}';
    return "{\"status\":\"failed\",\"errors\":[" + e + "],\"config\":[{\"file\":" + quoted_file +
           ",\"status\":\"failed\",\"errors\":[{\"line\":" + line_json + ",\"error\":" + msg +
           ",\"code\":" + code + "}],\"parsed\":[]}]}";
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
