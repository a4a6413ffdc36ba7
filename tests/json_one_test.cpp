// to_crossplane_directive: one directive as a crossplane "parsed" entry (ngxconf select --json).
#include "test_support.hpp"

using namespace ngxconf;

TEST_CASE("crossplane directive: name, line of the name, decoded args, no block", "[json]") {
    const auto doc = parse("server {\n    listen 443\n        ssl;\n    if ($a = \"b c\") { return 204; }\n}\n");
    const auto server = find_first(doc.root(), "server");
    CHECK(to_crossplane_directive(server) == "{\"directive\":\"server\",\"line\":1,\"args\":[]}");
    const auto listen = find_first(server.body(), "listen");
    CHECK(to_crossplane_directive(listen) ==
          "{\"directive\":\"listen\",\"line\":2,\"args\":[\"443\",\"ssl\"]}");
    const auto cond = find_first(server.body(), "if");
    CHECK(to_crossplane_directive(cond) ==
          "{\"directive\":\"if\",\"line\":4,\"args\":[\"$a\",\"=\",\"b c\"]}");
    CHECK(to_crossplane_directive(cond, {.strip_if_parens = false}) ==
          "{\"directive\":\"if\",\"line\":4,\"args\":[\"($a\",\"=\",\"b c\",\")\"]}");
}

TEST_CASE("crossplane directive: disabled, Lua code, include indexes", "[json]") {
    const auto doc = parse("#include /config/a.conf;\ncontent_by_lua_block { ngx.say(1) }\ninclude b.conf;\n");
    const auto all = find_all(doc.root(), "include", {.include_disabled = true});
    REQUIRE(all.size() == 2);
    CHECK(to_crossplane_directive(all[0]) ==
          "{\"directive\":\"include\",\"line\":1,\"args\":[\"/config/a.conf\"],\"disabled\":true}");
    json_options opt;
    opt.includes_of = [](const const_directive&) { return std::vector<std::size_t>{3, 4}; };
    CHECK(to_crossplane_directive(all[1], opt) ==
          "{\"directive\":\"include\",\"line\":3,\"args\":[\"b.conf\"],\"includes\":[3,4]}");
    const auto lua = find_first(doc.root(), "content_by_lua_block");
    CHECK(to_crossplane_directive(lua) ==
          "{\"directive\":\"content_by_lua_block\",\"line\":2,\"args\":[\" ngx.say(1) \"]}");
}
