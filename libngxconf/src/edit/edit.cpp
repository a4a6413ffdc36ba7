// The edit operations of edit.hpp. Each changes one node's fields; printing does the rest.
#include <ngxconf/edit.hpp>
#include <ngxconf/error.hpp>

#include "cst/builder.hpp"
#include "cst/doc_impl.hpp"
#include "cst/emit.hpp"
#include "edit/layout.hpp"

namespace ngxconf {
using detail::npos32;

namespace {

detail::doc_impl& impl_of(const node& n) {
    if (!n) throw usage_error("edit on a null node handle");
    auto& d = detail::doc_access::of(n.owner());
    if (d.retired) throw usage_error("edit through a handle of a replaced document");
    return d;
}

detail::item& live_item(const node& n) {
    auto& d = impl_of(n);
    auto& it = d.items[n.id()];
    if (it.flags & detail::f_removed) throw usage_error("edit on a removed node");
    return it;
}

bool is_identifier(std::string_view s) {
    if (s.empty()) return false;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!alpha(s[0])) return false;
    for (char c : s) {
        if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
    }
    return true;
}

// Whether the directive can live as one `#...` line: no LF or comment inside it, alone on
// its line, and its text reads back as a disabled directive.
bool fits_one_comment_line(detail::doc_impl& d, std::uint32_t id) {
    const auto& v = d.view(id);
    auto clean = [](std::string_view s) {
        return s.find('\n') == std::string_view::npos && s.find('#') == std::string_view::npos;
    };
    for (const auto& a : v.args) {
        if (!clean(a.before) || a.raw.find('\n') != std::string_view::npos) return false;
    }
    if (!clean(v.term_before) || v.term != ";") return false;
    if (!detail::starts_line(d, id)) return false;
    const auto& it = d.items[id];
    const bool at_end = it.next == npos32 && it.parent == 0;
    if (!v.trailing.empty() ? v.trailing.back() != '\n' && !at_end : !at_end) return false;
    std::string body(v.name);
    for (const auto& a : v.args) body.append(a.before).append(a.raw);
    body.append(v.term_before).append(v.term);
    return detail::classify_comment_body(body).what == detail::comment_shape::kind::directive;
}

}  // namespace

std::string_view to_string(toggle_status s) noexcept {
    switch (s) {
        case toggle_status::changed: return "changed";
        case toggle_status::unchanged: return "unchanged";
        case toggle_status::is_block: return "is a block directive";
        case toggle_status::not_single_line: return "not a single-line directive";
        case toggle_status::inside_commented_block: return "inside a commented-out block";
    }
    return "?";
}

toggle_status set_enabled(const directive& dir, bool on) {
    auto& it = live_item(dir);
    auto& d = impl_of(dir);
    if (it.kind != node_kind::directive) throw usage_error("set_enabled on a non-directive");
    if (it.flags & detail::f_block) return toggle_status::is_block;
    if (it.flags & detail::f_in_region) return toggle_status::inside_commented_block;
    const bool enabled = !(it.flags & detail::f_disabled);
    if (enabled == on) return toggle_status::unchanged;
    if (on) {
        it.flags = static_cast<std::uint16_t>(it.flags & ~detail::f_disabled);
    } else {
        if (!fits_one_comment_line(d, dir.id())) return toggle_status::not_single_line;
        // SWAG style: '#' right before the name. A directive that was disabled in the source
        // (or disabled before) keeps the place its '#' had, so on->off->on is reversible.
        if (!(it.flags & detail::f_src_disabled) && it.marker_set == 0) {
            const auto n = d.view(dir.id()).indent.size();
            it.marker = static_cast<std::uint16_t>(std::min<std::size_t>(n, 0xFFFF));
            it.marker_set = 1;
        }
        it.flags |= detail::f_disabled;
    }
    d.touch(dir.id());
    return toggle_status::changed;
}

namespace {

detail::parts& own_directive(const directive& dir) {
    auto& it = live_item(dir);
    if (it.kind != node_kind::directive) throw usage_error("edit of a non-directive as directive");
    auto& d = impl_of(dir);
    return d.own(dir.id());
}

}  // namespace

toggle_status enable_at_block_indent(const directive& dir) {
    auto& it = live_item(dir);
    auto& d = impl_of(dir);
    const bool disabled = it.kind == node_kind::directive && (it.flags & detail::f_disabled) != 0;
    // The blanks before the name, without the '#' (which sits at `marker` in them).
    const std::string before = disabled ? std::string(d.view(dir.id()).indent) : std::string();
    const std::size_t marker = it.marker;
    const auto status = set_enabled(dir, true);
    if (status != toggle_status::changed || before.size() <= marker) return status;
    if (!detail::starts_line(d, dir.id())) return status;
    std::string wanted = detail::indent_for_new(d, it.parent, it.prev, it.next);
    if (wanted == before) return status;
    own_directive(dir).indent = std::move(wanted);
    d.touch(dir.id());
    return status;
}

namespace {

bool closed_quote(std::string_view raw) {
    return raw.size() >= 2 && (raw.front() == '"' || raw.front() == '\'') && raw.back() == raw.front();
}

// nginx lets a ')' follow a closing quote with no blank between (`if ($a = "b")`). After a
// replacement either side of such a seam, the two tokens stay apart only if that still holds;
// otherwise the seam gets one space.
void keep_tokens_apart(detail::parts& p) {
    for (std::size_t i = 0; i < p.args.size(); ++i) {
        auto& a = p.args[i];
        if (!a.before.empty()) continue;
        const std::string_view prev = i == 0 ? std::string_view(p.name) : p.args[i - 1].raw;
        if (closed_quote(prev) && !a.raw.empty() && a.raw.front() == ')') continue;
        a.before.assign(1, ' ');
    }
    // nginx keeps in the word every '{' that follows a '$' (`${var}`; its reader's `variable`
    // flag stays set through a run of them: `t${{` is one word): a last token ending in '$'
    // and any '{'s must not touch the block's '{'.
    std::string_view last = p.args.empty() ? std::string_view(p.name) : p.args.back().raw;
    while (!last.empty() && last.back() == '{') last.remove_suffix(1);
    if (p.term == "{" && p.term_before.empty() && !last.empty() && last.back() == '$') {
        p.term_before.assign(1, ' ');
    }
}

bool is_lua_name(std::string_view name) {
    constexpr std::string_view suffix = "_by_lua_block";
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
}

// OpenResty ends a Lua block at the first `}` outside Lua strings, and a Lua string may not
// cross a line. A quote written after a Lua block on the same line could pair with an open
// quote inside the block and move its end (nginx would then read what follows as Lua), so
// such an edit is refused.
// `before` is the node printed right before the new bytes (npos32: none).
void check_after_lua(detail::doc_impl& d, std::uint32_t before, std::string_view added) {
    if (added.find_first_of("\"'") == std::string_view::npos) return;
    for (auto p = before; p != npos32; p = d.items[p].prev) {
        if (d.items[p].flags & detail::f_lua) {
            throw usage_error("an edit may not write a quote on the line where a Lua block ends");
        }
        if (detail::last_byte(d, p) == '\n') return;
    }
}

void check_value_fits(const directive& dir, std::string_view raw) {
    // A disabled directive is a comment line: its arguments must stay on it.
    if (!dir.enabled() && raw.find('\n') != std::string_view::npos) {
        throw usage_error("a value with a line break cannot go into a commented-out directive");
    }
}

}  // namespace

void set_arg(const directive& dir, std::size_t i, std::string_view value) {
    if (i >= dir.arg_count()) throw usage_error("set_arg: argument index out of range");
    const auto style = dir.quote(i);
    auto raw = spell_value(value, style);
    check_value_fits(dir, raw);
    check_after_lua(impl_of(dir), impl_of(dir).items[dir.id()].prev, raw);
    auto& p = own_directive(dir);
    p.args[i].raw = std::move(raw);
    keep_tokens_apart(p);
}

void set_args(const directive& dir, const std::vector<std::string>& values) {
    std::vector<std::string> raws;
    for (std::size_t i = 0; i < values.size(); ++i) {
        raws.push_back(spell_value(values[i], i < dir.arg_count() ? dir.quote(i) : quote_style::none));
        check_value_fits(dir, raws.back());
        check_after_lua(impl_of(dir), impl_of(dir).items[dir.id()].prev, raws.back());
    }
    auto& p = own_directive(dir);
    if (raws.size() < p.args.size()) p.args.resize(raws.size());
    for (std::size_t i = 0; i < raws.size(); ++i) {
        if (i < p.args.size()) {
            p.args[i].raw = std::move(raws[i]);
        } else {
            p.args.push_back({" ", std::move(raws[i])});
        }
    }
    keep_tokens_apart(p);
}

void rename(const directive& dir, std::string_view name) {
    if (name.empty() || spell_value(name) != name) {
        throw usage_error("rename: a directive name must be one bare word");
    }
    if (!dir.enabled() && !is_identifier(name)) {
        throw usage_error("rename: a commented-out directive needs a name like [A-Za-z_][A-Za-z0-9_]*");
    }
    // The body of a *_by_lua_block is Lua, of any other block directives: a block of lines
    // either way the other reading of the same bytes would break the file.
    if (dir.has_block() && is_lua_name(dir.name()) != is_lua_name(name)) {
        throw usage_error("rename: a block cannot change between Lua and ordinary directives");
    }
    check_after_lua(impl_of(dir), impl_of(dir).items[dir.id()].prev, name);
    auto& p = own_directive(dir);
    p.name = std::string(name);
    impl_of(dir).decoded_names.erase(dir.id());
    keep_tokens_apart(p);
}

namespace {

struct place {
    std::uint32_t parent;
    std::uint32_t prev;  // the node the new one follows (npos: first child)
    std::uint32_t next;  // the node the new one precedes (npos: last child)
};

place place_for(const node& anchor, insert_at where) {
    auto& d = impl_of(anchor);
    (void)live_item(anchor);
    const auto id = anchor.id();
    const auto& it = d.items[id];
    switch (where) {
        case insert_at::before:
        case insert_at::after:
            if (it.kind == node_kind::root) throw usage_error("insert before/after the root");
            return where == insert_at::before ? place{it.parent, it.prev, id}
                                              : place{it.parent, id, it.next};
        case insert_at::first_child:
        case insert_at::last_child: {
            if (!anchor.as_block()) throw usage_error("insert as a child of a node without a block");
            return where == insert_at::first_child ? place{id, npos32, d.first_child(id)}
                                                   : place{id, d.last_child(id), npos32};
        }
    }
    throw usage_error("insert: bad position");
}

enum class mode : std::uint8_t { own_line, at_eof, inline_ };

mode mode_for(detail::doc_impl& d, const place& p) {
    int before = '\n';
    if (p.prev != npos32) {
        before = detail::last_byte(d, p.prev);
        if (before == detail::no_byte) before = detail::byte_before(d, p.prev);
    } else if (p.parent != 0) {
        std::string head;
        detail::string_out out{head};
        d.write_head(p.parent, out);
        before = head.empty() ? '\n' : head.back();
    }
    if (before == '\n') return mode::own_line;
    if (p.next == npos32 && p.parent == 0) return mode::at_eof;
    return mode::inline_;
}

// At the end of a file without a final newline: the previous node gets the newline (it
// owns its line end, R1) and the new node ends the file without one.
void end_previous_line(detail::doc_impl& d, std::uint32_t prev, const std::string& nl) {
    auto& it = d.items[prev];
    auto& p = d.own(prev);
    if (it.kind != node_kind::directive) {
        p.name += nl;
    } else if ((it.flags & detail::f_block) || (it.flags & detail::f_lua)) {
        p.close_trailing += nl;
    } else {
        p.trailing += nl;
    }
}

std::uint32_t link_new(detail::doc_impl& d, const place& p, detail::item it,
                       std::unique_ptr<detail::parts> parts) {
    it.begin = npos32;
    it.end = npos32;
    it.flags |= detail::f_owned;
    const auto id = d.items.push(it);
    d.links(id).parts = static_cast<std::uint32_t>(d.owned.size());
    d.owned.push_back(std::move(parts));
    if (p.next != npos32) {
        d.insert_before(p.next, id);
    } else {
        d.append_child(p.parent, id);
    }
    return id;
}

std::uint32_t insert_shaped(const node& anchor, insert_at where, std::string_view name,
                            const std::vector<std::string>& args, bool with_block) {
    if (name.empty() || spell_value(name) != name) {
        throw usage_error("insert: a directive name must be one bare word");
    }
    if (with_block && is_lua_name(name)) {
        throw usage_error("insert_block: a *_by_lua_block holds Lua code, not directives");
    }
    auto& d = impl_of(anchor);
    const auto p = place_for(anchor, where);
    if (with_block && p.parent != 0 && d.options.handler_blocks &&
        detail::is_handler_block(d.handle<directive>(p.parent).name())) {
        throw usage_error("insert_block: nginx reads the body of " +
                          std::string(d.handle<directive>(p.parent).name()) +
                          " line by line; it holds no blocks");
    }
    const auto m = mode_for(d, p);
    if (m == mode::inline_) {
        std::string added(name);
        for (const auto& a : args) added += spell_value(a);
        check_after_lua(d, p.prev, added);
    }
    const std::string nl = d.owner->style().newline;
    auto parts = std::make_unique<detail::parts>();
    parts->generated = true;
    parts->name = std::string(name);
    for (const auto& a : args) parts->args.push_back({" ", spell_value(a)});
    detail::item it;
    it.kind = node_kind::directive;
    const std::string indent = detail::indent_for_new(d, p.parent, p.prev, p.next);
    if (m == mode::at_eof) end_previous_line(d, p.prev, nl);
    const std::string line_end = m == mode::own_line ? nl : m == mode::inline_ ? " " : "";
    parts->indent = m == mode::inline_ ? "" : indent;
    if (with_block) {
        it.flags |= detail::f_block;
        parts->term_before.assign(1, ' ');
        parts->term.assign(1, '{');
        if (m == mode::inline_) {
            parts->close_trailing = line_end;
        } else {
            parts->trailing = nl;
            parts->close_before = indent;
            parts->close_trailing = line_end;
        }
    } else {
        parts->term.assign(1, ';');
        parts->trailing = line_end;
    }
    return link_new(d, p, it, std::move(parts));
}

}  // namespace

directive insert_directive(const node& anchor, insert_at where, std::string_view name,
                           const std::vector<std::string>& args) {
    const auto id = insert_shaped(anchor, where, name, args, false);
    return impl_of(anchor).handle<directive>(id);
}

directive insert_block(const node& anchor, insert_at where, std::string_view name,
                       const std::vector<std::string>& args) {
    const auto id = insert_shaped(anchor, where, name, args, true);
    return impl_of(anchor).handle<directive>(id);
}

comment insert_comment(const node& anchor, insert_at where, std::string_view text) {
    auto& d = impl_of(anchor);
    const auto p = place_for(anchor, where);
    const auto m = mode_for(d, p);
    if (m == mode::inline_) throw usage_error("insert_comment: a comment cannot go mid-line");
    if (text.find('\n') != std::string_view::npos) {
        throw usage_error("insert_comment: one line only");
    }
    const std::string nl = d.owner->style().newline;
    if (m == mode::at_eof) end_previous_line(d, p.prev, nl);
    auto parts = std::make_unique<detail::parts>();
    parts->generated = true;
    parts->name = detail::indent_for_new(d, p.parent, p.prev, p.next);
    parts->name += (!text.empty() && text[0] == '#') ? std::string(text) : "# " + std::string(text);
    if (m == mode::own_line) parts->name += nl;
    detail::item it;
    it.kind = node_kind::comment;
    const auto id = link_new(d, p, it, std::move(parts));
    return d.handle<comment>(id);
}

void remove(const node& n) {
    auto& it = live_item(n);
    if (it.kind == node_kind::root) throw usage_error("remove: the root cannot be removed");
    auto& d = impl_of(n);
    // A node that ends a line it did not start (`a; b;\n` minus b) leaves its line end
    // behind, else the next line would join the previous one (and could turn into its
    // end-of-line comment).
    std::string line_end;
    if (detail::byte_before(d, n.id()) != '\n' && detail::last_byte(d, n.id()) == '\n') {
        std::string text;
        detail::string_out out{text};
        d.write_node(n.id(), out);
        line_end = text.size() >= 2 && text[text.size() - 2] == '\r' ? "\r\n" : "\n";
    }
    const auto prev = it.prev;
    const auto parent = it.parent;
    d.unlink(n.id());
    it.flags |= detail::f_removed;
    if (!line_end.empty()) {
        if (prev != npos32) {
            end_previous_line(d, prev, line_end);
        } else {
            d.own(parent).trailing += line_end;  // the parent's `{` line
        }
    }
}

void detach_from_source(document& doc) {
    auto& d = detail::doc_access::of(doc);
    for (std::uint32_t id = 1; id < d.items.size(); ++id) {
        if (!(d.items[id].flags & detail::f_removed)) d.own(id);
    }
}

}  // namespace ngxconf
