// The byte-ownership rules R1-R8 of include/ngxconf/node.hpp, one TEST_CASE each: which
// node (and which piece of it) owns which bytes.
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using kind = ngxconf::piece::kind;

const char* kind_name(kind k) {
    switch (k) {
        case kind::indent: return "indent";
        case kind::marker: return "marker";
        case kind::name: return "name";
        case kind::arg_trivia: return "arg_trivia";
        case kind::arg: return "arg";
        case kind::term_trivia: return "term_trivia";
        case kind::terminator: return "terminator";
        case kind::trailing: return "trailing";
        case kind::lua_code: return "lua_code";
        case kind::close_indent: return "close_indent";
        case kind::close_brace: return "close_brace";
        case kind::close_trailing: return "close_trailing";
        case kind::comment_line: return "comment_line";
        case kind::blank_line: return "blank_line";
        case kind::error_bytes: return "error_bytes";
    }
    return "?";
}

// The pieces of the whole document as one readable line per piece: `kind "bytes"`.
std::string render_pieces(const ngxconf::document& doc) {
    std::string out;
    for (const auto& p : ngxconf::pieces(doc)) {
        out += kind_name(p.what);
        out += ' ';
        out += ngxconf::json_quote(p.bytes);
        out += '\n';
    }
    return out;
}

// The bytes of the first piece of kind `k` at or after the piece with offset `from`.
std::string piece_after(const ngxconf::document& doc, kind k, std::uint64_t from = 0) {
    for (const auto& p : ngxconf::pieces(doc)) {
        if (p.offset >= from && p.what == k) return std::string(p.bytes);
    }
    FAIL("no piece of kind " << kind_name(k) << " at or after byte " << from);
    return {};
}

template <bool Mutable>
std::vector<ngxconf::basic_node<Mutable>> children(const ngxconf::basic_block<Mutable>& b) {
    std::vector<ngxconf::basic_node<Mutable>> out;
    for (const auto n : b) out.push_back(n);
    return out;
}

std::vector<std::string> texts(const ngxconf::const_block& b) {
    std::vector<std::string> out;
    for (const auto n : b) out.push_back(n.text());
    return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("R1: a terminator's node owns its trailing blanks, comment and LF", "[ownership]") {
    SECTION("after ';' up to and including the first LF") {
        const auto doc = ngxconf::parse("a 1;   # note\nb 2;\n");
        CHECK(texts(doc.root()) == strings{"a 1;   # note\n", "b 2;\n"});
        CHECK(render_pieces(doc) ==
              "name \"a\"\narg_trivia \" \"\narg \"1\"\nterminator \";\"\n"
              "trailing \"   # note\\n\"\n"
              "name \"b\"\narg_trivia \" \"\narg \"2\"\nterminator \";\"\ntrailing \"\\n\"\n");
    }
    SECTION("only the first LF: the next empty line is not the directive's") {
        const auto doc = ngxconf::parse("a;\n\nb;\n");
        const auto kids = children(doc.root());
        REQUIRE(kids.size() == 3);
        CHECK(kids[0].text() == "a;\n");
        CHECK(kids[1].is_blank());
    }
    SECTION("CR is a blank: a CRLF ending is part of the trailing") {
        const auto doc = ngxconf::parse("a; \r\nb;\r\n");
        CHECK(texts(doc.root()) == strings{"a; \r\n", "b;\r\n"});
        CHECK(piece_after(doc, kind::trailing) == " \r\n");
    }
    SECTION("another token on the same line: the trailing holds only the blanks") {
        const auto doc = ngxconf::parse("a 1;  b 2; # c\n");
        CHECK(texts(doc.root()) == strings{"a 1;  ", "b 2; # c\n"});
        CHECK(piece_after(doc, kind::trailing) == "  ");
        CHECK(doc.root().first_child().next_sibling().as_directive().indent().empty());
    }
    SECTION("after '{' (blanks after '{' go to the '{' trailing)") {
        const auto doc = ngxconf::parse("server {  # main\n    listen 80;\n}\nlocation / {  return 200; }\n");
        const auto server = doc.root().first_child().as_directive();
        const auto pcs = ngxconf::pieces(doc);
        REQUIRE(pcs.size() > 3);
        CHECK(pcs[2].what == kind::terminator);
        CHECK(pcs[2].bytes == "{");
        CHECK(pcs[3].what == kind::trailing);
        CHECK(pcs[3].bytes == "  # main\n");
        CHECK(server.body().first_child().text() == "    listen 80;\n");
        const auto loc = server.next_sibling().as_directive();
        CHECK(piece_after(doc, kind::trailing, loc.position().byte) == "  ");
        CHECK(loc.body().first_child().text() == "return 200; ");
    }
    SECTION("after the '}' of a block") {
        const auto doc = ngxconf::parse("a {\n}  # end\nb {\n} c;\n");
        const auto kids = children(doc.root());
        REQUIRE(kids.size() == 3);
        CHECK(kids[0].text() == "a {\n}  # end\n");
        CHECK(kids[1].text() == "b {\n} ");
        CHECK(kids[2].text() == "c;\n");
        CHECK(piece_after(doc, kind::close_trailing) == "  # end\n");
    }
}

TEST_CASE("R2: blanks at the start of a line are the indent of the node starting there",
          "[ownership]") {
    const std::string text =
        "http {\n"
        "    server {\n"
        "\t  listen 80;\n"
        "        #include /x.conf;\n"
        "#      listen 443 quic;\n"
        "      # prose\n"
        "    }\n"
        "}\n";
    const auto doc = ngxconf::parse(text);
    const auto server = doc.root().first_child().as_directive().body().first_child().as_directive();
    REQUIRE(server);
    CHECK(server.indent() == "    ");
    CHECK(server.text().rfind("    server {\n", 0) == 0);
    const auto kids = children(server.body());
    REQUIRE(kids.size() == 4);
    CHECK(kids[0].as_directive().indent() == "\t  ");
    CHECK(kids[0].text() == "\t  listen 80;\n");
    CHECK(kids[0].position().column == 1);
    CHECK(kids[0].as_directive().name_position().column == 4);
    // A disabled directive: the '#' is a marker, the blanks around it make up the indent.
    CHECK(kids[1].as_directive().indent() == "        ");
    CHECK(kids[2].as_directive().indent() == "      ");
    // A comment line keeps its blanks too.
    CHECK(kids[3].text() == "      # prose\n");
    CHECK(kids[3].as_comment().text() == "# prose");

    // `    #include`: the indent, then the marker.
    const auto d1 = ngxconf::parse("    #include x;\n");
    CHECK(render_pieces(d1) ==
          "indent \"    \"\nmarker \"#\"\nname \"include\"\narg_trivia \" \"\narg \"x\"\n"
          "terminator \";\"\ntrailing \"\\n\"\n");
    // `#      listen`: the marker first, then the indent.
    const auto d2 = ngxconf::parse("#  listen 1;\n");
    CHECK(render_pieces(d2) ==
          "marker \"#\"\nindent \"  \"\nname \"listen\"\narg_trivia \" \"\narg \"1\"\n"
          "terminator \";\"\ntrailing \"\\n\"\n");

    SECTION("a node that does not start a line has an empty indent") {
        const auto d = ngxconf::parse("  a; b;  c {  d; }\n");
        const auto k = children(d.root());
        REQUIRE(k.size() == 3);
        CHECK(k[0].as_directive().indent() == "  ");
        CHECK(k[1].as_directive().indent().empty());
        CHECK(k[2].as_directive().indent().empty());
        CHECK(k[2].as_directive().body().first_child().as_directive().indent().empty());
        CHECK(k[1].text() == "b;  ");
    }
}

TEST_CASE("R3: a whole-line comment is a node of its own", "[ownership]") {
    const std::string text =
        "a;\n"
        "  # prose about b\n"
        "## Version 2099/01/01\n"
        "# note: do this;\n"
        "#uth_basic \"Restricted\";\n"
        "b; # not a node: the trailing of b\n";
    const auto doc = ngxconf::parse(text);
    const auto kids = children(doc.root());
    REQUIRE(kids.size() == 6);
    CHECK(kids[1].is_comment());
    CHECK(kids[1].text() == "  # prose about b\n");
    CHECK(kids[1].as_comment().text() == "# prose about b");
    // Not leading trivia of the next node: b's text starts at b.
    CHECK(kids[5].text() == "b; # not a node: the trailing of b\n");
    // "##" stays prose; prose with a ';' is not a directive (the name must be a word).
    CHECK(kids[2].is_comment());
    CHECK(kids[3].is_comment());
    // A commented-out directive is a disabled directive (3.4), still a whole-line node.
    REQUIRE(kids[4].is_directive());
    CHECK_FALSE(kids[4].as_directive().enabled());
    CHECK(kids[4].as_directive().name() == "uth_basic");
    CHECK(kids[4].as_directive().arg(0) == "Restricted");
    CHECK(kids[4].text() == "#uth_basic \"Restricted\";\n");
    // Comment lines print as one comment_line piece each.
    std::size_t comment_lines = 0;
    for (const auto& p : ngxconf::pieces(doc)) {
        if (p.what == kind::comment_line) ++comment_lines;
    }
    CHECK(comment_lines == 3);
    CHECK(ngxconf::dump_tree(doc).find("comment@3..21 \"  # prose about b\\n\"") != std::string::npos);

    SECTION("the text of a comment ends before a CRLF line end") {
        // comment::text(): "From the '#' to the end of the line, without the line end."
        const auto d = ngxconf::parse("a;\r\n  # c\r\n");
        const auto c = d.root().last_child().as_comment();
        REQUIRE(c);
        // json_quote makes a stray CR visible in the failure message.
        CHECK(ngxconf::json_quote(c.text()) == "\"# c\"");
        CHECK(c.basic_node::text() == "  # c\r\n");
    }
    SECTION("a commented-out block is a region of comment lines") {
        const auto d = ngxconf::parse(
            "#server {\n#    listen 443 ssl;\n\n#    location / {\n#    }\n#}\n#gzip on;\n");
        const auto k = children(d.root());
        REQUIRE(k.size() == 7);
        CHECK(k[0].is_comment());
        CHECK_FALSE(k[0].as_comment().in_commented_block());
        CHECK(k[1].as_directive().in_commented_block());
        CHECK(k[2].is_blank());
        CHECK(k[3].as_comment().in_commented_block());
        CHECK(k[5].as_comment().in_commented_block());
        CHECK_FALSE(k[6].as_directive().in_commented_block());
        CHECK_FALSE(k[6].as_directive().enabled());
    }
    SECTION("a line that is no comment ends an unclosed commented-out block") {
        // Only consecutive comment (and blank) lines make up a region.
        const auto d = ngxconf::parse(
            "#server {\n#    listen 1;\n\n#    listen 2;\nreal 3;\n#    listen 4;\n#}\n");
        const auto k = children(d.root());
        REQUIRE(k.size() == 7);
        CHECK(k[1].as_directive().in_commented_block());
        CHECK(k[3].as_directive().in_commented_block());
        CHECK(k[4].as_directive().enabled());
        CHECK_FALSE(k[5].as_directive().in_commented_block());
        CHECK_FALSE(k[6].as_comment().in_commented_block());
    }
}

TEST_CASE("R4: a line holding only blanks is a blank node", "[ownership]") {
    const std::string text = "a;\n\n  \n\t\r\nb;\n\nc;\n";
    auto doc = ngxconf::parse(text);
    const auto kids = children(doc.root());
    REQUIRE(kids.size() == 7);
    CHECK(kids[1].is_blank());
    CHECK(kids[1].text() == "\n");
    CHECK(kids[2].text() == "  \n");
    CHECK(kids[3].text() == "\t\r\n");
    CHECK(kids[5].is_blank());
    std::size_t blank_lines = 0;
    for (const auto& p : ngxconf::pieces(doc)) {
        if (p.what == kind::blank_line) ++blank_lines;
    }
    CHECK(blank_lines == 4);
    // Removing a neighbour never takes a blank line with it.
    ngxconf::remove(kids[4]);
    CHECK(ngxconf::to_string(doc) == "a;\n\n  \n\t\r\n\nc;\n");
    ngxconf::remove(kids[0]);
    CHECK(ngxconf::to_string(doc) == "\n  \n\t\r\n\nc;\n");
}

TEST_CASE("R5: inside a directive every argument owns the trivia before it", "[ownership]") {
    const std::string text = "log_format  main # the name\n   'a'\n\n\t\"b\" # two\n  ;  \nx;\n";
    const auto doc = ngxconf::parse(text);
    REQUIRE(doc.root().size() == 2);
    CHECK(render_pieces(doc) ==
          "name \"log_format\"\n"
          "arg_trivia \"  \"\n"
          "arg \"main\"\n"
          "arg_trivia \" # the name\\n   \"\n"
          "arg \"'a'\"\n"
          "arg_trivia \"\\n\\n\\t\"\n"
          "arg \"\\\"b\\\"\"\n"
          "term_trivia \" # two\\n  \"\n"
          "terminator \";\"\n"
          "trailing \"  \\n\"\n"
          "name \"x\"\nterminator \";\"\ntrailing \"\\n\"\n");
    // The comments inside are no nodes: the root has two directives, the first owns them all.
    CHECK(doc.root().first_child().text() == text.substr(0, text.find("x;")));
    // The blank line inside the directive is not a blank node either.
    for (const auto n : doc.root()) CHECK(n.is_directive());
    // Blanks between the name and '{' are the terminator's trivia.
    const auto d2 = ngxconf::parse("server\n  {\n}\n");
    CHECK(render_pieces(d2) ==
          "name \"server\"\nterm_trivia \"\\n  \"\nterminator \"{\"\ntrailing \"\\n\"\n"
          "close_brace \"}\"\nclose_trailing \"\\n\"\n");
}

TEST_CASE("R6: a block's '}' line: the blanks before '}' are its close indent", "[ownership]") {
    const std::string text = "server {\n    a;\n  }  # x\n";
    const auto doc = ngxconf::parse(text);
    CHECK(render_pieces(doc) ==
          "name \"server\"\nterm_trivia \" \"\nterminator \"{\"\ntrailing \"\\n\"\n"
          "indent \"    \"\nname \"a\"\nterminator \";\"\ntrailing \"\\n\"\n"
          "close_indent \"  \"\nclose_brace \"}\"\nclose_trailing \"  # x\\n\"\n");
    CHECK(ngxconf::dump_tree(doc) ==
          "directive@0..9 \"server\" [] \"server {\\n\"\n"
          "  directive@9..16 \"a\" [] \"    a;\\n\"\n"
          "close@16..25 \"  }  # x\\n\"\n");
    SECTION("'{' obeys R1: on one line the blanks before '}' are the last child's trailing") {
        const auto d = ngxconf::parse("location / { return 200 \"ok\"; } # inline\n");
        CHECK(ngxconf::dump_tree(d) ==
              "directive@0..13 \"location\" [\"/\"] \"location / { \"\n"
              "  directive@13..30 \"return\" [\"200\",\"\\\"ok\\\"\"] \"return 200 \\\"ok\\\"; \"\n"
              "close@30..41 \"} # inline\\n\"\n");
        CHECK(piece_after(d, kind::close_brace) == "}");
        for (const auto& p : ngxconf::pieces(d)) CHECK(p.what != kind::close_indent);
    }
    SECTION("an empty block") {
        const auto d = ngxconf::parse("events {}\nhttp {\n\t}\n");
        CHECK(ngxconf::dump_tree(d) ==
              "directive@0..8 \"events\" [] \"events {\"\n"
              "close@8..10 \"}\\n\"\n"
              "directive@10..17 \"http\" [] \"http {\\n\"\n"
              "close@17..20 \"\\t}\\n\"\n");
    }
}

TEST_CASE("R7: the end of input ends a line", "[ownership]") {
    SECTION("a last comment line without LF is a node") {
        const auto doc = ngxconf::parse("a;\n  # c");
        const auto kids = children(doc.root());
        REQUIRE(kids.size() == 2);
        CHECK(kids[1].is_comment());
        CHECK(kids[1].text() == "  # c");
        CHECK(kids[1].as_comment().text() == "# c");
    }
    SECTION("a last blank line without LF is a blank node") {
        const auto doc = ngxconf::parse("a;\n \t ");
        const auto kids = children(doc.root());
        REQUIRE(kids.size() == 2);
        CHECK(kids[1].is_blank());
        CHECK(kids[1].text() == " \t ");
    }
    SECTION("a directive ending the input has the trailing it has") {
        const auto doc = ngxconf::parse("a;\nb; # c");
        const auto kids = children(doc.root());
        REQUIRE(kids.size() == 2);
        CHECK(kids[1].text() == "b; # c");
        CHECK(piece_after(doc, kind::trailing, 3) == " # c");
        const auto doc2 = ngxconf::parse("s {\n}");
        CHECK(doc2.root().first_child().text() == "s {\n}");
        for (const auto& p : ngxconf::pieces(doc2)) CHECK(p.what != kind::close_trailing);
    }
    SECTION("a disabled directive ending the input") {
        const auto doc = ngxconf::parse("a;\n#b 1;");
        const auto kids = children(doc.root());
        REQUIRE(kids.size() == 2);
        CHECK_FALSE(kids[1].as_directive().enabled());
        CHECK(kids[1].text() == "#b 1;");
    }
    SECTION("blanks at the end inside nothing else") {
        const auto doc = ngxconf::parse("   ");
        REQUIRE(doc.root().size() == 1);
        CHECK(doc.root().first_child().is_blank());
        CHECK(ngxconf::parse("").root().empty());
    }
}

TEST_CASE("R8: every token keeps its raw bytes, values are decoded on request", "[ownership]") {
    const std::string text = "add_header  \"X-A\\\"b\"\t'c\\'d' e\\tf \"\" ;\n";
    const auto doc = ngxconf::parse(text);
    const auto d = doc.root().first_child().as_directive();
    REQUIRE(d.arg_count() == 4);
    CHECK(d.raw_arg(0) == "\"X-A\\\"b\"");
    CHECK(d.raw_arg(1) == "'c\\'d'");
    CHECK(d.raw_arg(2) == "e\\tf");
    CHECK(d.raw_arg(3) == "\"\"");
    CHECK(d.args() == strings{"X-A\"b", "c'd", "e\tf", ""});
    CHECK(d.quote(0) == ngxconf::quote_style::dbl);
    CHECK(d.quote(1) == ngxconf::quote_style::single);
    CHECK(d.quote(2) == ngxconf::quote_style::none);
    // The pieces carry the raw bytes, at their offsets in the source.
    std::vector<std::string> raw_pieces;
    for (const auto& p : ngxconf::pieces(doc)) {
        if (p.what != kind::arg) continue;
        raw_pieces.emplace_back(p.bytes);
        CHECK(doc.source().substr(p.offset, p.bytes.size()) == p.bytes);
    }
    CHECK(raw_pieces == strings{"\"X-A\\\"b\"", "'c\\'d'", "e\\tf", "\"\""});
    CHECK(d.text() == text);
    // dump_tree shows raw arguments, not decoded ones.
    CHECK(ngxconf::dump_tree(doc).find("[\"\\\"X-A\\\\\\\"b\\\"\",") != std::string::npos);
}
