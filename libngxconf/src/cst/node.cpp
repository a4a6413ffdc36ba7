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

template <bool M>
node_kind basic_node<M>::kind() const {
    require(doc_, "node::kind on a null handle");
    return rec(doc_, id_).kind;
}
template <bool M>
basic_directive<M> basic_node<M>::as_directive() const {
    return doc_ && kind() == node_kind::directive ? basic_directive<M>(doc_, id_) : basic_directive<M>();
}
template <bool M>
basic_comment<M> basic_node<M>::as_comment() const {
    return doc_ && kind() == node_kind::comment ? basic_comment<M>(doc_, id_) : basic_comment<M>();
}
template <bool M>
basic_block<M> basic_node<M>::as_block() const {
    if (!doc_) return {};
    const auto& it = rec(doc_, id_);
    if (it.kind == node_kind::root) return basic_block<M>(doc_, id_);
    if ((it.flags & detail::f_block) && !(it.flags & detail::f_lua)) return basic_block<M>(doc_, id_);
    return {};
}
template <bool M>
basic_block<M> basic_node<M>::parent() const {
    require(doc_, "node::parent on a null handle");
    return doc_->template handle<basic_block<M>>(rec(doc_, id_).parent);
}
template <bool M>
basic_node<M> basic_node<M>::next_sibling() const {
    require(doc_, "node::next_sibling on a null handle");
    return doc_->template handle<basic_node<M>>(rec(doc_, id_).next);
}
template <bool M>
basic_node<M> basic_node<M>::prev_sibling() const {
    require(doc_, "node::prev_sibling on a null handle");
    return doc_->template handle<basic_node<M>>(rec(doc_, id_).prev);
}
template <bool M>
bool basic_node<M>::removed() const { return doc_ && (rec(doc_, id_).flags & detail::f_removed); }
template <bool M>
bool basic_node<M>::edited() const {
    if (!doc_) return false;
    const auto f = rec(doc_, id_).flags;
    return (f & detail::f_owned) ||
           ((f & detail::f_disabled) != 0) != ((f & detail::f_src_disabled) != 0);
}
template <bool M>
source_position basic_node<M>::position() const {
    require(doc_, "node::position on a null handle");
    const auto& it = rec(doc_, id_);
    if (it.kind == node_kind::root) return doc_->position_of(0);
    if (it.begin == npos32) return {};
    return doc_->position_of(it.begin);
}
template <bool M>
source_region basic_node<M>::region() const {
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
template <bool M>
std::string basic_node<M>::text() const {
    require(doc_, "node::text on a null handle");
    std::string s;
    detail::string_out out{s};
    doc_->write_node(id_, out);
    return s;
}
template <bool M>
detail::document_ref<M> basic_node<M>::owner() const {
    require(doc_, "node::owner on a null handle");
    return *doc_->owner;
}

template <bool M>
basic_node<M> basic_block<M>::first_child() const {
    require(this->doc_, "block::first_child on a null handle");
    return this->doc_->template handle<basic_node<M>>(this->doc_->first_child(this->id_));
}
template <bool M>
basic_node<M> basic_block<M>::last_child() const {
    require(this->doc_, "block::last_child on a null handle");
    return this->doc_->template handle<basic_node<M>>(this->doc_->last_child(this->id_));
}
template <bool M>
std::size_t basic_block<M>::size() const {
    std::size_t n = 0;
    for (auto it = begin(); it != end(); ++it) ++n;
    return n;
}
template <bool M>
bool basic_block<M>::is_root() const { return this->doc_ && this->id_ == 0; }
template <bool M>
basic_directive<M> basic_block<M>::owner_directive() const {
    return this->doc_ && this->id_ != 0 ? basic_directive<M>(this->doc_, this->id_) : basic_directive<M>();
}
template <bool M>
std::string_view basic_directive<M>::name() const {
    require(this->doc_, "accessor on a null handle");
    // Queries ask every directive its name: read a plain name straight from the source
    // instead of re-lexing the whole directive. A quoted or escaped name is decoded on its
    // first use and kept (doc_impl::decoded_name).
    const auto& it = rec(this->doc_, this->id_);
    if (!(it.flags & detail::f_owned) && it.kind == node_kind::directive) {
        const std::string_view src = this->doc_->source;
        std::uint32_t p = (it.flags & detail::f_src_disabled) ? it.begin + it.marker + 1u : it.begin;
        while (p < it.end && (src[p] == ' ' || src[p] == '\t' || src[p] == '\r')) ++p;
        const std::uint32_t start = p;
        while (p < it.end) {
            const char c = src[p];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{') break;
            if (c == '\\' || c == '$' || ((c == '"' || c == '\'' || c == '#') && p == start)) {
                // escapes, ${...}, quotes, comments: the lexer decides
                return this->doc_->decoded_name(this->id_, this->doc_->view(this->id_).name);
            }
            ++p;
        }
        return src.substr(start, p - start);
    }
    return this->doc_->decoded_name(this->id_, this->doc_->view(this->id_).name);
}
template <bool M>
std::string_view basic_directive<M>::raw_name() const {
    require(this->doc_, "accessor on a null handle");
    return this->doc_->view(this->id_).name;
}
template <bool M>
std::size_t basic_directive<M>::arg_count() const {
    require(this->doc_, "accessor on a null handle");
    return this->doc_->view(this->id_).args.size();
}
template <bool M>
std::string_view basic_directive<M>::raw_arg(std::size_t i) const {
    require(this->doc_, "accessor on a null handle");
    const auto& v = this->doc_->view(this->id_);
    if (i >= v.args.size()) throw usage_error("directive::raw_arg: index out of range");
    return v.args[i].raw;
}
template <bool M>
std::string basic_directive<M>::arg(std::size_t i) const { return detail::decode_token(raw_arg(i)); }
template <bool M>
std::vector<std::string> basic_directive<M>::args() const {
    require(this->doc_, "accessor on a null handle");
    const auto& v = this->doc_->view(this->id_);
    std::vector<std::string> out;
    out.reserve(v.args.size());
    for (const auto& a : v.args) out.push_back(detail::decode_token(a.raw));
    return out;
}
template <bool M>
quote_style basic_directive<M>::quote(std::size_t i) const { return detail::quote_of(raw_arg(i)); }
template <bool M>
bool basic_directive<M>::enabled() const {
    require(this->doc_, "accessor on a null handle");
    return !(rec(this->doc_, this->id_).flags & detail::f_disabled);
}
template <bool M>
bool basic_directive<M>::in_commented_block() const {
    require(this->doc_, "accessor on a null handle");
    return rec(this->doc_, this->id_).flags & detail::f_in_region;
}
template <bool M>
bool basic_directive<M>::has_block() const {
    require(this->doc_, "accessor on a null handle");
    return rec(this->doc_, this->id_).flags & detail::f_block;
}
template <bool M>
basic_block<M> basic_directive<M>::body() const { return this->as_block(); }
template <bool M>
bool basic_directive<M>::is_lua_block() const {
    require(this->doc_, "accessor on a null handle");
    return rec(this->doc_, this->id_).flags & detail::f_lua;
}
template <bool M>
std::string_view basic_directive<M>::lua_code() const {
    require(this->doc_, "accessor on a null handle");
    return this->doc_->view(this->id_).lua;
}
template <bool M>
std::string basic_directive<M>::indent() const {
    require(this->doc_, "accessor on a null handle");
    return this->doc_->view(this->id_).indent;
}
template <bool M>
source_position basic_directive<M>::name_position() const {
    require(this->doc_, "accessor on a null handle");
    const auto off = this->doc_->view(this->id_).name_offset;
    return off == npos32 ? source_position{} : this->doc_->position_of(off);
}
template <bool M>
source_region basic_directive<M>::name_region() const {
    require(this->doc_, "accessor on a null handle");
    return this->doc_->region_of(this->doc_->view(this->id_).name);
}
template <bool M>
source_region basic_directive<M>::arg_region(std::size_t i) const {
    require(this->doc_, "accessor on a null handle");
    const auto& v = this->doc_->view(this->id_);
    if (i >= v.args.size()) throw usage_error("directive::arg_region: index out of range");
    return this->doc_->region_of(v.args[i].raw);
}
template <bool M>
source_region basic_directive<M>::lua_code_region() const {
    require(this->doc_, "accessor on a null handle");
    if (!is_lua_block()) return {this->doc_->name, {}, {}};
    const auto* d = this->doc_;
    const auto& v = d->view(this->id_);
    if (!v.lua.empty()) return d->region_of(v.lua);
    // No code at all: the empty run right after the `{`.
    const auto term = d->offset_in_source(v.term);
    if (term == npos32) return {d->name, {}, {}};
    return d->region_of(std::string_view(d->source).substr(term + 1, 0));
}
template <bool M>
source_region basic_directive<M>::tokens_region() const {
    require(this->doc_, "accessor on a null handle");
    const auto* d = this->doc_;
    const auto& v = d->view(this->id_);
    source_region r{d->name, {}, {}};
    const auto begin = d->offset_in_source(v.name);
    std::uint32_t end = npos32;
    if (has_block()) {
        end = d->offset_in_source(v.close_trailing);  // just past the `}` (the view has no `}`)
    } else if (const auto term = d->offset_in_source(v.term); term != npos32) {
        end = term + static_cast<std::uint32_t>(v.term.size());
    }
    if (begin == npos32 || end == npos32) return r;
    r.begin = d->position_of(begin);
    r.end = d->position_of(end);
    return r;
}
template <bool M>
std::string_view basic_comment<M>::text() const {
    require(this->doc_, "accessor on a null handle");
    const auto& it = rec(this->doc_, this->id_);
    std::string_view s;
    if (it.flags & detail::f_owned) {
        s = this->doc_->parts_of(this->id_).name;
    } else {
        s = std::string_view(this->doc_->source).substr(it.begin, it.end - it.begin);
    }
    const auto hash = s.find('#');
    s = hash == std::string_view::npos ? std::string_view{} : s.substr(hash);
    if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);  // a CRLF line end
    return s;
}
template <bool M>
bool basic_comment<M>::in_commented_block() const {
    require(this->doc_, "accessor on a null handle");
    return rec(this->doc_, this->id_).flags & detail::f_in_region;
}

template class basic_node<true>;
template class basic_node<false>;
template class basic_block<true>;
template class basic_block<false>;
template class basic_directive<true>;
template class basic_directive<false>;
template class basic_comment<true>;
template class basic_comment<false>;

}  // namespace ngxconf
