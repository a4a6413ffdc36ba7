// The public node handles: thin accessors over doc_impl.
#include <ngxconf/document.hpp>
#include <ngxconf/node.hpp>

#include "cst/doc_impl.hpp"
#include "cst/emit.hpp"

namespace ngxconf {
using detail::npos32;

namespace {
const detail::item& rec(const detail::doc_impl* d, std::uint32_t id) { return d->items[id]; }
void require(bool ok, const char* what) {
    if (!ok) throw usage_error(what);
}
}  // namespace

node_kind node::kind() const {
    require(doc_, "node::kind on a null handle");
    return rec(doc_, id_).kind;
}
directive node::as_directive() const {
    return doc_ && kind() == node_kind::directive ? directive(doc_, id_) : directive();
}
comment node::as_comment() const {
    return doc_ && kind() == node_kind::comment ? comment(doc_, id_) : comment();
}
block node::as_block() const {
    if (!doc_) return {};
    const auto& it = rec(doc_, id_);
    if (it.kind == node_kind::root) return block(doc_, id_);
    if ((it.flags & detail::f_block) && !(it.flags & detail::f_lua)) return block(doc_, id_);
    return {};
}
block node::parent() const {
    require(doc_, "node::parent on a null handle");
    return doc_->handle<block>(rec(doc_, id_).parent);
}
node node::next_sibling() const {
    require(doc_, "node::next_sibling on a null handle");
    return doc_->handle<node>(rec(doc_, id_).next);
}
node node::prev_sibling() const {
    require(doc_, "node::prev_sibling on a null handle");
    return doc_->handle<node>(rec(doc_, id_).prev);
}
bool node::removed() const { return doc_ && (rec(doc_, id_).flags & detail::f_removed); }
bool node::edited() const {
    if (!doc_) return false;
    const auto f = rec(doc_, id_).flags;
    return (f & detail::f_owned) ||
           ((f & detail::f_disabled) != 0) != ((f & detail::f_src_disabled) != 0);
}
source_position node::position() const {
    require(doc_, "node::position on a null handle");
    const auto& it = rec(doc_, id_);
    if (it.kind == node_kind::root) return doc_->position_of(0);
    if (it.begin == npos32) return {};
    return doc_->position_of(it.begin);
}
source_region node::region() const {
    require(doc_, "node::region on a null handle");
    const auto& it = rec(doc_, id_);
    source_region r;
    r.file = doc_->name;
    if (it.kind == node_kind::root) {
        r.begin = doc_->position_of(0);
        r.end = doc_->position_of(doc_->source.size());
    } else if (it.begin != npos32) {
        r.begin = doc_->position_of(it.begin);
        const bool tail = (it.flags & detail::f_block) && !(it.flags & detail::f_lua);
        r.end = doc_->position_of(tail ? doc_->links(id_).tail_end : it.end);
    }
    return r;
}
std::string node::text() const {
    require(doc_, "node::text on a null handle");
    std::string s;
    detail::string_out out{s};
    doc_->write_node(id_, out);
    return s;
}
document& node::owner() const {
    require(doc_, "node::owner on a null handle");
    return *doc_->owner;
}

node block::first_child() const {
    require(doc_, "block::first_child on a null handle");
    return doc_->handle<node>(doc_->first_child(id_));
}
node block::last_child() const {
    require(doc_, "block::last_child on a null handle");
    return doc_->handle<node>(doc_->last_child(id_));
}
std::size_t block::size() const {
    std::size_t n = 0;
    for (auto it = begin(); it != end(); ++it) ++n;
    return n;
}
bool block::is_root() const { return doc_ && id_ == 0; }
directive block::owner_directive() const {
    return doc_ && id_ != 0 ? directive(doc_, id_) : directive();
}

std::string_view directive::name() const {
    require(doc_, "accessor on a null handle");
    // Queries ask every directive its name: read a plain name straight from the source
    // instead of re-lexing the whole directive.
    const auto& it = rec(doc_, id_);
    if (!(it.flags & detail::f_owned) && it.kind == node_kind::directive) {
        const std::string_view src = doc_->source;
        std::uint32_t p = (it.flags & detail::f_src_disabled) ? it.begin + it.marker + 1u : it.begin;
        while (p < it.end && (src[p] == ' ' || src[p] == '\t' || src[p] == '\r')) ++p;
        const std::uint32_t start = p;
        while (p < it.end) {
            const char c = src[p];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{') break;
            if (c == '\\' || c == '$' || ((c == '"' || c == '\'' || c == '#') && p == start)) {
                return doc_->view(id_).name;  // escapes, ${...}, quotes, comments: the lexer decides
            }
            ++p;
        }
        return src.substr(start, p - start);
    }
    return doc_->view(id_).name;
}
std::size_t directive::arg_count() const {
    require(doc_, "accessor on a null handle");
    return doc_->view(id_).args.size();
}
std::string_view directive::raw_arg(std::size_t i) const {
    require(doc_, "accessor on a null handle");
    const auto& v = doc_->view(id_);
    if (i >= v.args.size()) throw usage_error("directive::raw_arg: index out of range");
    return v.args[i].raw;
}
std::string directive::arg(std::size_t i) const { return detail::decode_token(raw_arg(i)); }
std::vector<std::string> directive::args() const {
    require(doc_, "accessor on a null handle");
    const auto& v = doc_->view(id_);
    std::vector<std::string> out;
    out.reserve(v.args.size());
    for (const auto& a : v.args) out.push_back(detail::decode_token(a.raw));
    return out;
}
quote_style directive::quote(std::size_t i) const { return detail::quote_of(raw_arg(i)); }
bool directive::enabled() const {
    require(doc_, "accessor on a null handle");
    return !(rec(doc_, id_).flags & detail::f_disabled);
}
bool directive::in_commented_block() const {
    require(doc_, "accessor on a null handle");
    return rec(doc_, id_).flags & detail::f_in_region;
}
bool directive::has_block() const {
    require(doc_, "accessor on a null handle");
    return rec(doc_, id_).flags & detail::f_block;
}
block directive::body() const { return as_block(); }
bool directive::is_lua_block() const {
    require(doc_, "accessor on a null handle");
    return rec(doc_, id_).flags & detail::f_lua;
}
std::string_view directive::lua_code() const {
    require(doc_, "accessor on a null handle");
    return doc_->view(id_).lua;
}
std::string directive::indent() const {
    require(doc_, "accessor on a null handle");
    return doc_->view(id_).indent;
}
source_position directive::name_position() const {
    require(doc_, "accessor on a null handle");
    const auto off = doc_->view(id_).name_offset;
    return off == npos32 ? source_position{} : doc_->position_of(off);
}

std::string_view comment::text() const {
    require(doc_, "accessor on a null handle");
    const auto& it = rec(doc_, id_);
    std::string_view s;
    if (it.flags & detail::f_owned) {
        s = doc_->parts_of(id_).name;
    } else {
        s = std::string_view(doc_->source).substr(it.begin, it.end - it.begin);
    }
    const auto hash = s.find('#');
    s = hash == std::string_view::npos ? std::string_view{} : s.substr(hash);
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);  // a CRLF line end
    return s;
}
bool comment::in_commented_block() const {
    require(doc_, "accessor on a null handle");
    return rec(doc_, id_).flags & detail::f_in_region;
}

}  // namespace ngxconf
