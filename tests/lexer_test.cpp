// One TEST_CASE per tokenizer rule of nginx 1.22 (ngx_conf_read_token): decoded and raw
// arguments, quote styles, and errors with their code, line, column and nginx's exact words.
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using ngxconf::error_code;
using ngxconf::quote_style;
using test::parse_fails_at;

// The n-th directive of the document in document order (nested ones included).
ngxconf::const_directive nth_directive(const ngxconf::document& doc, std::size_t n) {
    std::vector<ngxconf::const_directive> all;
    ngxconf::for_each_directive(
        doc.root(), [&](const ngxconf::const_directive& d) { all.push_back(d); },
        {.recursive = true, .include_disabled = true});
    REQUIRE(n < all.size());
    return all[n];
}

std::vector<std::string> raw_args(const ngxconf::const_directive& d) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < d.arg_count(); ++i) out.emplace_back(d.raw_arg(i));
    return out;
}

// The error of a failing parse (REQUIREs that it fails).
ngxconf::parse_error failure_of(const std::string& text, ngxconf::parse_options opts = {}) {
    auto r = ngxconf::try_parse(text, "test.conf", opts);
    INFO("input: " << ngxconf::json_quote(text));
    REQUIRE_FALSE(r);
    return r.error();
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("lexer: space, tab, CR and LF separate words", "[lexer]") {
    const std::string text = "a\tb c\rd\ne  \t\r\n f;";
    test::round_trips(text);
    const auto doc = ngxconf::parse(text);
    const auto d = nth_directive(doc, 0);
    CHECK(d.name() == "a");
    CHECK(d.args() == strings{"b", "c", "d", "e", "f"});
    CHECK(raw_args(d) == strings{"b", "c", "d", "e", "f"});
    // Other control bytes are not separators: a vertical tab and a form feed stay in the word.
    const auto doc2 = ngxconf::parse("a b\vc\fd;");
    CHECK(nth_directive(doc2, 0).args() == strings{"b\vc\fd"});
}

TEST_CASE("lexer: lines are counted on LF only, columns in bytes", "[lexer]") {
    // CR alone does not end a line: the '}' is still on line 1.
    parse_fails_at("a;\r\r\rb;\r}", error_code::unexpected_close_brace, 1, 9);
    // CRLF counts once.
    parse_fails_at("a;\r\nb;\r\n}", error_code::unexpected_close_brace, 3, 1);
    parse_fails_at("a;\n\n\n  }", error_code::unexpected_close_brace, 4, 3);
    // Columns are bytes, not characters: "é" is two bytes.
    parse_fails_at("\xc3\xa9 x;}", error_code::unexpected_close_brace, 1, 6);

    const auto doc = ngxconf::parse("a;\rb;\n\r\nc;");
    CHECK(nth_directive(doc, 1).name_position().line == 1);
    CHECK(nth_directive(doc, 1).name_position().column == 4);
    CHECK(nth_directive(doc, 2).name_position().line == 3);
    CHECK(nth_directive(doc, 2).name_position().column == 1);
    CHECK(doc.position_of(doc.source().size()).line == 3);
}

TEST_CASE("lexer: hash and quote characters are special only at the start of a word", "[lexer]") {
    const std::string text = "x a#b c\"d e'f g#;\n";
    test::round_trips(text);
    const auto doc = ngxconf::parse(text);
    const auto d = nth_directive(doc, 0);
    CHECK(d.args() == strings{"a#b", "c\"d", "e'f", "g#"});
    for (std::size_t i = 0; i < d.arg_count(); ++i) CHECK(d.quote(i) == quote_style::none);
    // The same bytes at the start of a word: a comment, a double and a single quoted string.
    const auto doc2 = ngxconf::parse("x \"d\" 'f' #b;\n;");
    const auto d2 = nth_directive(doc2, 0);
    CHECK(raw_args(d2) == strings{"\"d\"", "'f'"});
    CHECK(d2.quote(0) == quote_style::dbl);
    CHECK(d2.quote(1) == quote_style::single);
    // The '#' right after ';' starts a comment: the trailing of the directive.
    const auto doc3 = ngxconf::parse("x y;#c\n");
    CHECK(nth_directive(doc3, 0).args() == strings{"y"});
    CHECK(doc3.root().size() == 1);
}

TEST_CASE("lexer: a comment may sit between arguments", "[lexer]") {
    const std::string text =
        "proxy_pass # the upstream\n"
        "    http://127.0.0.1:9000 # more ; { } \"\n"
        "    ;\n";
    test::round_trips(text);
    const auto doc = ngxconf::parse(text);
    const auto d = nth_directive(doc, 0);
    CHECK(d.name() == "proxy_pass");
    CHECK(d.args() == strings{"http://127.0.0.1:9000"});
    CHECK(doc.root().size() == 1);
    CHECK(d.text() == text);
    // A comment between the name and the first argument, then between arguments.
    const auto doc2 = ngxconf::parse("a #1\nb #2\nc;");
    CHECK(nth_directive(doc2, 0).args() == strings{"b", "c"});
    // A comment cannot replace the terminator: the file ends inside the directive.
    parse_fails_at("a b # ;\n", error_code::eof_expecting_terminator, 2, 1);
}

TEST_CASE("lexer: a bare word ends only at whitespace, semicolon or '{'", "[lexer]") {
    const std::string text = "server { return 200 foo}\n;}\n";
    test::round_trips(text);
    const auto doc = ngxconf::parse(text);
    const auto ret = nth_directive(doc, 1);
    CHECK(ret.name() == "return");
    CHECK(ret.args() == strings{"200", "foo}"});

    const auto doc2 = ngxconf::parse("a b}c d)e(f g\"h;");
    CHECK(nth_directive(doc2, 0).args() == strings{"b}c", "d)e(f", "g\"h"});
    // '{' ends the word and opens a block; ';' ends it and the directive.
    const auto doc3 = ngxconf::parse("location /x{}\na b;c;");
    CHECK(nth_directive(doc3, 0).args() == strings{"/x"});
    CHECK(nth_directive(doc3, 0).has_block());
    CHECK(nth_directive(doc3, 1).args() == strings{"b"});
    CHECK(nth_directive(doc3, 2).name() == "c");
    // "b}" at the end is a word, so the directive is unterminated rather than closed.
    parse_fails_at("server { a b}", error_code::eof_expecting_terminator, 1, 14);
}

TEST_CASE("lexer: '$' followed by '{' keeps the braces in the word", "[lexer]") {
    const std::string text = "set $x ${var}suffix;\nreturn 301 https://${host}${request_uri};\n";
    test::round_trips(text);
    const auto doc = ngxconf::parse(text);
    CHECK(nth_directive(doc, 0).args() == strings{"$x", "${var}suffix"});
    CHECK(nth_directive(doc, 1).args() == strings{"301", "https://${host}${request_uri}"});
    CHECK_FALSE(nth_directive(doc, 0).has_block());
    // Every '{' directly after "$" is kept (nginx keeps the flag set while it sees '{').
    const auto doc2 = ngxconf::parse("a ${{x}} ${;");
    CHECK(nth_directive(doc2, 0).args() == strings{"${{x}}", "${"});
    // A word that starts with "${".
    const auto doc3 = ngxconf::parse("${a} b;");
    CHECK(nth_directive(doc3, 0).name() == "${a}");
    // A '{' after any other byte ends the word and opens a block.
    const auto doc4 = ngxconf::parse("a $b{ }");
    const auto d4 = nth_directive(doc4, 0);
    CHECK(d4.args() == strings{"$b"});
    CHECK(d4.has_block());
    // Inside quotes the braces are plain bytes either way.
    const auto doc5 = ngxconf::parse("a \"${x}\";");
    CHECK(nth_directive(doc5, 0).arg(0) == "${x}");
}

TEST_CASE("lexer: after a closing quote only whitespace, semicolon, '{' or ')' may follow",
          "[lexer]") {
    for (const std::string follow : {" ;", ";", "\t;", "\r;", "\n;", "{}", ")x;"}) {
        DYNAMIC_SECTION("follower " << ngxconf::json_quote(follow)) {
            const std::string text = "a \"b\"" + follow;
            test::round_trips(text);
            CHECK(nth_directive(ngxconf::parse(text), 0).arg(0) == "b");
        }
    }
    struct bad_case {
        std::string text;
        std::string message;
        std::uint32_t line, column;
    };
    const bad_case bad[] = {
        {"a \"b\"c;", "unexpected \"c\"", 1, 6},
        {"a 'b'\"c\";", "unexpected \"\"\"", 1, 6},
        {"x;\n  a \"b\"#c;", "unexpected \"#\"", 2, 8},
        {"a \"b\"};", "unexpected \"}\"", 1, 6},
        {"a '' 'b'$x;", "unexpected \"$\"", 1, 9},
        {"server {\n    a \"\\\"\"x;\n}", "unexpected \"x\"", 2, 11},
    };
    for (const auto& c : bad) {
        DYNAMIC_SECTION("bad " << ngxconf::json_quote(c.text)) {
            parse_fails_at(c.text, error_code::unexpected_character, c.line, c.column);
            CHECK(failure_of(c.text).description() == c.message);
        }
    }
}

TEST_CASE("lexer: ')' after a closing quote starts a new word", "[lexer]") {
    const std::string text = "if ($a = \"b\") {\n    return 204;\n}\nif ($u ~* 'x')\n{}\n";
    test::round_trips(text);
    const auto doc = ngxconf::parse(text);
    const auto d = nth_directive(doc, 0);
    CHECK(raw_args(d) == strings{"($a", "=", "\"b\"", ")"});
    CHECK(d.args() == strings{"($a", "=", "b", ")"});
    CHECK(d.quote(2) == quote_style::dbl);
    CHECK(d.quote(3) == quote_style::none);
    CHECK(d.has_block());
    CHECK(nth_directive(doc, 2).args() == strings{"($u", "~*", "x", ")"});
    // The word after the quote goes on to the next separator.
    const auto doc2 = ngxconf::parse("a \"b\")c)d e;");
    CHECK(nth_directive(doc2, 0).args() == strings{"b", ")c)d", "e"});
}

TEST_CASE("lexer: escapes are kept raw and decoded as nginx does", "[lexer]") {
    struct esc_case {
        std::string raw;
        std::string decoded;
        quote_style quote;
    };
    const esc_case cases[] = {
        {R"("a\"b")", "a\"b", quote_style::dbl},
        {R"('a\'b')", "a'b", quote_style::single},
        {R"("a\'b")", "a'b", quote_style::dbl},
        {R"('a\"b')", "a\"b", quote_style::single},
        {R"("a\\b")", "a\\b", quote_style::dbl},
        {R"("\t\n\r")", "\t\n\r", quote_style::dbl},
        {R"('\t')", "\t", quote_style::single},
        {R"(a\tb)", "a\tb", quote_style::none},
        {R"(a\nb\rc)", "a\nb\rc", quote_style::none},
        {R"(a\"b)", "a\"b", quote_style::none},
        {R"(a\\b)", "a\\b", quote_style::none},
        {R"("\d+\.\$x")", "\\d+\\.\\$x", quote_style::dbl},
        {R"(\d)", "\\d", quote_style::none},
        {R"(a\ b)", "a\\ b", quote_style::none},
        {R"(a\;b)", "a\\;b", quote_style::none},
        {R"(a\{b)", "a\\{b", quote_style::none},
        {R"(\"x)", "\"x", quote_style::none},
        {R"("\\")", "\\", quote_style::dbl},
        {R"("")", "", quote_style::dbl},
        {R"('')", "", quote_style::single},
    };
    for (const auto& c : cases) {
        DYNAMIC_SECTION("raw " << c.raw) {
            const std::string text = "x " + c.raw + " y;\n";
            test::round_trips(text);
            const auto doc = ngxconf::parse(text);
            const auto d = nth_directive(doc, 0);
            REQUIRE(d.arg_count() == 2);
            CHECK(d.raw_arg(0) == c.raw);
            CHECK(d.arg(0) == c.decoded);
            CHECK(d.args()[0] == c.decoded);
            CHECK(d.quote(0) == c.quote);
            CHECK(d.arg(1) == "y");
        }
    }
    // The name is a word like any other: name() decodes it, raw_name() gives its bytes.
    const auto doc = ngxconf::parse("a\\\"b c;");
    CHECK(nth_directive(doc, 0).name() == "a\"b");
    CHECK(nth_directive(doc, 0).raw_name() == "a\\\"b");
    // An escaped quote does not close the string; an escaped backslash before it does not
    // escape it.
    const auto doc2 = ngxconf::parse("x \"a\\\" b\" '\\\\' c;");
    CHECK(nth_directive(doc2, 0).args() == strings{"a\" b", "\\", "c"});
}

TEST_CASE("lexer: error unexpected close brace", "[lexer]") {
    parse_fails_at("}", error_code::unexpected_close_brace, 1, 1);
    parse_fails_at("a;\n  }\n", error_code::unexpected_close_brace, 2, 3);
    parse_fails_at("a b }", error_code::unexpected_close_brace, 1, 5);
    parse_fails_at("server {\n    listen 80 }\n}\n", error_code::unexpected_close_brace, 2, 15);
    parse_fails_at("server {\n}\n}\n", error_code::unexpected_close_brace, 3, 1);
    CHECK(failure_of("a }").description() == "unexpected \"}\"");
}

TEST_CASE("lexer: error unexpected semicolon", "[lexer]") {
    parse_fails_at(";", error_code::unexpected_semicolon, 1, 1);
    parse_fails_at("a; ;", error_code::unexpected_semicolon, 1, 4);
    parse_fails_at("server {\n  a;;\n}", error_code::unexpected_semicolon, 2, 5);
    parse_fails_at("a {};", error_code::unexpected_semicolon, 1, 5);
    CHECK(failure_of(";").description() == "unexpected \";\"");
}

TEST_CASE("lexer: error unexpected open brace", "[lexer]") {
    parse_fails_at("{", error_code::unexpected_open_brace, 1, 1);
    parse_fails_at("server {\n  {\n}\n}", error_code::unexpected_open_brace, 2, 3);
    parse_fails_at("a; {}", error_code::unexpected_open_brace, 1, 4);
    CHECK(failure_of("{}").description() == "unexpected \"{\"");
}

TEST_CASE("lexer: error end of file, expecting semicolon or close brace", "[lexer]") {
    const std::string msg = "unexpected end of file, expecting \";\" or \"}\"";
    parse_fails_at("a", error_code::eof_expecting_terminator, 1, 2);
    parse_fails_at("a b\n", error_code::eof_expecting_terminator, 2, 1);
    parse_fails_at("server {\n  listen 80\n", error_code::eof_expecting_terminator, 3, 1);
    // An unterminated quoted string runs to the end of the file.
    parse_fails_at("a \"b;\n\n", error_code::eof_expecting_terminator, 3, 1);
    parse_fails_at("a 'b", error_code::eof_expecting_terminator, 1, 5);
    // An escape at the very end.
    parse_fails_at("a b\\", error_code::eof_expecting_terminator, 1, 5);
    CHECK(failure_of("a").description() == msg);
    CHECK(failure_of("a \"b").description() == msg);
}

TEST_CASE("lexer: error end of file, expecting close brace", "[lexer]") {
    const std::string msg = "unexpected end of file, expecting \"}\"";
    parse_fails_at("server {", error_code::eof_expecting_close, 1, 9);
    parse_fails_at("server {\n  listen 80;\n", error_code::eof_expecting_close, 3, 1);
    parse_fails_at("a {\n b {\n }\n  # c", error_code::eof_expecting_close, 4, 6);
    CHECK(failure_of("http {\n").description() == msg);
}

TEST_CASE("lexer: too long parameter (nginx's 4096-byte buffer)", "[lexer]") {
    const auto w = [](std::size_t n) { return std::string(n, 'a'); };
    const std::string started = "too long parameter \"aaaaaaaaaa...\" started";

    SECTION("a word of 4094 bytes and a space fit") {
        test::round_trips("x " + w(4094) + " b;\n");
    }
    SECTION("a word of 4095 bytes and a space overflow") {
        const std::string text = "x " + w(4095) + " b;\n";
        parse_fails_at(text, error_code::too_long_parameter, 1, 3);
        CHECK(failure_of(text).description() == started);
    }
    SECTION("a word of 4095 bytes and ';' fit") { test::round_trips("x " + w(4095) + ";\n"); }
    SECTION("a word of 4096 bytes and ';' overflow") {
        const std::string text = "x " + w(4096) + ";\n";
        parse_fails_at(text, error_code::too_long_parameter, 1, 3);
        CHECK(failure_of(text).description() == started);
    }
    SECTION("the position is where the word started") {
        parse_fails_at("a;\n\n  x " + w(5000) + ";\n", error_code::too_long_parameter, 3, 5);
    }
    SECTION("at the very end of the file nginx reports end of file instead") {
        // 4095 bytes + a space, and nothing after: the buffer never needs a refill.
        parse_fails_at(w(4095) + " ", error_code::eof_expecting_terminator, 1, 4097);
    }
    SECTION("a quoted string counts from after its opening quote") {
        test::round_trips("x \"" + w(4094) + "\";\n");
        const std::string at_4095 = "x \"" + w(4095) + "\";\n";
        parse_fails_at(at_4095, error_code::too_long_parameter, 1, 4);
        CHECK(failure_of(at_4095).description() == started);
        // The closing quote itself is past the buffer: nginx blames a missing quote.
        const std::string at_4096 = "x \"" + w(4096) + "\";\n";
        parse_fails_at(at_4096, error_code::too_long_parameter, 1, 4);
        CHECK(failure_of(at_4096).description() ==
              "too long parameter, probably missing terminating \"\"\" character");
    }
    SECTION("an unterminated quoted string") {
        const std::string dq = "x;\nx \"" + w(100) + "\n" + w(5000) + "\n";
        parse_fails_at(dq, error_code::too_long_parameter, 2, 4);
        CHECK(failure_of(dq).description() ==
              "too long parameter, probably missing terminating \"\"\" character");
        const std::string sq = "x '" + w(5000);
        parse_fails_at(sq, error_code::too_long_parameter, 1, 4);
        CHECK(failure_of(sq).description() ==
              "too long parameter, probably missing terminating \"'\" character");
    }
    SECTION("a long comment") {
        test::round_trips("#" + w(4094) + "\nx;\n");
        const std::string text = "x;\n\n#" + w(4095) + "\nx;\n";
        parse_fails_at(text, error_code::too_long_parameter, 3, 1);
        CHECK(failure_of(text).description() == "too long parameter \"#aaaaaaaaa...\" started");
        // A long comment at the end of the file, without LF.
        parse_fails_at("  #" + w(5000), error_code::too_long_parameter, 1, 3);
        // A long comment between arguments counts as well.
        parse_fails_at("x #" + w(5000) + "\n y;", error_code::too_long_parameter, 1, 3);
    }
    SECTION("the message quotes the first ten raw bytes") {
        const std::string text = "x \\\"0123456789" + w(5000) + ";";
        CHECK(failure_of(text).description() == "too long parameter \"\\\"01234567...\" started");
    }
}

TEST_CASE("lexer: nginx_length_limit=false lifts the 4096-byte rule", "[lexer]") {
    ngxconf::parse_options lenient;
    lenient.nginx_length_limit = false;
    const std::string word = std::string(100000, 'w');
    const std::string texts[] = {
        "x " + word + " b;\n",
        "x \"" + word + "\";\n",
        "#" + word + "\nx;\n",
        "x '" + word + "\n" + word + "';",
    };
    for (const auto& text : texts) {
        CHECK_FALSE(ngxconf::try_parse(text));
        auto r = ngxconf::try_parse(text, "big.conf", lenient);
        REQUIRE(r);
        CHECK(ngxconf::to_string(r.value()) == text);
    }
    auto r = ngxconf::try_parse("x " + word + ";", "big.conf", lenient);
    REQUIRE(r);
    CHECK(nth_directive(r.value(), 0).arg(0) == word);
}

TEST_CASE("lexer: the body of *_by_lua_block is raw Lua", "[lexer][lua]") {
    const std::string lua =
        "\n"
        "    local s = \"}\" .. '{' .. \"\\\"}\"  -- a } in a comment\n"
        "    local t = [[ } ]] .. [==[ ]] } ]==]\n"
        "    --[[ block comment } ]] local u = { a = { 1 } }\n"
        "    --[=[ } ]] ]=]\n"
        "    ngx.say(s; t)\n";
    const std::string text = "location / {\n  content_by_lua_block {" + lua + "  }  # end\n}\n";
    test::round_trips(text);
    const auto doc = ngxconf::parse(text);
    const auto d = nth_directive(doc, 1);
    CHECK(d.name() == "content_by_lua_block");
    CHECK(d.is_lua_block());
    CHECK(d.has_block());
    CHECK_FALSE(d.body());  // Lua is not a block of directives
    CHECK(d.arg_count() == 0);
    CHECK(d.lua_code() == lua + "  ");
    CHECK(d.text() == "  content_by_lua_block {" + lua + "  }  # end\n");
    // Only the location's closing brace is left for the location.
    CHECK(nth_directive(doc, 0).body().size() == 1);

    // An empty block, and a block on one line.
    const auto doc2 = ngxconf::parse("init_by_lua_block {}\naccess_by_lua_block { ngx.exit(403) }\n");
    CHECK(nth_directive(doc2, 0).lua_code().empty());
    CHECK(nth_directive(doc2, 1).lua_code() == " ngx.exit(403) ");
    CHECK_FALSE(nth_directive(doc2, 0).text().empty());

    // Without lua_blocks the body is read as nginx core reads it: directives.
    ngxconf::parse_options core;
    core.lua_blocks = false;
    auto r = ngxconf::try_parse("content_by_lua_block { ngx.say(1); }\n", "", core);
    REQUIRE(r);
    const auto cd = nth_directive(r.value(), 0);
    CHECK_FALSE(cd.is_lua_block());
    REQUIRE(cd.body());
    CHECK(nth_directive(r.value(), 1).name() == "ngx.say(1)");
    // ... and then braces in Lua strings do count.
    CHECK_FALSE(ngxconf::try_parse("content_by_lua_block { s = \"}\" }\n", "", core));
}

TEST_CASE("lexer: a Lua block without its closing brace", "[lexer][lua]") {
    const std::string msg =
        "unexpected end of file, expecting terminating characters for lua code block";
    parse_fails_at("content_by_lua_block {\n  x = 1\n", error_code::eof_in_lua_block, 1, 22);
    // The brace inside the string, long bracket or comment does not close the block.
    parse_fails_at("a;\ncontent_by_lua_block { s = \"}\" ", error_code::eof_in_lua_block, 2, 22);
    // A long bracket that never closes is its own OpenResty error, at the opener.
    parse_fails_at("content_by_lua_block { s = [[ } ]=] }", error_code::eof_in_lua_block, 1, 28);
    CHECK(failure_of("content_by_lua_block {\n s = [==[ }").description() ==
          "Lua code block missing the closing long bracket \"]==]\", the inlined Lua code may be "
          "too long");
    parse_fails_at("content_by_lua_block { -- }", error_code::eof_in_lua_block, 1, 22);
    parse_fails_at("content_by_lua_block { --[[ } ]] ", error_code::eof_in_lua_block, 1, 22);
    CHECK(failure_of("init_by_lua_block { ").description() == msg);
}

TEST_CASE("lexer: NUL and other control bytes inside words parse", "[lexer]") {
    using namespace std::string_literals;
    const std::string text = "a\0b c\x01\x02\x7f \"q\0\x1b\" '\x00' z;\n"s;
    test::round_trips(text);
    const auto doc = ngxconf::parse(text);
    const auto d = nth_directive(doc, 0);
    CHECK(d.name() == "a\0b"s);
    CHECK(d.raw_arg(0) == "c\x01\x02\x7f"s);
    CHECK(d.arg(1) == "q\0\x1b"s);
    CHECK(d.quote(1) == quote_style::dbl);
    CHECK(d.raw_arg(1).size() == 5);
    CHECK(d.arg(2) == "\0"s);
    CHECK(d.quote(2) == quote_style::single);
    // A NUL right after a closing quote is not a separator.
    parse_fails_at("a 'x'\0;"s, error_code::unexpected_character, 1, 6);
    // A NUL in a comment and bytes 0x80..0xFF anywhere.
    test::round_trips("# \0 \xff\n\xfe\xff \x80;\n"s);
    CHECK(nth_directive(ngxconf::parse("# \0\n\xfe\xff \x80;\n"s), 0).name() == "\xfe\xff");
}
