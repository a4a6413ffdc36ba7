// check(): nginx's generic directive check from the generated tables. Codes and lines are
// asserted; the messages are nginx's own bytes (the tool prints them as nginx does).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <ngxconf/check.hpp>
#include <ngxconf/document.hpp>
#include <ngxconf/workspace.hpp>

#include "test_support.hpp"

namespace {

using ngxconf::check_context;
using ngxconf::diag_code;

std::vector<ngxconf::diagnostic> run(const std::string& text, check_context ctx = check_context::main,
                                     ngxconf::nginx_version v = ngxconf::nginx_version::v1_22,
                                     std::vector<std::string> modules = {}) {
    const auto doc = ngxconf::parse(text);
    return ngxconf::check(doc, {v, ctx, std::move(modules)});
}

}  // namespace

TEST_CASE("check: a valid main configuration has no diagnostics", "[check]") {
    const auto out = run("worker_processes 2;\nevents { worker_connections 10; }\nhttp {\n"
                         "  include mime.types;\n  server { listen 80; location / { proxy_pass http://a; "
                         "if ($x) { return 200; } limit_except GET { deny all; } } }\n"
                         "  upstream u { server a:1; keepalive 2; }\n  map $a $b { default 1; x y z w; }\n}\n");
    CHECK(out.empty());
}

TEST_CASE("check: nginx's five generic errors, at the line of the terminator", "[check]") {
    struct row {
        std::string text;
        check_context ctx;
        diag_code code;
        std::uint32_t line;
        std::string message;
    };
    const std::vector<row> rows = {
        {"nosuch 1;\n", check_context::http, diag_code::directive_unknown, 1, "unknown directive \"nosuch\""},
        {"proxy_pass\n  http://a\n;\n", check_context::http_server, diag_code::directive_not_allowed, 3,
         "\"proxy_pass\" directive is not allowed here"},
        {"return;\n", check_context::http_location, diag_code::directive_invalid_args, 1,
         "invalid number of arguments in \"return\" directive"},
        {"location /a;\n", check_context::http_server, diag_code::directive_no_opening_brace, 1,
         "directive \"location\" has no opening \"{\""},
        {"add_header A B\n{ }\n", check_context::http_location, diag_code::directive_not_terminated, 2,
         "directive \"add_header\" is not terminated by \";\""},
        {"gzip on off;\n", check_context::http, diag_code::directive_invalid_args, 1,
         "invalid number of arguments in \"gzip\" directive"},
        {"location / { }\n", check_context::http_if_location, diag_code::directive_not_allowed, 1,
         "\"location\" directive is not allowed here"},
    };
    for (const auto& r : rows) {
        INFO(r.text);
        const auto out = run(r.text, r.ctx);
        REQUIRE(out.size() == 1);
        CHECK(out[0].code == r.code);
        CHECK(out[0].level == ngxconf::severity::error);
        CHECK(out[0].where.begin.line == r.line);
        CHECK(out[0].message == r.message);
    }
}

TEST_CASE("check: contexts opened by blocks follow nginx's handlers", "[check]") {
    // if in a server is SIF, in a location LIF: `return` is fine in both, `proxy_pass` only
    // in the latter.
    CHECK(run("server { if ($a) { proxy_pass http://x; } }", check_context::http).at(0).code ==
          diag_code::directive_not_allowed);
    CHECK(run("location / { if ($a) { proxy_pass http://x; } }", check_context::http_server).empty());
    // The bodies a handler reads itself are not checked (types, map, lua).
    CHECK(run("types { text/html html; }\nmap $a $b { hostnames; x 1; }", check_context::http).empty());
    CHECK(run("content_by_lua_block { nonsense here; }", check_context::http_location).empty());
    // A failed block's body is skipped: one diagnostic, not one per child.
    CHECK(run("server { nosuch; }", check_context::main).size() == 1);
}

TEST_CASE("check: versions and module sets", "[check]") {
    const std::string h2 = "http2 on;\n";
    CHECK(run(h2, check_context::http_server, ngxconf::nginx_version::v1_22).at(0).code ==
          diag_code::directive_unknown);
    CHECK(run(h2, check_context::http_server, ngxconf::nginx_version::v1_26).empty());
    const std::string more = "more_set_headers 'A: b';\n";
    CHECK(run(more, check_context::http_location).empty());
    CHECK(run(more, check_context::http_location, ngxconf::nginx_version::v1_22, {"nginx"}).at(0).code ==
          diag_code::directive_unknown);
    CHECK(run(more, check_context::http_location, ngxconf::nginx_version::v1_22, {"-http-headers-more-filter"})
              .at(0).code == diag_code::directive_unknown);
    // A directive some loaded module has, in a context of an unloaded one: not allowed, as
    // nginx says "found" for any module before it looks at the context.
    CHECK(run("stream { server { proxy_pass a:1; } }", check_context::main, ngxconf::nginx_version::v1_22,
              {"nginx", "-stream_*", "-stream"}).at(0).code == diag_code::directive_unknown);
}

TEST_CASE("check: names of versions and contexts", "[check]") {
    CHECK(ngxconf::nginx_version_named("1.22.1") == ngxconf::nginx_version::v1_22);
    CHECK(ngxconf::nginx_version_named("1.26") == ngxconf::nginx_version::v1_26);
    CHECK_FALSE(ngxconf::nginx_version_named("1.24"));
    for (int i = 0; i <= static_cast<int>(check_context::mail_server); ++i) {
        const auto c = static_cast<check_context>(i);
        CHECK(ngxconf::check_context_named(ngxconf::to_string(c)) == c);
    }
    CHECK(ngxconf::directive_table(ngxconf::nginx_version::v1_26).size() >
          ngxconf::directive_table(ngxconf::nginx_version::v1_22).size());
}

TEST_CASE("check: includes are checked in the context of the include line", "[check]") {
    const test::temp_dir dir("check-include");
    std::ofstream(dir / "main.conf") << "http {\n  server {\n    include loc.conf;\n  }\n}\n";
    std::ofstream(dir / "loc.conf") << "listen 80;\nproxy_pass http://a;\n";
    ngxconf::workspace ws;
    const auto& root = ws.load(dir / "main.conf");
    const auto out = ngxconf::check(ws, root, {ngxconf::nginx_version::v1_22, check_context::main, {}});
    REQUIRE(out.size() == 1);
    CHECK(out[0].code == diag_code::directive_not_allowed);
    CHECK(out[0].where.begin.line == 2);
    CHECK(std::filesystem::path(out[0].where.file).filename() == "loc.conf");
}
