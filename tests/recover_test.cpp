// parse_recovering: a tree and every syntax error for text that does not parse, losslessly;
// the first error is parse()'s, and text that parses gives parse()'s tree and no error.
#include <ngxconf/dump.hpp>
#include <ngxconf/edit.hpp>
#include <ngxconf/json.hpp>
#include <ngxconf/query.hpp>
#include <ngxconf/walk.hpp>

#include "test_support.hpp"

using namespace ngxconf;

namespace {

// One line per node in document order: kind, then a directive's name or the bytes of
// anything else; children indented.
std::string shape(const document& doc) {
    std::string out;
    walk(doc.root(), [&](walk_event e, const const_node& n, std::size_t depth) {
        if (e == walk_event::leave) return walk_action::descend;
        out.append((depth - 1) * 2, ' ');
        switch (n.kind()) {
            case node_kind::directive: out += "directive "; break;
            case node_kind::comment: out += "comment "; break;
            case node_kind::blank: out += "blank "; break;
            case node_kind::error: out += "error "; break;
            case node_kind::root: break;
        }
        if (n.as_directive()) {
            out += std::string(n.as_directive().name());
        } else {
            out += json_quote(n.text());
        }
        out += '\n';
        return walk_action::descend;
    });
    return out;
}

struct expected_error {
    error_code code;
    std::uint32_t line;
    std::uint32_t column;
};

void check_errors(const recovered_document& r, const std::vector<expected_error>& want) {
    REQUIRE(r.errors.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("error " << i << ": " << r.errors[i].message);
        CHECK(r.errors[i].level == severity::error);
        CHECK(r.errors[i].code == want[i].code);
        CHECK(r.errors[i].where.begin.line == want[i].line);
        CHECK(r.errors[i].where.begin.column == want[i].column);
        CHECK(r.errors[i].where.file == "t.conf");
    }
}

// What the strict parse says of the same bytes, against the recovering one.
void agrees_with_parse(const std::string& bytes, const std::string& name) {
    INFO(name);
    const auto r = parse_recovering(bytes, name);
    REQUIRE(to_string(r.doc) == bytes);
    auto strict = try_parse(bytes, name);
    if (strict) {
        CHECK(r.errors.empty());
        CHECK(dump_tree(r.doc) == dump_tree(strict.value()));
        return;
    }
    REQUIRE_FALSE(r.errors.empty());
    const auto& e = strict.error();
    CHECK(r.errors.front().code == e.code());
    CHECK(r.errors.front().message == std::string(e.description()));
    CHECK(r.errors.front().where.begin.line == e.where().begin.line);
    CHECK(r.errors.front().where.begin.column == e.where().begin.column);
}

}  // namespace

TEST_CASE("recovering: text that parses gives parse()'s tree and no error", "[recover]") {
    const std::string text = "events {\n    worker_connections 1024;\n}\n# note\n\nhttp { }\n";
    const auto r = parse_recovering(text, "t.conf");
    CHECK(r.errors.empty());
    CHECK(dump_tree(r.doc) == dump_tree(parse(text, "t.conf")));
}

TEST_CASE("recovering: a stray ; { or } is an error node with its line, the rest reads on",
          "[recover]") {
    const std::string text = "a 1;\n;\n  } # x\nb 2; {\nc 3;\n";
    const auto r = parse_recovering(text, "t.conf");
    CHECK(to_string(r.doc) == text);
    check_errors(r, {{error_code::unexpected_semicolon, 2, 1},
                     {error_code::unexpected_close_brace, 3, 3},
                     {error_code::unexpected_open_brace, 4, 6}});
    CHECK(shape(r.doc) ==
          "directive a\nerror \";\\n\"\nerror \"  } # x\\n\"\ndirective b\nerror \"{\\n\"\n"
          "directive c\n");
}

TEST_CASE("recovering: a directive cut short by } is an error node; the } closes its block",
          "[recover]") {
    const std::string text = "server {\n    listen 80\n}\nserver_name x;\nreturn 204 }\n";
    const auto r = parse_recovering(text, "t.conf");
    CHECK(to_string(r.doc) == text);
    check_errors(r, {{error_code::unexpected_close_brace, 3, 1},
                     {error_code::unexpected_close_brace, 5, 12}});
    CHECK(shape(r.doc) ==
          "directive server\n  error \"    listen 80\\n\"\ndirective server_name\n"
          "error \"return 204 }\\n\"\n");
}

TEST_CASE("recovering: the end of input closes what is open, each reported", "[recover]") {
    const std::string text = "http {\n    server {\n        listen 80";
    const auto r = parse_recovering(text, "t.conf");
    CHECK(to_string(r.doc) == text);
    check_errors(r, {{error_code::eof_expecting_terminator, 3, 18},
                     {error_code::eof_expecting_close, 3, 18}});
    CHECK(shape(r.doc) == "directive http\n  directive server\n    error \"        listen 80\"\n");
    const auto server = find_first(r.doc.root(), "server", {.recursive = true});
    REQUIRE(server);
    CHECK(server.body());
}

TEST_CASE("recovering: after a lexer failure the rest is one error node", "[recover]") {
    const std::string text = "a 1;\nb \"x\"y;\nc 3;\n}\n";
    const auto r = parse_recovering(text, "t.conf");
    CHECK(to_string(r.doc) == text);
    check_errors(r, {{error_code::unexpected_character, 2, 6}});
    CHECK(shape(r.doc) == "directive a\nerror \"b \\\"x\\\"y;\\nc 3;\\n}\\n\"\n");
}

TEST_CASE("recovering: an unclosed Lua block is an error node to the end", "[recover]") {
    const std::string text = "server {\n    content_by_lua_block {\n        if x then\n";
    const auto r = parse_recovering(text, "t.conf");
    CHECK(to_string(r.doc) == text);
    REQUIRE_FALSE(r.errors.empty());
    CHECK(r.errors.front().code == error_code::eof_in_lua_block);
    CHECK(shape(r.doc) ==
          "directive server\n  error \"    content_by_lua_block {\\n        if x then\\n\"\n");
}

TEST_CASE("recovering: a block nginx refuses by its place opens as any other", "[recover]") {
    const std::string text = "map $a $b {\n    x { y 1; }\n    default 0;\n}\n";
    const auto r = parse_recovering(text, "t.conf");
    CHECK(to_string(r.doc) == text);
    check_errors(r, {{error_code::unexpected_open_brace, 2, 7}});
    CHECK(shape(r.doc) == "directive map\n  directive x\n    directive y\n  directive default\n");

    parse_options shallow;
    shallow.max_depth = 1;
    const auto deep = parse_recovering("a {\n b {\n  c {\n  }\n }\n}\n", "t.conf", shallow);
    REQUIRE(deep.errors.size() == 1);  // once, not per level
    CHECK(deep.errors.front().code == error_code::nesting_too_deep);
    CHECK(to_string(deep.doc) == "a {\n b {\n  c {\n  }\n }\n}\n");
}

TEST_CASE("recovering: a token over nginx's buffer ends the reading", "[recover]") {
    const std::string text = "a 1;\nb " + std::string(5000, 'x') + ";\nc 3;\n";
    const auto r = parse_recovering(text, "t.conf");
    CHECK(to_string(r.doc) == text);
    check_errors(r, {{error_code::too_long_parameter, 2, 3}});
    CHECK(shape(r.doc) == "directive a\nerror " + json_quote(text.substr(5)) + "\n");
}

TEST_CASE("recovering: error nodes are left out of queries and JSON and can be removed",
          "[recover]") {
    auto r = parse_recovering("a 1;\n;\nb 2;\n", "t.conf");
    REQUIRE(r.errors.size() == 1);
    std::vector<std::string> names;
    for_each_directive(r.doc.root(), [&](const directive& d) { names.emplace_back(d.name()); });
    CHECK(names == std::vector<std::string>{"a", "b"});
    CHECK(to_crossplane_config(r.doc) ==
          "{\"file\":\"t.conf\",\"status\":\"ok\",\"errors\":[],\"parsed\":[{\"directive\":\"a\","
          "\"line\":1,\"args\":[\"1\"]},{\"directive\":\"b\",\"line\":3,\"args\":[\"2\"]}]}");
    auto err = r.doc.root().first_child().next_sibling();
    REQUIRE(err.is_error());
    CHECK_FALSE(err.as_directive());
    CHECK(err.text() == ";\n");
    remove(err);
    CHECK(to_string(r.doc) == "a 1;\nb 2;\n");
    CHECK(try_parse(to_string(r.doc)));
}

TEST_CASE("recovering: every error fixture's first error is nginx's (parse()'s)", "[recover]") {
    std::size_t failing = 0;
    for (const auto& dir : {"invalid", "nginx", "regress", "roundtrip"}) {
        for (const auto& p : test::files_below(test::fixtures_dir() / dir, "")) {
            const auto bytes = test::read_file(p);
            agrees_with_parse(bytes, p.filename().string());
            if (!try_parse(bytes)) ++failing;
        }
    }
    CHECK(failing >= 40);  // the fixtures hold nginx's errors, not only good files
}

TEST_CASE("recovering: the corpus reads as parse() reads it", "[recover][corpus]") {
    const auto files = test::files_below(test::corpus_dir(), "");
    if (files.empty()) {
        test::missing_prerequisite("no corpus at " + test::corpus_dir().string());
        return;
    }
    for (const auto& p : files) agrees_with_parse(test::read_file(p), p.string());
}
