#pragma once
// Helpers shared by the Catch2 tests, in place of macro soup.
#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ngxconf/ngxconf.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace test {

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Writes a file with exactly these bytes and this mode.
inline void put_file(const std::filesystem::path& p, std::string_view bytes, mode_t mode = 0644) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    REQUIRE(out.good());
    REQUIRE(::chmod(p.c_str(), mode) == 0);
}

inline std::filesystem::path fixtures_dir() { return NGXCONF_FIXTURES_DIR; }

// A fresh folder under the system's temp dir, removed with everything in it (folders made
// read-only by a test included).
class temp_dir {
public:
    explicit temp_dir(std::string_view tag = "test") {
        std::string t =
            (std::filesystem::temp_directory_path() / ("ngxconf-" + std::string(tag) + "-XXXXXX")).string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        path_ = t;
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        namespace fs = std::filesystem;
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::end(it);
             it.increment(ec)) {
            if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0700);
        }
        fs::remove_all(path_, ec);
    }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

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

inline bool under_ci() {
    const char* ci = std::getenv("CI");
    return ci && *ci && std::string_view(ci) != "false" && std::string_view(ci) != "0";
}

// A prerequisite (nginx, the corpus) is missing: a failure under CI=true, else a skip — the
// process exits with $NGXCONF_SKIP_EXIT_CODE when ctest set it (SKIP_RETURN_CODE).
inline void missing_prerequisite(const std::string& why) {
    if (under_ci()) FAIL("CI=true but a prerequisite is missing: " << why);
    std::cout << "skipped: " << why << '\n';
    if (const char* code = std::getenv("NGXCONF_SKIP_EXIT_CODE"); code && *code) {
        std::cout.flush();
        std::fflush(nullptr);
        std::_Exit(std::atoi(code));
    }
    WARN("skipped: " << why);
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
