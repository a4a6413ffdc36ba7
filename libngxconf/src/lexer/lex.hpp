#pragma once
// Runs the PEGTL token grammar and hands each token to a sink. A template on the sink, so
// that each sink's on_token inlines into the grammar's actions (the tree builder runs once
// per token: a virtual call there was a fifth of a parse). Included only by the .cpp files
// that lex (cst/builder.cpp, cst/commented.cpp, cst/view.cpp): no public header sees PEGTL.
#include "lexer/grammar.hpp"
#include "lexer/token.hpp"

namespace ngxconf::detail {
namespace lexing {

namespace pg = tao::pegtl;

template <class Sink>
struct lex_state {
    Sink& sink;
    const char* base;
    std::string_view text;
    lex_failure failure{};

    void emit(tok kind, const char* b, const char* e, bool open = false) {
        sink.on_token(kind, static_cast<std::uint32_t>(b - base),
                      static_cast<std::uint32_t>(e - base), open);
    }
    [[nodiscard]] bool halted() const { return sink.stop || failure.what != lex_failure::kind::none; }

    static lex_failure lua_failure(const lua_scan& scan, std::size_t from) {
        const auto at = static_cast<std::uint32_t>(scan.at);
        switch (scan.what) {
            case lua_scan::result::eof:
                return {lex_failure::kind::lua_eof,
                        scan.at == std::string_view::npos ? static_cast<std::uint32_t>(from - 1) : at, 0};
            case lua_scan::result::too_long: return {lex_failure::kind::lua_too_long, at, 0};
            default: return {lex_failure::kind::lua_long_bracket, at, scan.level};
        }
    }

    // After the sink saw the '{' of a *_by_lua_block: the Lua code up to its matching '}'.
    template <typename Input>
    bool lua_block(Input& in) {
        if (!sink.lua_pending) return false;
        sink.lua_pending = false;
        const auto from = static_cast<std::size_t>(in.current() - base);
        const auto scan = scan_lua_body(text, from, sink.buffer_end);
        if (sink.buffer_end != token_sink::unlimited) sink.buffer_end = scan.buffer_end;
        if (scan.what != lua_scan::result::closed) {
            failure = lua_failure(scan, from);
            failure.lost_lines = scan.lost_lines;
            in.bump(text.size() - from);
            return true;
        }
        sink.lost_lines += scan.lost_lines;
        const auto close = scan.at;
        if (close > from) emit(tok::lua_body, base + from, base + close);
        emit(tok::rbrace, base + close, base + close + 1);
        in.bump(close + 1 - from);
        return true;
    }
};

template <typename Rule>
struct action : pg::nothing<Rule> {};

template <tok Kind>
struct emit_as {
    template <typename Input, typename State>
    static void apply(const Input& in, State& s) {
        s.emit(Kind, in.begin(), in.end());
    }
};

template <> struct action<grammar::blank> : emit_as<tok::blank> {};
template <> struct action<grammar::newline> : emit_as<tok::newline> {};
template <> struct action<grammar::comment> : emit_as<tok::comment> {};
template <> struct action<grammar::word> : emit_as<tok::word> {};
template <> struct action<grammar::semicolon> : emit_as<tok::semicolon> {};
template <> struct action<grammar::lbrace> : emit_as<tok::lbrace> {};
template <> struct action<grammar::rbrace> : emit_as<tok::rbrace> {};

template <>
struct action<grammar::dq_string> {
    template <typename Input, typename State>
    static void apply(const Input& in, State& s) {
        s.emit(tok::dq_string, in.begin(), in.end(), !closed_by(in, '"'));
    }
    template <typename Input>
    static bool closed_by(const Input& in, char q) {
        return in.size() >= 2 && in.end()[-1] == q && !ends_escaped(in);
    }
    template <typename Input>
    static bool ends_escaped(const Input& in) {
        // The final quote closes the string unless an odd run of backslashes precedes it.
        std::size_t n = 0;
        for (const char* p = in.end() - 2; p > in.begin() && *p == '\\'; --p) ++n;
        return n % 2 == 1;
    }
};

template <>
struct action<grammar::sq_string> {
    template <typename Input, typename State>
    static void apply(const Input& in, State& s) {
        s.emit(tok::sq_string, in.begin(), in.end(),
               !action<grammar::dq_string>::closed_by(in, '\''));
    }
};

template <>
struct action<grammar::bad_after_quote> {
    template <typename Input, typename State>
    static void apply(const Input& in, State& s) {
        s.failure = {lex_failure::kind::after_quote, static_cast<std::uint32_t>(in.begin() - s.base)};
    }
};

}  // namespace lexing

// Tokenizes `text` into `sink` (see token_sink). Offsets are relative to text.data().
// Returns a failure instead of throwing; tokens before the failure were delivered.
template <class Sink>
[[nodiscard]] lex_failure lex(std::string_view text, Sink& sink) {
    lexing::lex_state<Sink> state{sink, text.data(), text};
    tao::pegtl::memory_input<tao::pegtl::tracking_mode::lazy> in(text.data(), text.size(), "");
    tao::pegtl::parse<grammar::tokens, lexing::action>(in, state);
    return state.failure;
}

}  // namespace ngxconf::detail
