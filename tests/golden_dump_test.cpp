// Golden tree dumps: dump_tree(parse(NAME.conf)) == NAME.dump for every pair in
// fixtures/dumps. The .dump files were made with `ngxconf dump NAME.conf` and checked by hand.
#include <string>

#include "test_support.hpp"

namespace {
namespace fs = std::filesystem;
fs::path dumps_dir() { return test::fixtures_dir() / "dumps"; }
}  // namespace

TEST_CASE("golden dumps: dump_tree of every fixtures/dumps/*.conf matches its .dump",
          "[golden]") {
    const auto confs = test::files_below(dumps_dir(), ".conf");
    REQUIRE(confs.size() >= 12);
    for (const auto& conf : confs) {
        DYNAMIC_SECTION(conf.filename().string()) {
            auto expected_file = conf;
            expected_file.replace_extension(".dump");
            REQUIRE(fs::exists(expected_file));
            const std::string expected = test::read_file(expected_file);
            REQUIRE_FALSE(expected.empty());
            const auto doc = ngxconf::parse(test::read_file(conf), conf.filename().string());
            CHECK(ngxconf::dump_tree(doc) == expected);
            // parse_file gives the same tree.
            CHECK(ngxconf::dump_tree(ngxconf::parse_file(conf)) == expected);
        }
    }
}

TEST_CASE("golden dumps: every .dump has its .conf", "[golden]") {
    const auto dumps = test::files_below(dumps_dir(), ".dump");
    CHECK(dumps.size() == test::files_below(dumps_dir(), ".conf").size());
    for (const auto& d : dumps) {
        auto conf = d;
        conf.replace_extension(".conf");
        INFO(d.filename().string());
        CHECK(fs::exists(conf));
    }
}
