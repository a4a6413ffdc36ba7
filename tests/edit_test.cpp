// Edits: exact bytes before and after, one TEST_CASE per operation and edge.
#include "test_support.hpp"

using namespace ngxconf;

namespace {
directive first(document& doc, std::string_view name) {
    auto d = find_first(doc.root(), name, {.recursive = true, .include_disabled = true});
    REQUIRE(d);
    return d;
}
}  // namespace

TEST_CASE("enable removes exactly the one '#', keeping indentation and neighbours", "[edit]") {
    auto doc = parse("server {\n    #include /a.conf; # why\n#    listen 443 quic;\n}\n");
    CHECK(enable(first(doc, "include")) == toggle_status::changed);
    CHECK(enable(first(doc, "listen")) == toggle_status::changed);
    CHECK(to_string(doc) == "server {\n    include /a.conf; # why\n    listen 443 quic;\n}\n");
    CHECK(enable(first(doc, "listen")) == toggle_status::unchanged);
}

TEST_CASE("enable_at_block_indent puts `# include` at the block's indentation", "[edit]") {
    auto doc = parse("server {\n    # enable for Authentik\n    # include /a.conf;\n#    listen 443;\n"
                     "    #access_log off;\n}\n");
    CHECK(enable_at_block_indent(first(doc, "include")) == toggle_status::changed);
    CHECK(enable_at_block_indent(first(doc, "listen")) == toggle_status::changed);
    CHECK(enable_at_block_indent(first(doc, "access_log")) == toggle_status::changed);
    CHECK(enable_at_block_indent(first(doc, "include")) == toggle_status::unchanged);
    CHECK(to_string(doc) == "server {\n    # enable for Authentik\n    include /a.conf;\n    listen 443;\n"
                            "    access_log off;\n}\n");
    // Off again: SWAG's spelling, '#' right before the name.
    CHECK(disable(first(doc, "include")) == toggle_status::changed);
    CHECK(to_string(doc) == "server {\n    # enable for Authentik\n    #include /a.conf;\n    listen 443;\n"
                            "    access_log off;\n}\n");
    CHECK(to_string(parse(to_string(doc))) == to_string(doc));
}

TEST_CASE("modified() is false until an edit, and a refused edit leaves it false", "[edit]") {
    auto doc = parse("server {\n    #include /a.conf;\n    listen 80;\n}\n");
    CHECK_FALSE(doc.modified());
    CHECK(disable(first(doc, "server")) == toggle_status::is_block);
    CHECK(enable(first(doc, "listen")) == toggle_status::unchanged);
    CHECK_FALSE(doc.modified());
    CHECK(enable(first(doc, "include")) == toggle_status::changed);
    CHECK(doc.modified());
    auto other = parse("a;\nb;\n");
    remove(first(other, "b"));
    CHECK(other.modified());
    CHECK(to_string(other) == "a;\n");
}

TEST_CASE("on -> off -> on is byte-reversible for both SWAG spellings", "[edit]") {
    const std::string text = "server {\n    #include /a.conf;\n#    listen 443 quic;\n    listen 80;\n}\n";
    auto doc = parse(text);
    for (auto d : find_all(doc.root().first_child().as_block(), "include", {.include_disabled = true})) {
        REQUIRE(enable(d) == toggle_status::changed);
        REQUIRE(disable(d) == toggle_status::changed);
    }
    auto quic = find_all(doc.root().first_child().as_block(), "listen", {.include_disabled = true});
    REQUIRE(quic.size() == 2);
    REQUIRE(enable(quic[0]) == toggle_status::changed);
    REQUIRE(disable(quic[0]) == toggle_status::changed);
    REQUIRE(disable(quic[1]) == toggle_status::changed);
    CHECK(to_string(doc) == "server {\n    #include /a.conf;\n#    listen 443 quic;\n    #listen 80;\n}\n");
    REQUIRE(enable(quic[1]) == toggle_status::changed);
    CHECK(to_string(doc) == text);
}

TEST_CASE("toggling is refused for blocks, multi-line directives and commented blocks", "[edit]") {
    auto doc = parse("location / {\n    proxy_pass # c\n      http://x;\n}\n#server {\n#    listen 80;\n#}\n");
    CHECK(disable(first(doc, "location")) == toggle_status::is_block);
    CHECK(disable(first(doc, "proxy_pass")) == toggle_status::not_single_line);
    CHECK(enable(first(doc, "listen")) == toggle_status::inside_commented_block);
    CHECK(to_string(doc) == doc.source());
}

TEST_CASE("set_arg keeps separators and quote style, quotes when needed", "[edit]") {
    auto doc = parse("proxy_pass  http://a;\nadd_header X \"old value\";\nreturn 200 'x';\n");
    set_arg(first(doc, "proxy_pass"), 0, "http://b");
    set_arg(first(doc, "add_header"), 1, "new");
    set_arg(first(doc, "return"), 1, "it's");
    CHECK(to_string(doc) == "proxy_pass  http://b;\nadd_header X \"new\";\nreturn 200 'it\\'s';\n");
    CHECK(first(doc, "return").arg(1) == "it's");
}

TEST_CASE("no value can inject a directive", "[edit]") {
    auto doc = parse("set $a b;\n");
    const std::vector<std::string> nasty = {"x; include /etc/shadow", "", "a{b", "#x", "}",
                                            "\"q\"", "a\\", "a\\\"b", "line\nbreak", "'",
                                            "tab\there", "semi;", "\\n"};
    for (const auto& v : nasty) {
        set_arg(first(doc, "set"), 1, v);
        const auto printed = to_string(doc);
        INFO(json_quote(printed));
        const auto again = parse(printed);
        const auto sets = find_all(again.root(), "set");
        REQUIRE(sets.size() == 1);
        REQUIRE(sets[0].arg_count() == 2);
        CHECK(sets[0].arg(1) == v);
        CHECK(again.root().size() == 1);
    }
}

TEST_CASE("insert copies the indentation of the nearest sibling and the file's newline", "[edit]") {
    auto doc = parse("server {\r\n\tlisten 80;\r\n\r\n\tlocation / {\r\n\t}\r\n}\r\n");
    auto server = first(doc, "server");
    insert_directive(first(doc, "listen"), insert_at::after, "server_name", {"a.example"});
    insert_directive(first(doc, "location").body(), insert_at::last_child, "return", {"200", "ok go"});
    CHECK(to_string(doc) ==
          "server {\r\n\tlisten 80;\r\n\tserver_name a.example;\r\n\r\n\tlocation / {\r\n"
          "\t\treturn 200 \"ok go\";\r\n\t}\r\n}\r\n");
    (void)server;
}

TEST_CASE("insert at the end of a file without a final newline keeps it without one", "[edit]") {
    auto doc = parse("a 1;\nb 2;");
    insert_directive(doc.root(), insert_at::last_child, "c", {"3"});
    CHECK(to_string(doc) == "a 1;\nb 2;\nc 3;");
    CHECK(parse(to_string(doc)).root().size() == 3);
}

TEST_CASE("insert next to a same-line sibling stays on that line", "[edit]") {
    auto doc = parse("location / { return 200; }\n");
    insert_directive(first(doc, "return"), insert_at::before, "add_header", {"X", "1"});
    CHECK(to_string(doc) == "location / { add_header X 1; return 200; }\n");
}

TEST_CASE("insert into an empty block uses the owner's indent plus the file's unit", "[edit]") {
    auto doc = parse("http {\n  server {\n    listen 80;\n  }\n  server {\n  }\n}\n");
    auto servers = find_all(first(doc, "http").body(), "server");
    insert_directive(servers[1].body(), insert_at::first_child, "listen", {"81"});
    CHECK(to_string(doc) == "http {\n  server {\n    listen 80;\n  }\n  server {\n    listen 81;\n  }\n}\n");
}

TEST_CASE("insert_block builds a block that reads like hand-written text", "[edit]") {
    auto doc = parse("server {\n    listen 80;\n}\n");
    auto loc = insert_block(first(doc, "listen"), insert_at::after, "location", {"/api"});
    insert_directive(loc.body(), insert_at::last_child, "proxy_pass", {"http://x:9000"});
    CHECK(to_string(doc) ==
          "server {\n    listen 80;\n    location /api {\n        proxy_pass http://x:9000;\n    }\n}\n");
}

TEST_CASE("remove takes the node's own line and nothing else", "[edit]") {
    auto doc = parse("server {\n    # note\n    listen 80; # eol\n\n    listen 81;\n}\n");
    remove(first(doc, "listen"));
    CHECK(to_string(doc) == "server {\n    # note\n\n    listen 81;\n}\n");
    auto doc2 = parse("a 1; b 2;\n");
    remove(first(doc2, "a"));
    CHECK(to_string(doc2) == "b 2;\n");
}

TEST_CASE("set_args and rename", "[edit]") {
    auto doc = parse("listen  80   default_server;\n");
    set_args(first(doc, "listen"), {"443", "ssl", "http2"});
    CHECK(to_string(doc) == "listen  443   ssl http2;\n");
    set_args(first(doc, "listen"), {"8080"});
    CHECK(to_string(doc) == "listen  8080;\n");
    rename(first(doc, "listen"), "xlisten");
    CHECK(to_string(doc) == "xlisten  8080;\n");
    CHECK_THROWS_AS(rename(first(doc, "xlisten"), "two words"), usage_error);
    CHECK_THROWS_AS(set_arg(first(doc, "xlisten"), 5, "x"), usage_error);
}

TEST_CASE("detach_from_source prints the same bytes", "[edit]") {
    const std::string text = "# c\nserver {\n    #include x;\n    content_by_lua_block { a = '}' }\n}\n\n  ";
    auto doc = parse(text);
    detach_from_source(doc);
    CHECK(to_string(doc) == text);
}

TEST_CASE("validate flags a BOM and near-miss disabled names such as #uth_basic", "[validate]") {
    const auto doc = parse("\xEF\xBB\xBFserver {\n    #uth_basic \"Restricted\";\n    #auth_basic off;\n}\n", "x.conf");
    const auto diags = validate(doc);
    REQUIRE(diags.size() == 2);
    CHECK(diags[0].code == ngxconf::diag_code::bom);
    CHECK(diags[1].code == ngxconf::diag_code::suspicious_disabled_name);
    CHECK(diags[1].fix == "auth_basic");
    CHECK(diags[1].where.begin.line == 2);
    CHECK(validate(parse("#auth_basic off;\n")).empty());
}

TEST_CASE("validate reads what will be printed, not the bytes first read", "[validate]") {
    auto doc = parse("\xEF\xBB\xBF" "a;\n#include x;\n", "x.conf");
    REQUIRE(validate(doc).size() == 1);
    remove(doc.root().first_child());  // the BOM goes with the first line
    CHECK(validate(doc).empty());
    rename(first(doc, "include"), "uth_basic");  // still disabled: now a near miss
    const auto diags = validate(doc);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].code == ngxconf::diag_code::suspicious_disabled_name);
}
