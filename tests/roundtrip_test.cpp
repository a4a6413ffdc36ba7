// Round-trip, tiling and single-byte property tests over the hand-written fixtures, and the
// [corpus] test over the real-world configurations (its own ctest entry: register_corpus.cmake).
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;

// The hand-written files that must parse: fixtures/roundtrip and the golden-dump inputs.
std::vector<fs::path> roundtrip_fixtures() {
    auto files = test::files_below(test::fixtures_dir() / "roundtrip", ".conf");
    for (auto& f : test::files_below(test::fixtures_dir() / "dumps", ".conf")) files.push_back(f);
    return files;
}

// Every file of the corpus but its SOURCES.md notes.
std::vector<fs::path> corpus_files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (auto& f : test::files_below(dir, "")) {
        if (f.filename() != "SOURCES.md") out.push_back(f);
    }
    return out;
}

std::string rel(const fs::path& p, const fs::path& base) {
    return p.lexically_relative(base).generic_string();
}

// pieces(doc) tile the source: offsets consecutive from 0, no gap, concatenation == source.
void check_tiling(const ngxconf::document& doc) {
    const std::string_view src = doc.source();
    std::uint64_t at = 0;
    std::string joined;
    for (const auto& p : ngxconf::pieces(doc)) {
        INFO("piece at " << p.offset << " " << ngxconf::json_quote(p.bytes));
        REQUIRE(p.offset == at);
        CHECK_FALSE(p.bytes.empty());
        REQUIRE(src.substr(at, p.bytes.size()) == p.bytes);
        at += p.bytes.size();
        joined += p.bytes;
    }
    CHECK(at == src.size());
    CHECK(joined == src);
}

// The same as check_tiling, as one answer (for the many mutants of the property test).
bool tiles(const ngxconf::document& doc) {
    const std::string_view src = doc.source();
    std::uint64_t at = 0;
    for (const auto& p : ngxconf::pieces(doc)) {
        if (p.offset != at || src.substr(at, p.bytes.size()) != p.bytes) return false;
        at += p.bytes.size();
    }
    return at == src.size();
}

bool env_is(const char* name, std::string_view value) {
    const char* v = std::getenv(name);
    return v && value == v;
}

// The number of files the "| `folder/` | N |" rows of a SOURCES.md list.
std::size_t listed_count(const std::string& sources_md) {
    static const std::regex row(R"(^\|\s*`([^`]+/)`\s*\|\s*([0-9]+)\s*\|)");
    std::size_t total = 0;
    std::istringstream in(sources_md);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_search(line, m, row)) total += std::stoul(m[2].str());
    }
    return total;
}

}  // namespace

TEST_CASE("roundtrip: every hand-written fixture prints back byte for byte", "[roundtrip]") {
    const auto files = roundtrip_fixtures();
    REQUIRE(files.size() >= 20);
    for (const auto& f : files) {
        DYNAMIC_SECTION(rel(f, test::fixtures_dir())) {
            const std::string bytes = test::read_file(f);
            const auto doc = ngxconf::parse_file(f);
            CHECK(doc.source() == bytes);
            CHECK(ngxconf::to_string(doc) == bytes);
            std::ostringstream os;
            os << doc;
            CHECK(os.str() == bytes);
            // Mapped instead of copied (the developer tool's way): the same bytes and tree.
            const auto mapped = ngxconf::parse_file(f, {.map_file = true});
            CHECK(mapped.source() == bytes);
            CHECK(ngxconf::dump_tree(mapped) == ngxconf::dump_tree(doc));
            // The same through parse() of the bytes, under another name.
            test::round_trips(bytes);
        }
    }
}

TEST_CASE("roundtrip: the fixtures hold what they were written for", "[roundtrip]") {
    // Guards against a fixture losing its point (an editor normalising line ends, a BOM or
    // a NUL being stripped): the properties the files are named after.
    const auto dir = test::fixtures_dir() / "roundtrip";
    const auto has = [&](const char* name, std::string_view needle) {
        return test::read_file(dir / name).find(needle) != std::string::npos;
    };
    CHECK(has("crlf.conf", "\r\n"));
    CHECK(test::read_file(dir / "lone_cr.conf").find("\r") <
          test::read_file(dir / "lone_cr.conf").find("\n"));
    CHECK(has("tabs.conf", "\t"));
    CHECK(test::read_file(dir / "bom.conf").rfind("\xef\xbb\xbf", 0) == 0);
    const auto nfn = test::read_file(dir / "no_final_newline.conf");
    REQUIRE_FALSE(nfn.empty());
    CHECK(nfn.back() != '\n');
    const auto tb = test::read_file(dir / "trailing_blanks_eof.conf");
    CHECK(tb.substr(tb.size() - 4) == "    ");
    CHECK(has("nul_byte.conf", std::string_view("\0", 1)));
    CHECK(has("non_utf8.conf", "\xff"));
    CHECK(has("map_close.conf", "''      close;"));
    CHECK(has("commented_server.conf", "#server {"));
    CHECK(has("lua_block.conf", "content_by_lua_block {"));
    CHECK(has("swag_proxy.conf", "    #include /config/nginx/authentik-server.conf;\n"));
    CHECK(has("swag_proxy.conf", "#    listen 443 quic;\n"));
    CHECK(has("one_line_blocks.conf", "location / { return 200 \"ok\"; } # inline\n"));
    CHECK(has("if_parens.conf", "if ($a = \"b\")"));
    CHECK(has("brace_word.conf", "foo}"));
    CHECK(has("dollar_brace.conf", "${"));
    CHECK(test::read_file(dir / "empty.conf").empty());
}

TEST_CASE("roundtrip: pieces tile the source of every fixture and corpus file", "[roundtrip]") {
    std::vector<fs::path> files;
    for (auto& f : test::files_below(test::fixtures_dir(), ".conf")) files.push_back(f);
    for (auto& f : corpus_files(test::corpus_dir())) files.push_back(f);
    const auto must_parse = roundtrip_fixtures();
    std::size_t tiled = 0, skipped = 0;
    for (const auto& f : files) {
        INFO("file: " << f.string());
        const std::string bytes = test::read_file(f);
        auto r = ngxconf::try_parse(bytes, f.string());
        if (!r) {
            // Files written to fail (fixtures/invalid and other error cases) have nothing to tile.
            CHECK(std::find(must_parse.begin(), must_parse.end(), f) == must_parse.end());
            ++skipped;
            continue;
        }
        check_tiling(r.value());
        ++tiled;
    }
    std::cout << "tiling: " << tiled << " files tiled, " << skipped << " not parsed\n";
    CHECK(tiled >= must_parse.size());
}

TEST_CASE("roundtrip: detach_from_source prints identically and leaves no source offsets",
          "[roundtrip]") {
    for (const auto& f : roundtrip_fixtures()) {
        DYNAMIC_SECTION(rel(f, test::fixtures_dir())) {
            const std::string bytes = test::read_file(f);
            auto doc = ngxconf::parse(bytes, f.string());
            const auto before = ngxconf::pieces(doc);
            ngxconf::detach_from_source(doc);
            CHECK(ngxconf::to_string(doc) == bytes);
            const auto after = ngxconf::pieces(doc);
            std::string joined;
            for (const auto& p : after) {
                INFO("piece " << ngxconf::json_quote(p.bytes));
                CHECK(p.offset == ngxconf::piece::npos);
                // No piece may still point into the source buffer.
                const auto src = doc.source();
                CHECK_FALSE((p.bytes.data() >= src.data() && p.bytes.data() < src.data() + src.size()));
                joined += p.bytes;
            }
            CHECK(joined == bytes);
            // The same tokens, only owned now.
            REQUIRE(after.size() == before.size());
            for (std::size_t i = 0; i < after.size(); ++i) {
                CHECK(after[i].what == before[i].what);
                CHECK(after[i].bytes == before[i].bytes);
            }
            // Detaching twice changes nothing.
            ngxconf::detach_from_source(doc);
            CHECK(ngxconf::to_string(doc) == bytes);
        }
    }
}

TEST_CASE("roundtrip: deleting or duplicating any single byte of a fixture", "[roundtrip][property]") {
    std::size_t parsed = 0, failed = 0;
    for (const auto& f : test::files_below(test::fixtures_dir() / "roundtrip", ".conf")) {
        const std::string bytes = test::read_file(f);
        INFO("fixture: " << f.filename().string());
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            for (const bool duplicate : {false, true}) {
                std::string y = bytes;
                if (duplicate) {
                    y.insert(i, 1, bytes[i]);
                } else {
                    y.erase(i, 1);
                }
                auto r = ngxconf::try_parse(y, "mutant.conf");
                if (r) {
                    ++parsed;
                    if (ngxconf::to_string(r.value()) != y) {
                        FAIL_CHECK("mutant does not print back: "
                                   << (duplicate ? "duplicated" : "deleted") << " byte " << i
                                   << " input " << ngxconf::json_quote(y));
                    } else if (!tiles(r.value())) {
                        FAIL_CHECK("the pieces of a mutant do not tile it: "
                                   << (duplicate ? "duplicated" : "deleted") << " byte " << i
                                   << " input " << ngxconf::json_quote(y));
                    }
                } else {
                    ++failed;
                    const auto& e = r.error();
                    const auto& at = e.where().begin;
                    if (at.line < 1 || at.column < 1 || at.byte > y.size()) {
                        FAIL_CHECK("error without a position: "
                                   << e.what() << " for " << (duplicate ? "duplicated" : "deleted")
                                   << " byte " << i);
                    }
                }
            }
        }
    }
    std::cout << "single-byte mutants: " << parsed << " parsed and printed back, " << failed
              << " rejected with a position\n";
    CHECK(parsed > 0);
    CHECK(failed > 0);
}

TEST_CASE("corpus: every real-world file prints back byte for byte", "[corpus][.]") {
    const fs::path dir = test::corpus_dir();
    if (!fs::is_directory(dir)) {
        if (env_is("CI", "true")) {
            FAIL("the corpus folder " << dir << " is missing (required when CI=true)");
        }
        std::cout << "corpus folder " << dir
                  << " not found: skipping (set NGXCONF_CORPUS or -DNGXCONF_CORPUS_DIR)\n";
        std::exit(77);
    }
    std::size_t expected = 0;
    std::size_t notes = 0;
    for (const auto& f : test::files_below(dir, "SOURCES.md")) {
        if (f.filename() != "SOURCES.md") continue;
        expected += listed_count(test::read_file(f));
        ++notes;
    }
    INFO("corpus: " << dir.string());
    REQUIRE(notes > 0);
    REQUIRE(expected > 0);

    std::size_t checked = 0;
    for (const auto& f : corpus_files(dir)) {
        INFO("file: " << f.string());
        const std::string bytes = test::read_file(f);
        auto r = ngxconf::try_parse(bytes, f.string());
        if (!r) {
            FAIL_CHECK("does not parse: " << r.error().what());
            continue;
        }
        CHECK(ngxconf::to_string(r.value()) == bytes);
        ++checked;
    }
    std::cout << "corpus: " << checked << " files round-tripped (SOURCES.md lists " << expected
              << ") below " << dir.string() << "\n";
    CHECK(checked >= expected);
}
