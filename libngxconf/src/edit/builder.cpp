// config_builder and reformat(): canonical formatting for generated text.
#include <ngxconf/builder.hpp>
#include <ngxconf/edit.hpp>
#include <ngxconf/error.hpp>

#include "cst/doc_impl.hpp"
#include "cst/id_walk.hpp"

namespace ngxconf {

config_builder::config_builder(text_style style) : style_(std::move(style)) {}

void config_builder::line(std::string_view body) {
    for (int i = 0; i < depth_; ++i) out_ += style_.indent_unit;
    out_ += body;
    out_ += style_.newline;
}

namespace {
std::string spelled(std::string_view name, const std::vector<std::string>& args) {
    if (name.empty() || spell_value(name) != name) {
        throw usage_error("config_builder: a directive name must be one bare word");
    }
    std::string s(name);
    for (const auto& a : args) s += ' ' + spell_value(a);
    return s;
}
}  // namespace

config_builder& config_builder::directive(std::string_view name, const std::vector<std::string>& args) {
    line(spelled(name, args) + ';');
    return *this;
}

config_builder& config_builder::open(std::string_view name, const std::vector<std::string>& args) {
    line(spelled(name, args) + " {");
    ++depth_;
    return *this;
}

config_builder& config_builder::close() {
    if (depth_ == 0) throw usage_error("config_builder: close() without open()");
    --depth_;
    line("}");
    return *this;
}

config_builder& config_builder::comment(std::string_view text) {
    if (text.find('\n') != std::string_view::npos) {
        throw usage_error("config_builder: a comment is one line");
    }
    line(!text.empty() && text[0] == '#' ? std::string(text) : "# " + std::string(text));
    return *this;
}

config_builder& config_builder::blank_line() {
    out_ += style_.newline;
    return *this;
}

std::string config_builder::text() const { return out_; }

document config_builder::build(std::string source_name) const {
    if (depth_ != 0) throw usage_error("config_builder: a block is still open");
    return parse(out_, std::move(source_name));
}

namespace {

// Rewrites one node's formatting for the given indentation.
void reformat_node(detail::doc_impl& d, std::uint32_t id, const std::string& indent,
                   const text_style& style) {
    auto& it = d.items[id];
    const bool block = (it.flags & detail::f_block) && !(it.flags & detail::f_lua);
    if (it.kind == node_kind::directive) {
        auto& p = d.own(id);
        p.indent = indent;
        for (auto& a : p.args) a.before.assign(1, ' ');
        p.term_before.assign(block || (it.flags & detail::f_lua) ? 1 : 0, ' ');
        // Keep an end-of-line comment; the line end becomes the file's newline.
        auto keep_comment = [&](std::string& trailing) {
            const auto hash = trailing.find('#');
            std::string c;
            if (hash != std::string::npos) c.append(1, ' ').append(trailing, hash);
            while (!c.empty() && (c.back() == '\n' || c.back() == '\r')) c.pop_back();
            trailing = c + style.newline;
        };
        if (block) {
            keep_comment(p.trailing);
            p.close_before = indent;
            keep_comment(p.close_trailing);
        } else if (it.flags & detail::f_lua) {
            keep_comment(p.close_trailing);
        } else {
            keep_comment(p.trailing);
        }
    } else if (it.kind == node_kind::comment) {
        auto& p = d.own(id);
        const auto hash = p.name.find('#');
        std::string text = p.name.substr(hash);
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        p.name = indent + text + style.newline;
    }
}

// `indent` is the indentation of the scope's children: one unit more inside each block.
void reformat_block(detail::doc_impl& d, std::uint32_t scope, std::string indent,
                    bool generated_only) {
    const auto& style = d.owner->style();
    detail::walk_ids(d, scope, [&](walk_event e, std::uint32_t id) {
        if (e == walk_event::leave) {
            indent.resize(indent.size() - style.indent_unit.size());
            return;
        }
        const auto& it = d.items[id];
        if (!generated_only || ((it.flags & detail::f_owned) && d.parts_of(id).generated)) {
            reformat_node(d, id, indent, style);
        }
        if ((it.flags & detail::f_block) && !(it.flags & detail::f_lua)) indent += style.indent_unit;
    });
}

}  // namespace

void reformat(const block& scope, bool generated_only) {
    if (!scope) throw usage_error("reformat on a null block");
    auto& d = detail::doc_access::of(scope.owner());
    std::string indent;
    if (!scope.is_root()) {
        indent = scope.owner_directive().indent() + scope.owner().style().indent_unit;
    }
    reformat_block(d, scope.id(), std::move(indent), generated_only);
}

}  // namespace ngxconf
