// Builds the node list from the token stream, applying the ownership rules R1-R8 of
// node.hpp, and reports nginx's structural errors in nginx's words (ngx_conf_parse).
#include "cst/builder.hpp"

#include <algorithm>
#include <vector>

#include "lexer/lex.hpp"

namespace ngxconf::detail {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// One per open block (the root first): where the next child links in. Kept here rather
// than in doc_impl::blocks while the block is open, so that linking a node touches only
// records already in cache.
struct frame {
    std::uint32_t id;
    item* self;
    std::uint32_t first = npos32, last = npos32;
    item* last_item = nullptr;
    bool handler = false;  // a map/types/... body: no `{` inside
};

class builder : public token_sink {
public:
    explicit builder(doc_impl& d) : d_(d), src_(d.source) {
        frames_.push_back({0, &d_.items[0]});
    }

    // Called by the lexer for every token; inlined into its actions.
    void on_token(tok k, std::uint32_t b, std::uint32_t e, bool open) {
        if (stop) return;
        // A span can overflow nginx's buffer only when the token is ~4 KiB long (or open).
        if ((open || e - b >= 4095) && d_.options.nginx_length_limit &&
            (k == tok::word || k == tok::dq_string || k == tok::sq_string || k == tok::comment)) {
            if (auto f = check_length(src_, static_cast<int>(k), b, e, open)) {
                failure_ = std::move(*f);
                stop = true;
                return;
            }
        }
        switch (state_) {
            case st::line: return on_line(k, b, e);
            case st::comment_line: return on_comment_line(k, e);
            case st::directive: return on_directive(k, b);
            case st::lua: return on_lua(k, e);
            case st::trailing: return on_trailing(k, b, e);
        }
    }

    std::optional<syntax_failure> finish(const lex_failure& lf) {
        if (failure_) return failure_;
        const auto size = static_cast<std::uint32_t>(src_.size());
        if (lf.what == lex_failure::kind::after_quote) {
            return fail(error_code::unexpected_character,
                        std::string("unexpected \"") + src_[lf.at] + "\"", lf.at);
        }
        if (lf.what == lex_failure::kind::lua_long_bracket) {
            return fail(error_code::eof_in_lua_block,
                        "Lua code block missing the closing long bracket \"]" +
                            std::string(lf.level, '=') +
                            "]\", the inlined Lua code may be too long",
                        lf.at, lf.lost_lines);
        }
        if (lf.what == lex_failure::kind::lua_too_long) {
            return fail(error_code::too_long_parameter,
                        "too long lua code block, probably missing terminating characters", lf.at,
                        lf.lost_lines);
        }
        if (lf.what == lex_failure::kind::lua_eof) {
            // The lua module reports at the line where the Lua block started.
            return fail(error_code::eof_in_lua_block,
                        "unexpected end of file, expecting terminating characters for lua code "
                        "block",
                        lf.at, lf.lost_lines);
        }
        switch (state_) {
            case st::directive:
            case st::lua:
                return fail(error_code::eof_expecting_terminator,
                            "unexpected end of file, expecting \";\" or \"}\"", size);
            case st::comment_line:
                end_comment_line(size);
                break;
            case st::line:
                if (item_begin_ < size) add_leaf(node_kind::blank, item_begin_, size);
                break;
            case st::trailing:
                end_trailing(size);
                break;
        }
        if (frames_.size() > 1) {
            return fail(error_code::eof_expecting_close,
                        "unexpected end of file, expecting \"}\"", size);
        }
        store_children(frames_.back());
        return std::nullopt;
    }

private:
    enum class st : std::uint8_t { line, comment_line, directive, lua, trailing };

    enum class trail : std::uint8_t { head, tail };

    std::optional<syntax_failure> fail(error_code c, std::string msg, std::uint64_t at,
                                       std::uint32_t more_lost = 0) {
        failure_ = syntax_failure{c, std::move(msg), at, lost_lines + more_lost};
        stop = true;
        return failure_;
    }

    // At the start of a line, or right after a node that ended mid-line (R1, R2).
    void on_line(tok k, std::uint32_t b, std::uint32_t e) {
        switch (k) {
            case tok::blank: return;  // indentation of whatever starts this line
            case tok::newline:
                add_leaf(node_kind::blank, item_begin_, e);
                item_begin_ = e;
                return;
            case tok::comment:
                comment_at_ = b;
                state_ = st::comment_line;
                return;
            case tok::semicolon:
                fail(error_code::unexpected_semicolon, "unexpected \";\"", b);
                return;
            case tok::lbrace:
                fail(error_code::unexpected_open_brace, "unexpected \"{\"", b);
                return;
            case tok::rbrace: {
                if (frames_.size() == 1) {
                    fail(error_code::unexpected_close_brace, "unexpected \"}\"", b);
                    return;
                }
                end_region();
                const frame& f = frames_.back();
                cur_ = f.id;
                cur_item_ = f.self;
                tail_links_ = store_children(f);
                d_.blocks[tail_links_].tail_begin = item_begin_;
                frames_.pop_back();
                trail_ = trail::tail;
                state_ = st::trailing;
                return;
            }
            default: {  // word or string: a directive starts
                end_region();
                item it;
                it.kind = node_kind::directive;
                it.begin = item_begin_;
                const auto p = link(it);
                cur_ = p.id;
                cur_item_ = p.at;
                name_ = {src_.data() + b, e - b};
                state_ = st::directive;
                return;
            }
        }
    }

    void on_comment_line(tok k, std::uint32_t e) {
        // A comment runs to the end of the line, so only the LF can follow it.
        if (k == tok::newline) {
            end_comment_line(e);
            item_begin_ = e;
            state_ = st::line;
        }
    }

    void on_directive(tok k, std::uint32_t b) {
        switch (k) {
            case tok::semicolon:
                trail_ = trail::head;
                state_ = st::trailing;
                return;
            case tok::lbrace: return open_block(b);
            case tok::rbrace:
                fail(error_code::unexpected_close_brace, "unexpected \"}\"", b);
                return;
            default:
                return;  // arguments and the trivia between them (R5)
        }
    }

    void open_block(std::uint32_t b) {
        if (frames_.size() > d_.options.max_depth) {
            fail(error_code::nesting_too_deep,
                 "too deeply nested blocks (more than " + std::to_string(d_.options.max_depth) +
                     " levels)",
                 b);
            return;
        }
        if (frames_.back().handler) {
            fail(error_code::unexpected_open_brace, "unexpected \"{\"", b);
            return;
        }
        cur_item_->flags |= f_block;
        const std::string_view name = nginx_name();
        if (d_.options.lua_blocks && ends_with(name, "_by_lua_block")) {
            cur_item_->flags |= f_lua;
            lua_pending = true;
            // The lua module reads the block through nginx's buffer: where does it end now?
            if (d_.options.nginx_length_limit) {
                buffer_end = read_buffer_end(src_, read_from_, read_last_, b + 1);
            }
            state_ = st::lua;
            return;
        }
        frame f{cur_, cur_item_};
        f.handler = d_.options.handler_blocks && is_handler_block(name);
        frames_.push_back(f);
        trail_ = trail::head;
        state_ = st::trailing;
    }

    // The name of the directive being read as nginx reads it (quotes removed, escapes
    // decoded), for the Lua and handler-block rules; name() decodes on its own (doc_impl).
    // Only a quoted name is decoded here: nginx's escapes leave a '\\', a quote, a tab, CR or
    // LF in a bare word, and no Lua or handler-block name holds one (no memchr per block).
    std::string_view nginx_name() {
        return !name_.empty() && (name_[0] == '"' || name_[0] == '\'') ? decode_name() : name_;
    }
    std::string_view decode_name() {
        decoded_ = decode_token(name_);
        return decoded_;
    }

    void on_lua(tok k, std::uint32_t e) {
        if (k == tok::rbrace) {  // after the lua_body token (absent when the body is empty)
            // nginx's reader goes on from here, its buffer where the lua module left it.
            read_from_ = e;
            read_last_ = buffer_end;
            trail_ = trail::head;
            state_ = st::trailing;
        }
    }

    // R1: blanks, an end-of-line comment and the LF after a terminator.
    void on_trailing(tok k, std::uint32_t b, std::uint32_t e) {
        switch (k) {
            case tok::blank:
            case tok::comment:
                return;
            case tok::newline:
                end_trailing(e);
                item_begin_ = e;
                state_ = st::line;
                return;
            default:  // another token on the same line: the trailing keeps only the blanks
                end_trailing(b);
                item_begin_ = b;
                state_ = st::line;
                on_line(k, b, e);
        }
    }

    void end_trailing(std::uint32_t at) {
        if (trail_ == trail::tail) {
            d_.blocks[tail_links_].tail_end = at;
        } else {
            cur_item_->end = at;
        }
    }

    // Appends a node to the innermost open block.
    item_store::pushed link(item it) {
        frame& f = frames_.back();
        it.parent = f.id;
        it.prev = f.last;
        const auto p = d_.items.emplace(it);
        if (f.last_item) {
            f.last_item->next = p.id;
        } else {
            f.first = p.id;
        }
        f.last = p.id;
        f.last_item = p.at;
        return p;
    }

    // Moves a closing block's children into its side record; returns the record's index.
    std::uint32_t store_children(const frame& f) {
        block_links& l = d_.links(f.id);
        l.first = f.first;
        l.last = f.last;
        return f.self->extra;
    }

    item* add_leaf(node_kind kind, std::uint32_t b, std::uint32_t e) {
        item it;
        it.kind = kind;
        it.begin = b;
        it.end = e;
        return link(it).at;
    }

    // R3 and 3.4: a whole-line comment, possibly a disabled directive or a commented region.
    void end_comment_line(std::uint32_t e) {
        item* it = add_leaf(node_kind::comment, item_begin_, e);
        std::uint32_t body_end = e;
        if (body_end > comment_at_ && src_[body_end - 1] == '\n') --body_end;
        const auto body = src_.substr(comment_at_ + 1, body_end - comment_at_ - 1);
        const auto shape = classify_comment_body(body);
        const auto marker = comment_at_ - item_begin_;
        if (region_depth_ > 0) it->flags |= f_in_region;
        switch (shape.what) {
            case comment_shape::kind::directive:
                if (marker <= 0xFFFF) {
                    it->kind = node_kind::directive;
                    it->flags |= f_src_disabled | f_disabled;
                    it->marker = static_cast<std::uint16_t>(marker);
                }
                break;
            case comment_shape::kind::opens_block:
                if (region_depth_ == 0) it->flags |= f_opens_region;
                region_depth_ += shape.brace_delta;
                break;
            case comment_shape::kind::closes_block:
                if (region_depth_ > 0) region_depth_ += shape.brace_delta;
                if (region_depth_ < 0) region_depth_ = 0;
                break;
            case comment_shape::kind::prose:
                break;
        }
    }

    void end_region() { region_depth_ = 0; }

    doc_impl& d_;
    std::string_view src_;
    std::vector<frame> frames_;
    st state_ = st::line;
    trail trail_ = trail::head;
    std::uint32_t item_begin_ = 0;
    std::uint32_t comment_at_ = 0;
    std::uint32_t cur_ = 0;           // the directive being read, or the block just closed
    item* cur_item_ = nullptr;        // its record
    std::uint32_t tail_links_ = 0;    // the side record of the block just closed
    int region_depth_ = 0;
    std::string_view name_;     // the bytes of the name of the directive being read
    std::string decoded_;       // nginx_name() of a quoted one
    std::optional<syntax_failure> failure_;
    // Where nginx's reader starts a statement with a known buffer end (the file's start, or
    // the end of the last Lua block), for read_buffer_end().
    std::uint64_t read_from_ = 0;
    std::uint64_t read_last_ = 0;
};

}  // namespace

bool is_handler_block(std::string_view name) noexcept {
    return name == "types" || name == "map" || name == "geo" || name == "split_clients" ||
           name == "charset_map";
}

std::optional<syntax_failure> build(doc_impl& doc) {
    builder b(doc);
    const auto lf = lex(doc.source, b);
    return b.finish(lf);
}

}  // namespace ngxconf::detail
