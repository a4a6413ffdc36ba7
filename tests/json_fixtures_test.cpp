// crossplane JSON of the files in fixtures/json: NAME.conf is parsed and each top-level
// directive written as a crossplane "parsed" entry without its block, one a line. NAME.json
// holds the default output; NAME.raw.json, if present, the output with strip_if_parens off;
// NAME.surrogateescape.json, if present, the output with json_bytes::surrogateescape.
// The expected lines were worked out with crossplane's own rules (its parser's if handling,
// Python's UTF-8 decoding), not by running this library.
#include "test_support.hpp"

using namespace ngxconf;

namespace {
std::string top_level_entries(const document& doc, const json_options& opt) {
    std::string out;
    walk(doc.root(), [&](walk_event e, const const_node& n) {
        if (e == walk_event::enter && n.is_directive())
            out += to_crossplane_directive(n.as_directive(), opt) + '\n';
        return walk_action::skip_children;
    });
    return out;
}

void check_fixture(const std::filesystem::path& conf) {
    const auto doc = parse(test::read_file(conf), conf.filename().string());
    auto expected = conf;
    CHECK(top_level_entries(doc, {}) == test::read_file(expected.replace_extension(".json")));
    auto raw = conf;
    raw.replace_extension(".raw.json");
    if (std::filesystem::exists(raw)) {
        CHECK(top_level_entries(doc, {.strip_if_parens = false}) == test::read_file(raw));
    }
    auto escaped = conf;
    escaped.replace_extension(".surrogateescape.json");
    if (std::filesystem::exists(escaped)) {
        json_options opt;
        opt.bytes = json_bytes::surrogateescape;
        CHECK(top_level_entries(doc, opt) == test::read_file(escaped));
    }
}
}  // namespace

TEST_CASE("crossplane JSON fixtures: if arguments", "[json]") {
    const auto dir = test::fixtures_dir() / "json";
    for (const auto* name : {"if_parens"}) {
        INFO(name);
        check_fixture(dir / (std::string(name) + ".conf"));
    }
}

// Latin-1 bytes against real UTF-8, truncated sequences, overlong forms, UTF-8-encoded
// surrogates, the 4-byte maximum and past it, in arguments, a name and Lua code.
TEST_CASE("crossplane JSON fixtures: bytes that are not UTF-8", "[json]") {
    check_fixture(test::fixtures_dir() / "json" / "bytes.conf");
}
