// Generating files: config_builder and reformat().
#include "test_support.hpp"

using namespace ngxconf;

TEST_CASE("config_builder writes SWAG house style that re-parses to the same tree", "[builder]") {
    const auto doc = config_builder()
                         .comment("## Version 2026/11/28")
                         .blank_line()
                         .open("server")
                         .directive("listen", {"443", "ssl"})
                         .directive("server_name", {"auth.*"})
                         .open("location", {"~", "(/authentik)?/api"})
                         .directive("set", {"$upstream_app", "authentik server"})
                         .close()
                         .close()
                         .build("gen.conf");
    const std::string expected =
        "## Version 2026/11/28\n\nserver {\n    listen 443 ssl;\n    server_name auth.*;\n"
        "    location ~ (/authentik)?/api {\n        set $upstream_app \"authentik server\";\n"
        "    }\n}\n";
    CHECK(to_string(doc) == expected);
    CHECK(dump_tree(parse(to_string(doc))) == dump_tree(doc));
    auto set = find_first(doc.root(), "set", {.recursive = true});
    REQUIRE(set);
    CHECK(set.arg(1) == "authentik server");
}

TEST_CASE("config_builder follows a given style and refuses bad names", "[builder]") {
    config_builder b({"\r\n", "\t"});
    b.open("http").directive("include", {"mime.types"}).close();
    CHECK(b.text() == "http {\r\n\tinclude mime.types;\r\n}\r\n");
    CHECK_THROWS_AS(config_builder().directive("two words"), usage_error);
    CHECK_THROWS_AS(config_builder().open("server").build(), usage_error);
    CHECK_THROWS_AS(config_builder().close(), usage_error);
}

TEST_CASE("reformat rewrites generated nodes only, unless asked for all", "[builder]") {
    auto doc = parse("server {\n  listen   80 ;  # keep\n}\n");
    auto server = find_first(doc.root(), "server");
    insert_directive(server.body(), insert_at::last_child, "server_name", {"a"});
    reformat(server.body());
    CHECK(to_string(doc) == "server {\n  listen   80 ;  # keep\n  server_name a;\n}\n");
    reformat(doc.root(), false);
    // The file's own indent unit (two spaces) is the canonical one here.
    CHECK(to_string(doc) == "server {\n  listen 80; # keep\n  server_name a;\n}\n");
}
