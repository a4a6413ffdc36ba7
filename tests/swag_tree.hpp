#pragma once
// A SWAG nginx folder in a temporary directory for the swag tests: empty (proxy-confs/ and
// site-confs/ only) or a copy of fixtures/swag; removed at the end.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ngxconf/save.hpp>
#include <ngxconf/swag/swag.hpp>
#include <string>
#include <string_view>

#include "test_support.hpp"

namespace test {

class swag_tree {
public:
    enum class from { empty, fixtures };

    explicit swag_tree(from what = from::empty) {
        std::string t = (std::filesystem::temp_directory_path() / "ngxconf-swag-XXXXXX").string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        root_ = t;
        if (what == from::fixtures) {
            std::filesystem::copy(fixtures_dir() / "swag", root_, std::filesystem::copy_options::recursive);
        } else {
            std::filesystem::create_directories(root_ / "proxy-confs");
            std::filesystem::create_directories(root_ / "site-confs");
        }
    }
    swag_tree(const swag_tree&) = delete;
    swag_tree& operator=(const swag_tree&) = delete;
    ~swag_tree() {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }

    [[nodiscard]] const std::filesystem::path& root() const { return root_; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& rel) const { return root_ / rel; }
    void write(const std::string& rel, std::string_view bytes) const {
        const std::filesystem::path p = root_ / rel;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        REQUIRE(out.good());
    }
    [[nodiscard]] std::string read(const std::string& rel) const { return read_file(root_ / rel); }
    [[nodiscard]] ngxconf::swag::layout where() const {
        ngxconf::swag::layout l;
        l.root = root_;
        return l;
    }
    [[nodiscard]] ngxconf::transaction_options save_options() const {
        ngxconf::transaction_options t;
        t.state_dir = root_;
        t.write.fsync = false;
        return t;
    }

private:
    std::filesystem::path root_;
};

}  // namespace test
