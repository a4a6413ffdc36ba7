// crossplane-compatible JSON (`ngxconf parse --json`): the schema of crossplane's `parse`.
#include "test_support.hpp"

using namespace ngxconf;

TEST_CASE("crossplane JSON: directives, lines, args, blocks", "[json]") {
    const auto doc = parse(
        "# top\nhttp {\n    server { listen 80; }\n    if ($a = \"b c\") { return 200 'x\\'y'; }\n}\n",
        "n.conf");
    CHECK(to_crossplane_json(doc) ==
          "{\"status\":\"ok\",\"errors\":[],\"config\":[{\"file\":\"n.conf\",\"status\":\"ok\","
          "\"errors\":[],\"parsed\":[{\"directive\":\"http\",\"line\":2,\"args\":[],\"block\":["
          "{\"directive\":\"server\",\"line\":3,\"args\":[],\"block\":[{\"directive\":\"listen\","
          "\"line\":3,\"args\":[\"80\"]}]},{\"directive\":\"if\",\"line\":4,\"args\":[\"$a\",\"=\","
          "\"b c\"],\"block\":[{\"directive\":\"return\",\"line\":4,\"args\":[\"200\",\"x'y\"]}]}]}]}]}");
}

TEST_CASE("crossplane JSON: comments and disabled directives on request", "[json]") {
    const auto doc = parse("## Version 2025/07/18\nserver {\n    #include /config/a.conf;\n}\n", "s.conf");
    const auto plain = to_crossplane_config(doc);
    CHECK(plain.find("\"#\"") == std::string::npos);
    const auto with = to_crossplane_config(doc, {.include_comments = true});
    CHECK(with.find("{\"directive\":\"#\",\"line\":1,\"args\":[],\"comment\":\"# Version 2025/07/18\"}") !=
          std::string::npos);
    CHECK(with.find("{\"directive\":\"#\",\"line\":3,\"args\":[],\"comment\":\"include /config/a.conf;\","
                    "\"disabled\":{\"directive\":\"include\",\"args\":[\"/config/a.conf\"]}}") !=
          std::string::npos);
}

TEST_CASE("crossplane JSON: Lua code is one argument; bytes that are not UTF-8 are escaped", "[json]") {
    const auto doc = parse("content_by_lua_block { ngx.say(\"}\") }\nreturn 200 \"\xff\xc3\xa9\";\n");
    const auto json = to_crossplane_config(doc);
    CHECK(json.find("\"args\":[\" ngx.say(\\\"}\\\") \"]") != std::string::npos);
    CHECK(json.find("\"args\":[\"200\",\"\\ufffd\xc3\xa9\"]") != std::string::npos);
}

TEST_CASE("crossplane JSON: a real U+FFFD stays as written; surrogateescape keeps the bytes", "[json]") {
    const auto doc = parse("return 200 \"\xef\xbf\xbd\xff\";\n", "\xe9.conf");
    CHECK(to_crossplane_config(doc) ==
          "{\"file\":\"\\udce9.conf\",\"status\":\"ok\",\"errors\":[],\"parsed\":[{\"directive\":"
          "\"return\",\"line\":1,\"args\":[\"200\",\"\xef\xbf\xbd\\ufffd\"]}]}");
    json_options opt;
    opt.bytes = json_bytes::surrogateescape;
    CHECK(to_crossplane_config(doc, opt).find("\"args\":[\"200\",\"\xef\xbf\xbd\\udcff\"]") !=
          std::string::npos);
    CHECK(json_quote("\xc3\xb6\xf6", json_bytes::replace) == "\"\xc3\xb6\\ufffd\"");
    CHECK(json_quote("\xc3\xb6\xf6", json_bytes::surrogateescape) == "\"\xc3\xb6\\udcf6\"");
    CHECK(json_quote("\xc3\xb6\xf6") == "\"\xc3\xb6\\u00f6\"");  // the tree dump's convention
}

TEST_CASE("crossplane JSON: a failed parse writes the file name as Python reads it", "[json]") {
    const auto r = try_parse("return 200 \"\xf6;\n", "\xe9.conf");
    REQUIRE_FALSE(r);
    const auto json = crossplane_failure_json("\xe9.conf", r.error());
    CHECK(json.find("{\"file\":\"\\udce9.conf\",\"line\":") == json.find("{\"file\":"));
    CHECK(json.find(" in \\udce9.conf:") != std::string::npos);
}

TEST_CASE("crossplane JSON: a failed parse and include indexes", "[json]") {
    const auto r = try_parse("server {\n", "bad.conf");  // nginx: line 2, after the last LF
    REQUIRE_FALSE(r);
    CHECK(crossplane_failure_json("bad.conf", r.error()) ==
          "{\"status\":\"failed\",\"errors\":[{\"file\":\"bad.conf\",\"line\":2,\"error\":"
          "\"unexpected end of file, expecting \\\"}\\\" in bad.conf:2\",\"code\":"
          "\"syntax.eof_expecting_close\"}],\"config\":[{\"file\":"
          "\"bad.conf\",\"status\":\"failed\",\"errors\":[{\"line\":2,\"error\":\"unexpected end "
          "of file, expecting \\\"}\\\" in bad.conf:2\",\"code\":\"syntax.eof_expecting_close\"}],"
          "\"parsed\":[]}]}");
    const auto a = parse("include b.conf;\n", "a.conf");
    const auto b = parse("listen 80;\n", "b.conf");
    json_options opt;
    opt.includes_of = [](const const_directive& d) {
        return d.arg(0) == "b.conf" ? std::vector<std::size_t>{1} : std::vector<std::size_t>{};
    };
    const auto json = to_crossplane_json({&a, &b}, opt);
    CHECK(json.find("{\"directive\":\"include\",\"line\":1,\"args\":[\"b.conf\"],\"includes\":[1]}") !=
          std::string::npos);
    CHECK(json.find("{\"file\":\"b.conf\"") != std::string::npos);
}
