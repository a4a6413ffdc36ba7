#pragma once
// The token grammar: one flat rule per token kind, so no action ever runs for a rule that a
// caller later backtracks over. Structure (blocks, directives) is the builder's job.
// Mirrors ngx_conf_read_token of nginx 1.22 (src/core/ngx_conf_file.c).
#include <array>
#include <cstring>
#include <string_view>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace ngxconf::detail::grammar {
using namespace tao::pegtl;

// Fast runs for the bulk of the bytes: one table lookup per byte instead of a chain of
// alternatives. Each is equivalent to the star/plus of single-byte rules it replaces.
namespace scan {
using table = std::array<bool, 256>;
// Bytes that continue a run: a bare word's plain bytes, and the bytes inside "..." or '...'
// that are neither the quote nor a backslash. (Separate objects: clang 14 takes no
// subobject as a template argument.)
constexpr table bytes_except(std::string_view stop) {
    table t{};
    for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = stop.find(static_cast<char>(c)) == std::string_view::npos;
    return t;
}
inline constexpr table word_bytes = bytes_except(std::string_view(" \t\r\n;{\\$"));
inline constexpr table dquoted_bytes = bytes_except("\"\\");
inline constexpr table squoted_bytes = bytes_except("'\\");

template <const table& Accept>
struct run {
    using rule_t = run;
    using subs_t = empty_list;
    template <typename ParseInput>
    [[nodiscard]] static bool match(ParseInput& in) noexcept {
        const char* p = in.current();
        const char* e = in.end();
        while (p != e && Accept[static_cast<unsigned char>(*p)]) ++p;
        if (p == in.current()) return false;
        in.bump(static_cast<std::size_t>(p - in.current()));
        return true;
    }
};

// The rest of a comment: up to, not including, the LF (may be empty).
struct to_line_end {
    using rule_t = to_line_end;
    using subs_t = empty_list;
    template <typename ParseInput>
    [[nodiscard]] static bool match(ParseInput& in) noexcept {
        const auto n = static_cast<std::size_t>(in.end() - in.current());
        const void* lf = std::memchr(in.current(), '\n', n);
        in.bump(lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - in.current()) : n);
        return true;
    }
};
}  // namespace scan

// clang-format off
struct blank        : plus< one< ' ', '\t', '\r' > > {};                  // CR is a separator
struct newline      : one< '\n' > {};                                     // lines count LF only
struct comment      : seq< one< '#' >, scan::to_line_end > {};
struct escape       : seq< one< '\\' >, any > {};                         // \X: both bytes kept raw
// "$" followed by any run of "{" keeps the braces in the word: ${var}, and nginx's own
// quirk that every "{" directly after "$" (or after such a "{") is kept too.
struct dollar_run   : seq< one< '$' >, star< one< '{' > > > {};
template< char Q >
struct quoted_body  : star< sor< scan::run< Q == '"' ? scan::dquoted_bytes : scan::squoted_bytes >, escape, not_one< Q > > > {};
template< char Q >
struct quoted       : seq< one< Q >, quoted_body< Q >, opt< one< Q > > > {}; // open at EOF: builder reports
struct dq_string    : quoted< '"' > {};
struct sq_string    : quoted< '\'' > {};
// After a closing quote nginx accepts only whitespace, ';', '{' or ')' (the ')' then starts a word).
struct after_quote  : sor< at< one< ' ', '\t', '\r', '\n', ';', '{', ')' > >, eof > {};
struct bad_after_quote : any {};
struct string_token : seq< sor< dq_string, sq_string >, sor< after_quote, bad_after_quote > > {};
struct word_first   : sor< escape, dollar_run, not_one< ' ', '\t', '\r', '\n', ';', '{', '}', '#', '"', '\'' > > {};
struct word_char    : sor< scan::run< scan::word_bytes >, escape, dollar_run, not_one< ' ', '\t', '\r', '\n', ';', '{' > > {};
struct word         : seq< word_first, star< word_char > > {};
struct semicolon    : one< ';' > {};
struct lbrace       : one< '{' > {};
struct rbrace       : one< '}' > {};
// The alternatives differ in their first byte, so token picks the one to try with a switch
// on that byte instead of trying each in turn (same language; analyze() sees the sor).
struct token        : sor< blank, newline, comment, string_token, semicolon, lbrace, rbrace, word >
{
    template< apply_mode A, rewind_mode M, template< typename... > class Action,
              template< typename... > class Control, typename ParseInput, typename... States >
    [[nodiscard]] static bool match( ParseInput& in, States&&... st )
    {
        if( in.empty() ) return false;
        switch( in.peek_char() ) {
            case ' ': case '\t': case '\r': return pick< blank, A, M, Action, Control >( in, st... );
            case '\n': return pick< newline, A, M, Action, Control >( in, st... );
            case '#': return pick< comment, A, M, Action, Control >( in, st... );
            case '"': case '\'': return pick< string_token, A, M, Action, Control >( in, st... );
            case ';': return pick< semicolon, A, M, Action, Control >( in, st... );
            case '{': return pick< lbrace, A, M, Action, Control >( in, st... );
            case '}': return pick< rbrace, A, M, Action, Control >( in, st... );
            default: return pick< word, A, M, Action, Control >( in, st... );
        }
    }
    template< typename Rule, apply_mode A, rewind_mode M, template< typename... > class Action,
              template< typename... > class Control, typename ParseInput, typename... States >
    static bool pick( ParseInput& in, States&&... st )
    {
        return Control< Rule >::template match< A, M, Action, Control >( in, st... );
    }
};
struct halt;        // below: ends the loop early once the state says so
struct lua_block;   // below: a Lua body and its '}' when the state says one is pending
struct tokens       : star< sor< halt, lua_block, token > > {};
struct file         : seq< tokens, eof > {};
// clang-format on

// Both rules consult the lexer state (State::halted(), State::lua_block(in)), so the whole
// input is lexed by one call of the grammar rather than one call per token.
struct halt {
    using rule_t = halt;
    using subs_t = empty_list;
    template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
              typename ParseInput, typename State>
    [[nodiscard]] static bool match(ParseInput& in, State& st) {
        if (!st.halted() || in.empty()) return false;
        in.bump(static_cast<std::size_t>(in.end() - in.current()));
        return true;
    }
};
struct lua_block {
    using rule_t = lua_block;
    using subs_t = empty_list;
    template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
              typename ParseInput, typename State>
    [[nodiscard]] static bool match(ParseInput& in, State& st) {
        return st.lua_block(in);
    }
};

}  // namespace ngxconf::detail::grammar

namespace tao::pegtl {
template <typename Name, const ngxconf::detail::grammar::scan::table& Accept>
struct analyze_traits<Name, ngxconf::detail::grammar::scan::run<Accept>> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, ngxconf::detail::grammar::scan::to_line_end> : analyze_opt_traits<> {};
// Each consumes at least one byte when it succeeds (halt: the rest; lua_block: up to '}').
template <typename Name>
struct analyze_traits<Name, ngxconf::detail::grammar::halt> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, ngxconf::detail::grammar::lua_block> : analyze_any_traits<> {};
}  // namespace tao::pegtl
