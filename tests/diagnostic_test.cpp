// The diagnostic code table: unique numbers and names, names that read back to their code,
// and the README's list of codes in step with it.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <ngxconf/diagnostic.hpp>
#include <regex>
#include <set>
#include <string>

#include "test_support.hpp"

namespace {

using ngxconf::diag_code;

std::string readme_text() {
    std::ifstream in(test::fixtures_dir().parent_path() / "README.md", std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The code names of the README's "Diagnostic codes" table: its rows "| `group.name` | ... |".
std::set<std::string> readme_code_names(const std::string& readme) {
    std::set<std::string> names;
    const std::regex row(R"(^\| `([a-z]+\.[a-z_]+)` \|)");
    const auto start = readme.find("\n## Diagnostic codes\n");
    if (start == std::string::npos) return names;
    const auto end = readme.find("\n## ", start + 1);
    std::string section = readme.substr(start, end == std::string::npos ? end : end - start);
    std::size_t pos = 0;
    while (pos < section.size()) {
        auto nl = section.find('\n', pos);
        if (nl == std::string::npos) nl = section.size();
        const std::string line = section.substr(pos, nl - pos);
        std::smatch m;
        if (std::regex_search(line, m, row)) names.insert(m[1]);
        pos = nl + 1;
    }
    return names;
}

}  // namespace

TEST_CASE("diagnostic codes: numbers and names are unique and read back", "[diagnostic]") {
    const auto& table = ngxconf::diag_codes();
    REQUIRE(table.size() > 20);
    std::set<std::uint16_t> numbers;
    std::set<std::string_view> names;
    const std::regex shape("^[a-z]+\\.[a-z_]+$");
    for (const auto& row : table) {
        INFO(row.name);
        CHECK(numbers.insert(static_cast<std::uint16_t>(row.code)).second);
        CHECK(names.insert(row.name).second);
        CHECK(ngxconf::to_string(row.code) == row.name);
        CHECK(ngxconf::diag_code_named(row.name) == row.code);
        CHECK_FALSE(row.summary.empty());
        if (row.code != diag_code::none) CHECK(std::regex_match(std::string(row.name), shape));
    }
    CHECK(ngxconf::to_string(static_cast<diag_code>(65535)) == "unknown");
    CHECK_FALSE(ngxconf::diag_code_named("swag.no_such_code").has_value());
}

TEST_CASE("diagnostic codes: the numbers are stable", "[diagnostic]") {
    // A released code keeps its number and name; these pin a few of every group.
    CHECK(static_cast<int>(diag_code::unexpected_close_brace) == 4);
    CHECK(ngxconf::to_string(diag_code::io_error) == "io.error");
    CHECK(static_cast<int>(diag_code::include_missing) == 200);
    CHECK(static_cast<int>(diag_code::swag_two_providers) == 300);
    CHECK(ngxconf::to_string(diag_code::swag_two_providers) == "swag.two_providers");
    CHECK(static_cast<int>(diag_code::swag_already_protected) == 350);
    CHECK(static_cast<int>(diag_code::swag_root_not_found) == 380);
    CHECK(ngxconf::to_string(diag_code::swag_no_auth_lines) == "swag.no_auth_lines");
}

TEST_CASE("diagnostic codes: README.md lists every code and no other", "[diagnostic]") {
    const auto readme = readme_text();
    REQUIRE_FALSE(readme.empty());
    const auto listed = readme_code_names(readme);
    std::set<std::string> table;
    for (const auto& row : ngxconf::diag_codes()) {
        if (row.code != diag_code::none) table.insert(std::string(row.name));
    }
    for (const auto& name : table) {
        INFO(name);
        CHECK(listed.count(name) == 1);
    }
    for (const auto& name : listed) {
        INFO(name);
        CHECK(table.count(name) == 1);
    }
}
