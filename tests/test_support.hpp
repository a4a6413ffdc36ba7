#pragma once
// Helpers shared by the Catch2 tests, in place of macro soup.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ngxconf/ngxconf.hpp>
#include <string>
#include <vector>

namespace test {

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::filesystem::path fixtures_dir() { return NGXCONF_FIXTURES_DIR; }

// The real-world corpus: NGXCONF_CORPUS (run time) overrides the configured path.
inline std::filesystem::path corpus_dir() {
    if (const char* env = std::getenv("NGXCONF_CORPUS")) return env;
    return NGXCONF_CORPUS_DIR;
}

// Every regular file below dir, sorted, so tests run in a stable order.
inline std::vector<std::filesystem::path> files_below(const std::filesystem::path& dir,
                                                      std::string_view ext = ".conf") {
    std::vector<std::filesystem::path> out;
    if (!std::filesystem::exists(dir)) return out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        const auto name = e.path().filename().string();
        if (ext.empty() || name.find(ext) != std::string::npos) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// parse(text) succeeds and prints back byte for byte.
inline void round_trips(const std::string& text) {
    INFO("input: " << ngxconf::json_quote(text));
    const auto doc = ngxconf::parse(text, "test.conf");
    REQUIRE(ngxconf::to_string(doc) == text);
}

// parse(text) fails with `code` at line:column.
inline void parse_fails_at(const std::string& text, ngxconf::error_code code, std::uint32_t line,
                           std::uint32_t column = 0, ngxconf::parse_options opts = {}) {
    INFO("input: " << ngxconf::json_quote(text));
    auto r = ngxconf::try_parse(text, "test.conf", opts);
    REQUIRE_FALSE(r);
    const auto& e = r.error();
    INFO("error: " << e.what());
    CHECK(e.code() == code);
    CHECK(e.where().begin.line == line);
    if (column) CHECK(e.where().begin.column == column);
}

}  // namespace test
