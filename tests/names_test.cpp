// A directive's name is nginx's reading of its first word (quotes removed, escapes decoded),
// everywhere: the accessor, queries, selectors, the Lua and map/types body rules, include
// following and the JSON. The bytes stay as written.
#include <ngxconf/workspace.hpp>

#include "test_support.hpp"

using namespace ngxconf;

namespace {

std::vector<std::string> names_below(const block& b) {
    std::vector<std::string> out;
    for_each_directive(b, [&](const directive& d) { out.emplace_back(d.name()); }, {.recursive = true});
    return out;
}

}  // namespace

TEST_CASE("name() decodes the first word as nginx does; raw_name() keeps its bytes", "[names]") {
    const std::string text =
        "\"server\" {\n"
        "    'listen' 80;\n"
        "}\n"
        "map $a $b {\n"
        "    \"\" 0;\n"
        "    \"~*^bearer (.*)$\" $1;\n"
        "    '~Opera Mini' 1;\n"
        "    \"~\\\\x00\" 1;\n"
        "    \"a\\\"b\\tc\" 2;\n"
        "    fo\\\\o\\x 3;\n"
        "    plain 4;\n"
        "}\n";
    auto doc = parse(text);
    CHECK(to_string(doc) == text);
    CHECK(names_below(doc.root()) ==
          std::vector<std::string>{"server", "listen", "map", "", "~*^bearer (.*)$", "~Opera Mini",
                                   "~\\x00", "a\"b\tc", "fo\\o\\x", "plain"});
    std::vector<std::string> raws;
    for_each_directive(doc.root(), [&](const directive& d) { raws.emplace_back(d.raw_name()); },
                       {.recursive = true});
    CHECK(raws == std::vector<std::string>{"\"server\"", "'listen'", "map", "\"\"",
                                           "\"~*^bearer (.*)$\"", "'~Opera Mini'", "\"~\\\\x00\"",
                                           "\"a\\\"b\\tc\"", "fo\\\\o\\x", "plain"});
    // A const document reads the same.
    const document& cdoc = doc;
    CHECK(find_first(cdoc.root(), "server").raw_name() == "\"server\"");
    CHECK(find_all(doc.root(), "", {.recursive = true}).size() == 1);
}

TEST_CASE("queries and selectors find quoted names by nginx's reading", "[names]") {
    auto doc = parse("http {\n    \"server\" {\n        'location' / { \"include\" a.conf; }\n    }\n}\n");
    CHECK(find_all(doc.root(), "include", {.recursive = true}).size() == 1);
    CHECK(select(doc.root(), "http > server > location include").size() == 1);
    CHECK(select(doc.root(), "\"server\"").empty());
    const auto loc = find_first(doc.root(), "location", {.recursive = true});
    REQUIRE(loc);
    CHECK(loc.arg(0) == "/");
    CHECK(ancestors(loc).size() == 2);
}

TEST_CASE("a quoted *_by_lua_block name opens a Lua block", "[names]") {
    const std::string text = "location / {\n    \"content_by_lua_block\" { a = { 1 } }\n}\n";
    auto doc = parse(text);
    const auto lua = find_first(doc.root(), "content_by_lua_block", {.recursive = true});
    REQUIRE(lua);
    CHECK(lua.is_lua_block());
    CHECK(lua.lua_code() == " a = { 1 } ");
    CHECK(to_string(doc) == text);
    // An escape makes it another name: its body is a block of directives again.
    const auto r = try_parse("content_by_lua_bloc\\k { a = { 1 } }\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == error_code::unexpected_close_brace);
    CHECK(r.error().where().begin.line == 1);
    // The lua module reports an unterminated block at the line of its `{`.
    const auto open = try_parse("return 204;\n'access_by_lua_block' {\n    ngx.say(\"}\")\n");
    REQUIRE_FALSE(open);
    CHECK(open.error().code() == error_code::eof_in_lua_block);
    CHECK(open.error().where().begin.line == 2);
}

TEST_CASE("a map or types body opened by a quoted name takes no blocks", "[names]") {
    for (const std::string_view text : {"\"map\" $a $b {\n    x { }\n}\n", "'types' {\n    x { }\n}\n"}) {
        const auto r = try_parse(text);
        REQUIRE_FALSE(r);
        CHECK(r.error().code() == error_code::unexpected_open_brace);
        CHECK(r.error().where().begin.line == 2);
    }
    // The edit API applies the same rule.
    auto doc = parse("\"map\" $a $b {\n    default 0;\n}\n");
    const auto map = find_first(doc.root(), "map");
    REQUIRE(map);
    CHECK_THROWS_AS(insert_block(map.body(), insert_at::last_child, "x", {}), usage_error);
}

TEST_CASE("renaming a quoted name writes a bare word; the other bytes stay", "[names]") {
    auto doc = parse("\"return\" 204;\n'add_header' X 1;\n");
    auto d = find_first(doc.root(), "return");
    REQUIRE(d);
    rename(d, "deny");
    CHECK(d.name() == "deny");
    CHECK(d.raw_name() == "deny");
    CHECK(to_string(doc) == "deny 204;\n'add_header' X 1;\n");
    const auto h = find_first(doc.root(), "add_header");
    REQUIRE(h);
    set_arg(h, 0, "Y");
    CHECK(h.name() == "add_header");
    CHECK(h.raw_name() == "'add_header'");
    CHECK(to_string(doc) == "deny 204;\n'add_header' Y 1;\n");
}

TEST_CASE("a name read once and renamed reads the new bytes, backslashes and all", "[names]") {
    // The decoded name is kept per node; a rename to another word with a backslash must not
    // answer the old decoding (found by edit_fuzz).
    auto doc = parse("\\\" 1;\n");
    auto d = find_first(doc.root(), "\"");
    REQUIRE(d);
    rename(d, "a\\:b");
    CHECK(d.name() == "a\\:b");
    CHECK(to_string(doc) == "a\\:b 1;\n");
}

TEST_CASE("crossplane JSON names a quoted directive and a map key by nginx's reading", "[names][json]") {
    const auto doc = parse("map $a $b {\n    \"\" 0;\n    '~Opera Mini' 1;\n}\n\"if\" ($a) { }\n", "m.conf");
    CHECK(to_crossplane_config(doc) ==
          "{\"file\":\"m.conf\",\"status\":\"ok\",\"errors\":[],\"parsed\":[{\"directive\":\"map\","
          "\"line\":1,\"args\":[\"$a\",\"$b\"],\"block\":[{\"directive\":\"\",\"line\":2,\"args\":"
          "[\"0\"]},{\"directive\":\"~Opera Mini\",\"line\":3,\"args\":[\"1\"]}]},{\"directive\":"
          "\"if\",\"line\":5,\"args\":[\"$a\"],\"block\":[]}]}");
}

TEST_CASE("workspace follows a quoted include", "[names][workspace]") {
    test::temp_dir dir("names");
    {
        std::ofstream(dir / "main.conf") << "\"include\" b.conf;\n'include' 'c.conf';\n";
        std::ofstream(dir / "b.conf") << "b_loaded 1;\n";
        std::ofstream(dir / "c.conf") << "c_loaded 1;\n";
    }
    workspace ws;
    (void)ws.load(dir / "main.conf");
    CHECK(ws.find(dir / "b.conf") != nullptr);
    CHECK(ws.find(dir / "c.conf") != nullptr);
    CHECK(ws.problems().empty());
}
