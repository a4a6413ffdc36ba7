// Regressions found by fuzzing and hostile input.
//
// 1. Every file in fixtures/regress/ is replayed through the fuzz target that found it
//    (edit-*.bin: fuzz/edit_fuzz.cpp, anything else: fuzz/roundtrip_fuzz.cpp; both compiled in
//    here with NGXCONF_FUZZ_REPLAY, which turns a broken invariant into an exception), and
//    must parse and print back byte for byte or fail with a positioned parse error.
// 2. Each issue the fuzzers found is also written out as a minimal case with the public API.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "test_support.hpp"

#define NGXCONF_FUZZ_REPLAY 1
#include "../fuzz/edit_fuzz.cpp"
#include "../fuzz/roundtrip_fuzz.cpp"

namespace {

std::string replay(const std::string& name, const std::string& bytes) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    try {
        if (name.rfind("edit-", 0) == 0) {
            edit_fuzz_one(data, bytes.size());
        } else {
            roundtrip_fuzz_one(data, bytes.size());
        }
    } catch (const std::exception& e) {
        return e.what();
    }
    auto r = ngxconf::try_parse(bytes, name);
    if (r) {
        if (ngxconf::to_string(r.value()) != bytes) return "does not print back byte for byte";
    } else if (r.error().where().begin.line < 1) {
        return std::string("error without a position: ") + r.error().what();
    }
    return {};
}

std::string reparse_error(const std::string& text) {
    auto r = ngxconf::try_parse(text);
    return r ? std::string() : std::string(r.error().what());
}

}  // namespace

TEST_CASE("fuzz regressions in fixtures/regress replay cleanly", "[regress]") {
    const auto files = test::files_below(test::fixtures_dir() / "regress", "");
    for (const auto& path : files) {
        const auto name = path.filename().string();
        const auto bytes = test::read_file(path);
        INFO(name << " (" << bytes.size() << " bytes)");
        const auto problem = replay(name, bytes);
        if (!problem.empty()) FAIL_CHECK(name << ": " << problem);
    }
    SUCCEED(files.size() << " regression inputs");
}

using namespace ngxconf;

TEST_CASE("regress: spell_value keeps a backslash before LF or CR", "[regress]") {
    // Found by edit_fuzz (edit-spell-backslash-lf.bin): "\\\n" was spelled "\"\\\\n\"", which
    // decodes to a backslash and an 'n'.
    for (const std::string value : {"\\\n", "a\\\nb", "\\\r", "\\\\\n"}) {
        INFO("value " << json_quote(value) << " spelled " << json_quote(spell_value(value)));
        auto doc = parse("return 200 x;\n");
        const auto d = find_first(doc.root(), "return");
        set_arg(d, 1, value);
        CHECK(d.arg(1) == value);
        auto again = parse(to_string(doc));
        CHECK(find_first(again.root(), "return").arg(1) == value);
    }
}

TEST_CASE("regress: an argument glued to a closing quote stays valid when replaced", "[regress]") {
    // Found by edit_fuzz (edit-set-args-glued-after-quote.bin): nginx lets ')' follow a closing
    // quote directly; replacing it kept the empty separator: `a "b"c;`.
    auto doc = parse("a \"b\");\n");
    const auto d = find_first(doc.root(), "a");
    REQUIRE(d.arg_count() == 2);
    set_arg(d, 1, "c");
    CHECK(reparse_error(to_string(doc)).empty());
    CHECK(d.arg(1) == "c");

    auto quoted_name = parse("'c') x;\n");  // a quoted directive name, ')' glued to it
    const auto q = quoted_name.root().first_child().as_directive();
    REQUIRE(q.arg_count() == 2);
    set_args(q, {"d", "e"});
    CHECK(reparse_error(to_string(quoted_name)).empty());
}

TEST_CASE("regress: removing a node that shares its line keeps the next line apart", "[regress]") {
    // Found by edit_fuzz (edit-remove-joins-lines.bin): `a; b;\n#c;\n` minus b gave `a; #c;\n`,
    // turning the disabled directive `#c;` into a comment of `a`.
    auto doc = parse("a; b;\n#c;\nd;\n");
    remove(find_first(doc.root(), "b"));
    const auto out = to_string(doc);
    INFO("output " << json_quote(out));
    auto again = parse(out);
    CHECK(find_all(again.root(), "c", {.include_disabled = true}).size() == 1);
    CHECK(out.find("\n#c;\n") != std::string::npos);
}

TEST_CASE("regress: Lua blocks cannot be made from or into ordinary blocks", "[regress]") {
    // Found by edit_fuzz (edit-rename-lua-block.bin, edit-insert-block-lua-name.bin): the
    // output no longer parses. Either the edit is refused (usage_error) or the output is valid.
    auto lua = parse("content_by_lua_block {\n    ngx.say(\"}\")\n}\n");
    try {
        rename(find_first(lua.root(), "content_by_lua_block"), "location");
    } catch (const usage_error&) {
    }
    CHECK(reparse_error(to_string(lua)).empty());

    auto doc = parse("");
    try {
        const auto b = insert_block(doc.root(), insert_at::last_child, "content_by_lua_block", {});
        (void)insert_comment(b, insert_at::first_child, "}");
    } catch (const usage_error&) {
    }
    INFO("output " << json_quote(to_string(doc)));
    CHECK(reparse_error(to_string(doc)).empty());
}

TEST_CASE("regress: an insert after a line ending in a NUL byte starts a new line", "[regress]") {
    // Found by edit_fuzz (edit-insert-after-nul-at-eof.bin): a NUL last byte was taken for
    // "no bytes", so the new directive went onto the comment line: "# a\0x;\n".
    auto doc = parse(std::string("# a\0", 4));
    (void)insert_directive(doc.root(), insert_at::last_child, "x", {});
    const auto out = to_string(doc);
    INFO("output " << json_quote(out));
    CHECK(find_all(parse(out).root(), "x").size() == 1);
}

TEST_CASE("regress: a value ending in '$' before a glued '{' stays apart from it", "[regress]") {
    // Found by edit_fuzz (edit-dollar-before-brace.bin): nginx keeps every '{' right after '$'
    // in the word, so `location /a{` with the argument set to "/b$" became `/b${`.
    auto doc = parse("location /a{\n}\n");
    const auto d = find_first(doc.root(), "location");
    set_arg(d, 0, "/b$");
    const auto out = to_string(doc);
    INFO("output " << json_quote(out));
    REQUIRE(reparse_error(out).empty());
    CHECK(find_first(parse(out).root(), "location").arg(0) == "/b$");

    // The same through set_args (edit-set-args-dollar-name-before-brace.bin): dropping the
    // arguments leaves a name ending in '$' against the '{'.
    auto named = parse("a$ x{\n}\n");
    set_args(named.root().first_child().as_directive(), {});
    INFO("output " << json_quote(to_string(named)));
    CHECK(reparse_error(to_string(named)).empty());

    // And after '$' and a run of '{' (edit-dollar-brace-run-before-block.bin): nginx's reader
    // stays in its variable state through every '{', so `t${` against the '{' was `t${{`.
    auto run = parse("t${ r{\n}\n");
    set_args(run.root().first_child().as_directive(), {});
    CHECK(to_string(run) == "t${ {\n}\n");
    CHECK(reparse_error(to_string(run)).empty());
}

TEST_CASE("regress: no block is inserted into a map or types body", "[regress]") {
    // Found by edit_fuzz (edit-insert-block-into-map.bin): the parser rejects '{' inside the
    // bodies nginx hands to a module (map, types, geo, ...), but insert_block() wrote one.
    auto doc = parse("map $a $b {\n}\n");
    try {
        (void)insert_block(find_first(doc.root(), "map"), insert_at::last_child, "x", {});
    } catch (const usage_error&) {
    }
    INFO("output " << json_quote(to_string(doc)));
    CHECK(reparse_error(to_string(doc)).empty());
}

TEST_CASE("regress: no quote is written on the line where a Lua block ends", "[regress]") {
    // Found by edit_fuzz: `content_by_lua_block { a = "} b;` then set_args(b, {"x y"}) wrote
    // `b "x y";`, whose quote closed the Lua string, so the block ran to the end of the file.
    auto doc = parse("content_by_lua_block { a = \"} b 1;\nc 2;\n");
    const auto b = find_first(doc.root(), "b");
    REQUIRE(b);
    CHECK_THROWS_AS(set_args(b, {"x y"}), usage_error);
    CHECK_THROWS_AS(insert_directive(b, insert_at::before, "d", {"it's"}), usage_error);
    set_arg(b, 0, "plain");  // no quote: fine
    CHECK(reparse_error(to_string(doc)).empty());
    CHECK(to_string(doc) == "content_by_lua_block { a = \"} b plain;\nc 2;\n");
    set_arg(find_first(doc.root(), "c"), 0, "with space");  // another line: fine
    CHECK(reparse_error(to_string(doc)).empty());
}
