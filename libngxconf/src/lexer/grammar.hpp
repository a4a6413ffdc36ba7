#pragma once
// The token grammar: one flat rule per token kind, so no action ever runs for a rule that a
// caller later backtracks over. Structure (blocks, directives) is the builder's job.
// Mirrors ngx_conf_read_token of nginx 1.22 (src/core/ngx_conf_file.c).
#include <tao/pegtl.hpp>

namespace ngxconf::detail::grammar {
using namespace tao::pegtl;

// clang-format off
struct blank        : plus< one< ' ', '\t', '\r' > > {};                  // CR is a separator
struct newline      : one< '\n' > {};                                     // lines count LF only
struct comment      : seq< one< '#' >, until< at< sor< one< '\n' >, eof > > > > {};
struct escape       : seq< one< '\\' >, any > {};                         // \X: both bytes kept raw
// "$" followed by any run of "{" keeps the braces in the word: ${var}, and nginx's own
// quirk that every "{" directly after "$" (or after such a "{") is kept too.
struct dollar_run   : seq< one< '$' >, star< one< '{' > > > {};
template< char Q >
struct quoted_body  : star< sor< escape, not_one< Q > > > {};
template< char Q >
struct quoted       : seq< one< Q >, quoted_body< Q >, opt< one< Q > > > {}; // open at EOF: builder reports
struct dq_string    : quoted< '"' > {};
struct sq_string    : quoted< '\'' > {};
// After a closing quote nginx accepts only whitespace, ';', '{' or ')' (the ')' then starts a word).
struct after_quote  : sor< at< one< ' ', '\t', '\r', '\n', ';', '{', ')' > >, eof > {};
struct bad_after_quote : any {};
struct string_token : seq< sor< dq_string, sq_string >, sor< after_quote, bad_after_quote > > {};
struct word_first   : sor< escape, dollar_run, not_one< ' ', '\t', '\r', '\n', ';', '{', '}', '#', '"', '\'' > > {};
struct word_char    : sor< escape, dollar_run, not_one< ' ', '\t', '\r', '\n', ';', '{' > > {};
struct word         : seq< word_first, star< word_char > > {};
struct semicolon    : one< ';' > {};
struct lbrace       : one< '{' > {};
struct rbrace       : one< '}' > {};
struct token        : sor< blank, newline, comment, string_token, semicolon, lbrace, rbrace, word > {};
struct file         : seq< star< token >, eof > {};
// clang-format on

}  // namespace ngxconf::detail::grammar
