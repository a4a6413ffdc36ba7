// PEGTL's grammar analysis: no rule of the token grammar can loop without consuming input.
#include "lexer/grammar.hpp"

#include <tao/pegtl/contrib/analyze.hpp>

#include "test_support.hpp"

TEST_CASE("grammar: analyze() finds no infinite loop in the token grammar", "[grammar]") {
    // -1: print nothing but the problems; the result is the number of problems found.
    REQUIRE(tao::pegtl::analyze<ngxconf::detail::grammar::file>(-1) == 0);
    REQUIRE(tao::pegtl::analyze<ngxconf::detail::grammar::token>(-1) == 0);
}
