// Differential test against the real nginx: for every fragment in fixtures/nginx, `nginx -t`
// and ngxconf::try_parse must both accept, or both reject with the same message at the same
// line. Expected verdicts are never written down: nginx gives them at test time.
//
// Tagged [nginx] and hidden ([.]): run by the `nginx_oracle` ctest (tests/register_nginx.cmake),
// not by the default discovery. Without nginx the test fails under CI=true and is skipped
// otherwise (exit code $NGXCONF_SKIP_EXIT_CODE when ctest sets it, else a warning).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "nginx_oracle.hpp"
#include "test_support.hpp"

namespace {

// nginx is missing: fail in CI, skip elsewhere.
void no_nginx(const std::string& why) { test::missing_prerequisite("nginx oracle: " + why); }

}  // namespace

TEST_CASE("nginx's stderr is parsed into message, file and line", "[oracle]") {
    using oracle::parse_nginx_stderr;
    SECTION("the error-log form (-e stderr)") {
        const auto v = parse_nginx_stderr(
            "2024/05/01 10:00:00 [emerg] 4711#4711: unexpected \"}\" in /tmp/d/frag.conf:3\n"
            "nginx: configuration file /tmp/d/main.conf test failed\n",
            "/tmp/d/frag.conf");
        CHECK_FALSE(v.ok);
        CHECK(v.in_fragment);
        CHECK(v.message == "unexpected \"}\"");
        CHECK(v.line == 3);
    }
    SECTION("the early form (nginx: [emerg])") {
        const auto v = parse_nginx_stderr(
            "nginx: [emerg] unexpected end of file, expecting \";\" or \"}\" in /d/frag.conf:12\n",
            "/d/frag.conf");
        CHECK(v.in_fragment);
        CHECK(v.message == "unexpected end of file, expecting \";\" or \"}\"");
        CHECK(v.line == 12);
    }
    SECTION("a message echoing a newline of the fragment") {
        const auto v = parse_nginx_stderr(
            "nginx: [emerg] too long parameter \"a\\\nbbbbbbb...\" started in /d/frag.conf:2\n",
            "/d/frag.conf");
        CHECK(v.in_fragment);
        CHECK(v.message == "too long parameter \"a\\\nbbbbbbb...\" started");
        CHECK(v.line == 2);
    }
    SECTION("an error in another file, or with no position") {
        const auto w = parse_nginx_stderr("nginx: [emerg] unknown directive \"x\" in /d/main.conf:7\n",
                                          "/d/frag.conf");
        CHECK_FALSE(w.in_fragment);
        CHECK(w.message == "unknown directive \"x\"");
        CHECK(w.line == 7);
        const auto n = parse_nginx_stderr("nginx: [emerg] unknown \"x\" variable\n", "/d/frag.conf");
        CHECK_FALSE(n.in_fragment);
        CHECK(n.message == "unknown \"x\" variable");
        CHECK(n.line == 0);
        CHECK_FALSE(oracle::agree(n, oracle::verdict{false, "unknown \"x\" variable", 0, true, {}}));
    }
    SECTION("the name nginx read, from unknown directive") {
        const auto v = parse_nginx_stderr(
            "nginx: [emerg] unknown directive \"a\"b\" in /d/frag.conf:2\n", "/d/frag.conf");
        CHECK(oracle::unknown_directive_name(v) == std::optional<std::string>("a\"b"));
        CHECK_FALSE(oracle::unknown_directive_name(parse_nginx_stderr(
            "nginx: [emerg] unexpected \"}\" in /d/frag.conf:3\n", "/d/frag.conf")));
        // Line 2 holds the `;` of x's successor only: "y; x ends on line 1.
        CHECK(oracle::library_names_at("x;\n'\"y' 1;\n", 2) == std::vector<std::string>{"x", "\"y"});
        CHECK(oracle::library_names_at("x;\nw\n;\n'\"y' 1;\n", 3) == std::vector<std::string>{"w"});
        CHECK(oracle::library_names_at(std::string_view("a\0b;\n", 5), 1) == std::vector<std::string>{"a"});
    }
    SECTION("fixture headers") {
        const auto h = oracle::read_fixture_header("# context: server  needs: lua\nx;\n");
        CHECK(h.context == oracle::conf_context::server);
        CHECK(h.needs_lua);
        CHECK(oracle::read_fixture_header("x;\n").context == oracle::conf_context::location);
        CHECK_THROWS(oracle::read_fixture_header("# context: stream\n"));
    }
}

TEST_CASE("the nginx oracle places fragments in their context", "[.][nginx]") {
    std::string why;
    auto o = oracle::nginx_oracle::find({}, &why);
    if (!o) return no_nginx(why);
    using oracle::conf_context;
    CHECK(o->check("return 204;\n", conf_context::location).ok);
    CHECK(o->check("location /x { return 204; }\n", conf_context::server).ok);
    CHECK(o->check("map $uri $m { default 0; }\n", conf_context::http).ok);
    CHECK(o->check("worker_processes 1;\n", conf_context::main).ok);
    // Wrong context: a semantic error in the fragment, so the wrapper is where we said.
    const auto misplaced = o->check("\nreturn 204;\n", conf_context::main);
    CHECK_FALSE(misplaced.ok);
    CHECK(misplaced.in_fragment);
    CHECK(misplaced.line == 2);
    CHECK(misplaced.message == "\"return\" directive is not allowed here");
    const auto brace = o->check("}\n", conf_context::location);
    CHECK(brace.in_fragment);
    CHECK(brace.message == "unexpected \"}\"");
    CHECK(brace.line == 1);
}

TEST_CASE("nginx and the library agree on every fixtures/nginx fragment", "[.][nginx]") {
    std::string why;
    auto o = oracle::nginx_oracle::find({}, &why);
    if (!o) return no_nginx(why);

    const auto files = test::files_below(test::fixtures_dir() / "nginx", ".conf");
    REQUIRE(files.size() >= 40);
    std::size_t agreed = 0, skipped = 0, nginx_ok = 0, nginx_rejected = 0, names_compared = 0;
    std::ostringstream disagreements;
    for (const auto& path : files) {
        const auto name = path.filename().string();
        const auto text = test::read_file(path);
        const auto header = oracle::read_fixture_header(text);
        if (header.needs_lua && !o->lua_loaded()) {
            if (test::under_ci()) FAIL_CHECK(name << ": needs the lua module: " << o->lua_problem());
            ++skipped;
            continue;
        }
        const auto theirs = o->check(text, header.context);
        auto ours = oracle::library_check(text);
        (theirs.ok ? nginx_ok : nginx_rejected)++;
        // An unknown directive: nginx read the fragment up to it and says which name it read;
        // the library must read the same name there (and the fragment must parse).
        if (const auto nginx_name = oracle::unknown_directive_name(theirs)) {
            ++names_compared;
            const auto names = oracle::library_names_at(text, theirs.line);
            if (std::find(names.begin(), names.end(), *nginx_name) != names.end()) {
                ++agreed;
                continue;
            }
            if (ours.ok) {
                ours.ok = false;
                ours.line = theirs.line;
                ours.message = "names there: " + ngxconf::json_quote(names.empty() ? "" : names[0]);
            }
        }
        if (oracle::agree(theirs, ours)) {
            ++agreed;
            continue;
        }
        std::ostringstream one;
        one << name << " (context " << oracle::to_string(header.context) << ")\n"
            << "  nginx:   " << oracle::describe(theirs) << "\n"
            << "  library: " << oracle::describe(ours) << "\n";
        disagreements << "DISAGREE " << one.str();
        FAIL_CHECK("nginx and the library disagree on " << one.str()
                   << "  input: " << ngxconf::json_quote(text.substr(0, 300))
                   << (text.size() > 300 ? "..." : ""));
    }
    const auto compared = files.size() - skipped;
    std::cout << disagreements.str() << "nginx oracle (" << o->version() << ", lua "
              << (o->lua_loaded() ? "loaded" : "not loaded") << "): " << compared
              << " fixtures, " << agreed << " agree";
    if (skipped) std::cout << ", " << skipped << " skipped (lua: " << o->lua_problem() << ")";
    std::cout << "; nginx accepted " << nginx_ok << ", rejected " << nginx_rejected << " ("
              << names_compared << " unknown directives, compared by name)\n";
    // A broken wrapper would make nginx reject everything (or accept everything).
    CHECK(nginx_ok > 0);
    CHECK(nginx_rejected > 0);
}
