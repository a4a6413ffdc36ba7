// lua-nginx-module's buffer limits (lexer/lua_scan.cpp) against the real nginx: sweeps of
// Lua blocks across the boundaries where the module's 4096-byte buffer cuts a long bracket, a
// block without tokens, a string or a comment line, with what comes before the block moving
// the buffer's end. Every input's verdict, message and line must be nginx's.
#include <catch2/catch.hpp>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "nginx_oracle.hpp"
#include "test_support.hpp"

namespace {

struct input {
    std::string name;
    std::string text;
};

std::string block(const std::string& before, const std::string& lua) {
    return before + "location / {\ncontent_by_lua_block {\n" + lua + "}\n}\n";
}

// A comment of n bytes (with its newline) that moves everything after it.
std::string pad(std::size_t n) { return n == 0 ? "" : "#" + std::string(n - 2, 'p') + "\n"; }

std::vector<input> sweeps() {
    std::vector<input> out;
    for (std::size_t before : {0, 1000, 2500}) {
        // A long bracket string whose closer falls around the buffer's end.
        for (std::size_t n = 3860; n <= 4100; n += 16) {
            out.push_back({"long bracket " + std::to_string(n) + " after " + std::to_string(before),
                           block(pad(before), "ngx.say([[" + std::string(n, 'x') + "]])\n")});
        }
        // Lines without a Lua token: a buffer with none is "too long".
        for (std::size_t lines = 395; lines <= 415; lines += 2) {
            std::string lua;
            for (std::size_t i = 0; i < lines; ++i) lua += "a = a + 1\n";
            out.push_back({"plain lines " + std::to_string(lines) + " after " + std::to_string(before),
                           block(pad(before), lua)});
        }
    }
    // A string, and a comment line, that cross the buffer's end with a brace inside them.
    for (std::size_t n = 1900; n <= 2300; n += 50) {
        out.push_back({"string with brace " + std::to_string(n),
                       block(pad(1800), "local s = \"" + std::string(n, 's') + "{" +
                                            std::string(200, 's') + "\"\n")});
        out.push_back({"comment with brace " + std::to_string(n),
                       block(pad(1800), "-- " + std::string(n, 'c') + "}" +
                                            std::string(200, 'c') + "\nngx.say(1)\n")});
    }
    // Lines without a token that the module skips: nginx then counts lines short, for errors
    // inside the block and after it (an extra '}').
    for (std::size_t lines = 150; lines <= 400; lines += 25) {
        std::string lua;
        for (std::size_t i = 0; i < lines; ++i) lua += "a = a + 1\n";
        out.push_back({"skipped lines " + std::to_string(lines) + " then extra brace",
                       block(pad(1000), lua + "ngx.say(1)\n") + "\n}\n"});
        out.push_back({"skipped lines " + std::to_string(lines) + " then open bracket",
                       block(pad(1000), lua + "ngx.say([=[ x\n")});
    }
    // Two blocks: the second starts where the first left the buffer.
    for (std::size_t n = 3000; n <= 4000; n += 125) {
        out.push_back({"second block " + std::to_string(n),
                       "location /a {\ncontent_by_lua_block {\nngx.say([[" + std::string(n, 'a') +
                           "]])\n}\n}\n" +
                           block("", "ngx.say([[" + std::string(3500, 'b') + "]])\n")});
    }
    return out;
}

}  // namespace

TEST_CASE("the lua module's buffer limits agree with nginx across the boundaries",
          "[.][nginx][lua_buffer]") {
    std::string why;
    auto o = oracle::nginx_oracle::find({}, &why);
    if (!o) return test::missing_prerequisite("lua buffer sweeps: " + why);
    if (!o->lua_loaded()) {
        return test::missing_prerequisite("lua buffer sweeps: lua module: " + o->lua_problem());
    }
    std::size_t agreed = 0, rejected = 0;
    const auto inputs = sweeps();
    for (const auto& in : inputs) {
        const auto theirs = o->check(in.text, oracle::conf_context::server);
        const auto ours = oracle::library_check(in.text);
        if (!theirs.ok) ++rejected;
        if (oracle::agree(theirs, ours)) {
            ++agreed;
            continue;
        }
        FAIL_CHECK(in.name << "\n  nginx:   " << oracle::describe(theirs)
                           << "\n  library: " << oracle::describe(ours));
    }
    std::cout << "lua buffer sweeps (" << o->version() << "): " << inputs.size() << " inputs, "
              << agreed << " agree; nginx rejected " << rejected << '\n';
    // Each sweep crosses its boundary: nginx must both accept and reject some.
    CHECK(rejected > 0);
    CHECK(rejected < inputs.size());
}
