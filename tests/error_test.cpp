// Syntax errors: every file of fixtures/invalid fails with nginx's message at the expected
// line and column; try_parse reports without throwing; parse_file's I/O errors are clear.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <string>

#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using ngxconf::error_code;

struct expected_error {
    error_code code;
    std::uint32_t line, column;
    std::string message;
};

// One file per nginx syntax error message (the lines agree with `nginx -t` of nginx 1.22).
const std::map<std::string, expected_error>& invalid_table() {
    static const std::map<std::string, expected_error> table = {
        {"unexpected_close_brace.conf",
         {error_code::unexpected_close_brace, 10, 1, "unexpected \"}\""}},
        {"close_brace_in_directive.conf",
         {error_code::unexpected_close_brace, 8, 23, "unexpected \"}\""}},
        {"unexpected_semicolon.conf", {error_code::unexpected_semicolon, 8, 23, "unexpected \";\""}},
        {"unexpected_open_brace.conf", {error_code::unexpected_open_brace, 8, 5, "unexpected \"{\""}},
        {"unexpected_after_quote.conf", {error_code::unexpected_character, 8, 24, "unexpected \"x\""}},
        {"eof_expecting_terminator.conf",
         {error_code::eof_expecting_terminator, 9, 1,
          "unexpected end of file, expecting \";\" or \"}\""}},
        {"eof_in_quote.conf",
         {error_code::eof_expecting_terminator, 10, 1,
          "unexpected end of file, expecting \";\" or \"}\""}},
        {"eof_expecting_close.conf",
         {error_code::eof_expecting_close, 11, 1, "unexpected end of file, expecting \"}\""}},
        {"too_long_parameter.conf",
         {error_code::too_long_parameter, 8, 18, "too long parameter \"aaaaaaaaaa...\" started"}},
        {"too_long_missing_quote.conf",
         {error_code::too_long_parameter, 8, 19,
          "too long parameter, probably missing terminating \"\"\" character"}},
        {"eof_in_lua_block.conf",
         {error_code::eof_in_lua_block, 8, 23,
          "unexpected end of file, expecting terminating characters for lua code block"}},
    };
    return table;
}

fs::path invalid_dir() { return test::fixtures_dir() / "invalid"; }

// test::temp_dir, with `path` as the cases below spell it.
struct temp_dir {
    test::temp_dir dir{"error-test"};
    const fs::path& path = dir.path();
};

// parse_file(p) throws io_error; returns its what().
std::string io_failure(const fs::path& p) {
    try {
        (void)ngxconf::parse_file(p);
    } catch (const ngxconf::io_error& e) {
        CHECK(e.code() == error_code::io_error);
        CHECK(e.where().file == p.string());
        return e.what();
    } catch (const std::exception& e) {
        FAIL("parse_file(" << p << ") threw something else than io_error: " << e.what());
    }
    FAIL("parse_file(" << p << ") did not throw");
    return {};
}

}  // namespace

TEST_CASE("errors: every fixtures/invalid file fails where nginx says", "[errors]") {
    const auto files = test::files_below(invalid_dir(), ".conf");
    REQUIRE(files.size() == invalid_table().size());
    for (const auto& f : files) {
        const auto name = f.filename().string();
        DYNAMIC_SECTION(name) {
            const auto it = invalid_table().find(name);
            REQUIRE(it != invalid_table().end());
            const auto& want = it->second;
            const std::string where =
                f.string() + ":" + std::to_string(want.line) + ":" + std::to_string(want.column);

            // parse_file throws parse_error with the file, position and nginx's words.
            try {
                (void)ngxconf::parse_file(f);
                FAIL("no error for " << name);
            } catch (const ngxconf::parse_error& e) {
                CHECK(e.code() == want.code);
                CHECK(e.description() == want.message);
                CHECK(e.where().file == f.string());
                CHECK(e.where().begin.line == want.line);
                CHECK(e.where().begin.column == want.column);
                CHECK(std::string(e.what()) == where + ": " + want.message);
            }

            // try_parse reports the same without throwing.
            const std::string bytes = test::read_file(f);
            ngxconf::parse_result r = ngxconf::try_parse(bytes, f.string());
            REQUIRE_FALSE(r);
            CHECK(r.error().code() == want.code);
            CHECK(std::string(r.error().what()) == where + ": " + want.message);
            CHECK(r.error().where().begin.byte <= bytes.size());
            CHECK(bytes.substr(0, r.error().where().begin.byte).find('\n') != std::string::npos);
            CHECK_THROWS_AS(r.value(), ngxconf::usage_error);

            // And parse() throws the same.
            CHECK_THROWS_AS(ngxconf::parse(bytes, f.string()), ngxconf::parse_error);
        }
    }
}

TEST_CASE("errors: every table entry has its fixture", "[errors]") {
    for (const auto& [name, want] : invalid_table()) {
        INFO(name);
        CHECK(fs::exists(invalid_dir() / name));
    }
}

TEST_CASE("errors: try_parse returns the error and never throws", "[errors]") {
    std::optional<ngxconf::parse_result> r;
    REQUIRE_NOTHROW(r.emplace(ngxconf::try_parse("server {\n  listen 80\n}", "x.conf")));
    REQUIRE_FALSE(*r);
    CHECK(r->error().code() == error_code::unexpected_close_brace);
    CHECK(std::string(r->error().what()) == "x.conf:3:1: unexpected \"}\"");
    CHECK(r->error().description() == "unexpected \"}\"");

    // A successful parse has no error to give.
    auto ok = ngxconf::try_parse("a;\n");
    REQUIRE(ok);
    CHECK_THROWS_AS(ok.error(), ngxconf::usage_error);
    CHECK(ngxconf::to_string(ok.value()) == "a;\n");

    // Without a source name what() still carries LINE:COL.
    auto anon = ngxconf::try_parse("a;\n\n }");
    REQUIRE_FALSE(anon);
    const std::string what = anon.error().what();
    CHECK(what.size() > std::string(":3:2: unexpected \"}\"").size());
    CHECK(what.substr(what.size() - std::string(":3:2: unexpected \"}\"").size()) ==
          ":3:2: unexpected \"}\"");
}

TEST_CASE("errors: nesting deeper than max_depth is an error, not a crash", "[errors]") {
    ngxconf::parse_options opts;
    opts.max_depth = 3;
    test::parse_fails_at("a {b {c {d {}}}}", error_code::nesting_too_deep, 1, 12, opts);
    auto ok = ngxconf::try_parse("a {b {c {}}}", "", opts);
    CHECK(ok);
    // The default limit stops a hostile input long before the stack does.
    std::string deep;
    for (int i = 0; i < 100000; ++i) deep += "a{";
    auto r = ngxconf::try_parse(deep);
    REQUIRE_FALSE(r);
    CHECK(r.error().code() == error_code::nesting_too_deep);
    CHECK(r.error().where().begin.line == 1);
}

TEST_CASE("errors: parse_file on a missing file, a folder and a FIFO throws io_error",
          "[errors]") {
    temp_dir tmp;
    SECTION("a missing file") {
        const auto p = tmp.path / "missing.conf";
        (void)io_failure(p);  // io.error at the path
    }
    SECTION("a folder") {
        (void)io_failure(tmp.path);
    }
    SECTION("a FIFO (without blocking on it)") {
        const auto p = tmp.path / "fifo.conf";
        REQUIRE(::mkfifo(p.c_str(), 0600) == 0);
        (void)io_failure(p);
    }
    SECTION("a regular file that parses") {
        const auto p = tmp.path / "ok.conf";
        {
            std::ofstream out(p, std::ios::binary);
            out << "a 1;\n";
        }
        const auto doc = ngxconf::parse_file(p);
        CHECK(doc.source_name() == p.string());
        CHECK(ngxconf::to_string(doc) == "a 1;\n");
    }
}
