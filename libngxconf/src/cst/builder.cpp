// Builds the node list from the token stream, applying the ownership rules R1-R8 of
// node.hpp, and reports nginx's structural errors in nginx's words (ngx_conf_parse).
//
// Recovering (build_recovering): an error does not stop the build. The bytes nginx could not
// take become error nodes, so the tree still prints the input byte for byte:
//   a stray `;`, `{` or `}` on a line      an error node through it (and its trailing, R1)
//   a directive cut short by `}`           an error node; the `}` closes the block
//   a directive cut short by the end       an error node to the end
//   blocks open at the end                 closed there with an empty `}` line
//   `{` in a map/types body, too deep      reported; the block opens as any other
//   a lexer failure, a too long token      the rest of the file, from the node being read,
//                                          is one error node (nginx's reader stops there)
// The first error is always the one the strict build reports.
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
    builder(doc_impl& d, std::vector<syntax_failure>* recovered)
        : d_(d), src_(d.source), recovered_(recovered) {
        frames_.push_back({0, &d_.items[0]});
    }

    // Called by the lexer for every token; inlined into its actions.
    void on_token(tok k, std::uint32_t b, std::uint32_t e, bool open) {
        if (stop) return;
        // A span can overflow nginx's buffer only when the token is ~4 KiB long (or open).
        if ((open || e - b >= 4095) && d_.options.nginx_length_limit &&
            (k == tok::word || k == tok::dq_string || k == tok::sq_string || k == tok::comment)) {
            if (auto f = check_length(src_, static_cast<int>(k), b, e, open)) {
                record(std::move(*f));
                stop = true;  // recovering too: nginx's reader cannot go on (rest_is_error)
                stopped_at_ = b;
                return;
            }
        }
        switch (state_) {
            case st::line: return on_line(k, b, e);
            case st::comment_line: return on_comment_line(k, e);
            case st::directive: return on_directive(k, b, e);
            case st::lua: return on_lua(k, e);
            case st::trailing: return on_trailing(k, b, e);
        }
    }

    std::optional<syntax_failure> finish(const lex_failure& lf) {
        if (!failure_ && lf.what != lex_failure::kind::none) lex_failed(lf);
        if (failure_) return failure_;
        const auto size = static_cast<std::uint32_t>(src_.size());
        if (stop) {  // recovering after an error the reader cannot go past
            rest_is_error(size);
            close_all(size);
            return std::nullopt;
        }
        end_of_input(size);
        return failure_;
    }

private:
    enum class st : std::uint8_t { line, comment_line, directive, lua, trailing };

    enum class trail : std::uint8_t { head, tail };

    // Records an error. Strict: the build ends (true: the caller returns). Recovering: the
    // error is kept and the caller repairs the state (false). The error paths stay out of
    // line (cold): inlined, they made on_line too big to inline into the lexer's actions, and
    // a parse cost 10% more instructions.
    [[gnu::cold, gnu::noinline]] bool fail(error_code c, std::string msg, std::uint64_t at, std::uint32_t more_lost = 0) {
        return record(syntax_failure{c, std::move(msg), at, lost_lines + more_lost});
    }
    [[gnu::cold, gnu::noinline]] bool record(syntax_failure f) {
        if (recovered_) {
            recovered_->push_back(std::move(f));
            return false;
        }
        failure_ = std::move(f);
        stop = true;
        return true;
    }

    // What stopped the lexer, in nginx's (or the lua module's) words; nothing follows it.
    [[gnu::cold, gnu::noinline]] void lex_failed(const lex_failure& lf) {
        stop = true;
        switch (lf.what) {
            case lex_failure::kind::after_quote:
                fail(error_code::unexpected_character,
                     std::string("unexpected \"") + src_[lf.at] + "\"", lf.at);
                return;
            case lex_failure::kind::lua_long_bracket:
                fail(error_code::eof_in_lua_block,
                     "Lua code block missing the closing long bracket \"]" +
                         std::string(lf.level, '=') + "]\", the inlined Lua code may be too long",
                     lf.at, lf.lost_lines);
                return;
            case lex_failure::kind::lua_too_long:
                fail(error_code::too_long_parameter,
                     "too long lua code block, probably missing terminating characters", lf.at,
                     lf.lost_lines);
                return;
            case lex_failure::kind::lua_eof:
                // The lua module reports at the line where the Lua block started.
                fail(error_code::eof_in_lua_block,
                     "unexpected end of file, expecting terminating characters for lua code "
                     "block",
                     lf.at, lf.lost_lines);
                return;
            case lex_failure::kind::none:
                return;
        }
    }

    void end_of_input(std::uint32_t size) {
        switch (state_) {
            case st::directive:
            case st::lua:
                if (fail(error_code::eof_expecting_terminator,
                         "unexpected end of file, expecting \";\" or \"}\"", size)) {
                    return;
                }
                make_error(*cur_item_, size);
                break;
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
        if (frames_.size() > 1 &&
            fail(error_code::eof_expecting_close, "unexpected end of file, expecting \"}\"", size)) {
            return;
        }
        close_all(size);
    }

    // Closes the blocks still open at the end (recovering: their `}` is missing, so their
    // close line is empty), then the root.
    void close_all(std::uint32_t size) {
        while (frames_.size() > 1) {
            auto& l = d_.blocks[store_children(frames_.back())];
            l.tail_begin = l.tail_end = size;
            frames_.pop_back();
        }
        store_children(frames_.back());
    }

    // Recovering, after a lexer failure or a too long token: from the node being read to the
    // end is one error node (nginx's reader stops there, so nothing after it has a meaning).
    [[gnu::cold, gnu::noinline]] void rest_is_error(std::uint32_t size) {
        switch (state_) {
            case st::directive:
            case st::lua:
                make_error(*cur_item_, size);
                return;
            case st::trailing: {
                // Only a token too long stops the reading here (a lexer failure comes after a
                // string or in Lua, so in a directive): the trailing ends at that token.
                const auto at = std::min(stopped_at_, size);
                end_trailing(at);
                if (at < size) add_leaf(node_kind::error, at, size);
                return;
            }
            case st::line:
            case st::comment_line:
                if (item_begin_ < size) add_leaf(node_kind::error, item_begin_, size);
                return;
        }
    }

    // A directive being read becomes an error node ending at `end` (no block, no Lua).
    static void make_error(item& it, std::uint32_t end) {
        it.kind = node_kind::error;
        it.flags = static_cast<std::uint16_t>(it.flags & ~(f_block | f_lua));
        it.end = end;
    }

    // A `;`, `{` or `}` where no directive is (nginx: unexpected "X"). Recovering: the token,
    // with whatever precedes it on its line, is an error node, which then takes its trailing
    // like a directive (R1).
    [[gnu::cold, gnu::noinline]] void stray(error_code c, const char* message, std::uint32_t b,
                                            std::uint32_t e) {
        if (fail(c, message, b)) return;
        end_region();
        cur_item_ = add_leaf(node_kind::error, item_begin_, e);
        trail_ = trail::head;
        state_ = st::trailing;
    }

    // A directive cut short by `}` (its `;` missing; nginx: unexpected "}"). Recovering: an
    // error node; the `}` closes the enclosing block, or at the top level (nothing to close)
    // ends the error.
    [[gnu::cold, gnu::noinline]] void cut_by_close(std::uint32_t b, std::uint32_t e) {
        if (fail(error_code::unexpected_close_brace, "unexpected \"}\"", b)) return;
        cur_item_->kind = node_kind::error;
        if (frames_.size() == 1) {
            trail_ = trail::head;
            state_ = st::trailing;
            return;
        }
        cur_item_->end = b;
        item_begin_ = b;
        state_ = st::line;
        on_line(tok::rbrace, b, e);
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
                return stray(error_code::unexpected_semicolon, "unexpected \";\"", b, e);
            case tok::lbrace:
                return stray(error_code::unexpected_open_brace, "unexpected \"{\"", b, e);
            case tok::rbrace: {
                if (frames_.size() == 1) {
                    return stray(error_code::unexpected_close_brace, "unexpected \"}\"", b, e);
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

    void on_directive(tok k, std::uint32_t b, std::uint32_t e) {
        switch (k) {
            case tok::semicolon:
                trail_ = trail::head;
                state_ = st::trailing;
                return;
            case tok::lbrace: return open_block(b);
            case tok::rbrace: return cut_by_close(b, e);
            default:
                return;  // arguments and the trivia between them (R5)
        }
    }

    // Recovering, a block too deep or inside a map/types body is reported and opens as any
    // other (its bytes are well formed; only nginx's rules refuse it). Too deep: once.
    void open_block(std::uint32_t b) {
        if (frames_.size() > d_.options.max_depth && !too_deep_) {
            if (fail(error_code::nesting_too_deep,
                     "too deeply nested blocks (more than " +
                         std::to_string(d_.options.max_depth) + " levels)",
                     b)) {
                return;
            }
            too_deep_ = true;
        }
        if (frames_.back().handler &&
            fail(error_code::unexpected_open_brace, "unexpected \"{\"", b)) {
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
    std::vector<syntax_failure>* recovered_;  // recovering: every error, in order
    std::uint32_t stopped_at_ = npos32;       // the token too long (check_length)
    bool too_deep_ = false;
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
    builder b(doc, nullptr);
    const auto lf = lex(doc.source, b);
    return b.finish(lf);
}

std::vector<syntax_failure> build_recovering(doc_impl& doc) {
    std::vector<syntax_failure> errors;
    builder b(doc, &errors);
    const auto lf = lex(doc.source, b);
    (void)b.finish(lf);
    return errors;
}

}  // namespace ngxconf::detail
