// unified_diff: GNU `diff -u` format, exact enough that `patch` rebuilds the new bytes
// (CR bytes, missing final newlines and empty files included). Checked against the installed
// GNU diff and patch on edge cases and on random inputs from fixed seeds.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <ngxconf/diff.hpp>
#include <random>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

using test::temp_dir;

void put(const fs::path& p, std::string_view bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    REQUIRE(out.good());
}

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

int run(const std::string& cmd) {
    const int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// GNU diff's own output for the same inputs and labels.
std::string gnu_diff(const temp_dir& dir, std::string_view a, std::string_view b, int context) {
    put(dir / "gnu-old", a);
    put(dir / "gnu-new", b);
    const int rc = run("diff -U" + std::to_string(context) + " --label old --label new " +
                       quote(dir / "gnu-old") + " " + quote(dir / "gnu-new") + " > " +
                       quote(dir / "gnu.diff"));
    REQUIRE((rc == 0 || rc == 1));
    return test::read_file(dir / "gnu.diff");
}

// patch(1), without fuzz, applied to `a` gives `b` exactly.
void patch_rebuilds(const temp_dir& dir, std::string_view a, std::string_view b, int context) {
    const std::string d = ngxconf::unified_diff(a, b, "old", "new", context);
    INFO("old: " << ngxconf::json_quote(a) << "\nnew: " << ngxconf::json_quote(b)
                 << "\ncontext: " << context << "\ndiff:\n" << d);
    if (a == b) {
        CHECK(d.empty());
        return;
    }
    put(dir / "old", a);
    put(dir / "p.diff", d);
    std::error_code ec;
    fs::remove(dir / "out", ec);
    REQUIRE(run("patch --silent --force --fuzz=0 --no-backup-if-mismatch -o " + quote(dir / "out") +
                " " + quote(dir / "old") + " -i " + quote(dir / "p.diff") + " >/dev/null 2>&1") == 0);
    CHECK(test::read_file(dir / "out") == b);
}

}  // namespace

TEST_CASE("unified_diff of equal bytes is empty", "[diff]") {
    CHECK(ngxconf::unified_diff("", "", "a", "b").empty());
    CHECK(ngxconf::unified_diff("x\r\ny", "x\r\ny", "a", "b").empty());
}

TEST_CASE("unified_diff golden: adding Authentik includes to a SWAG proxy conf", "[diff]") {
    const std::string old_conf =
        "server {\n    listen 443 ssl;\n    server_name app.*;\n"
        "    include /config/nginx/ssl.conf;\n    client_max_body_size 0;\n"
        "    location / {\n        include /config/nginx/proxy.conf;\n"
        "        set $upstream_app app;\n        proxy_pass http://$upstream_app:80;\n    }\n}";
    const std::string new_conf =
        "server {\n    listen 443 ssl;\n    server_name app.*;\n"
        "    include /config/nginx/ssl.conf;\n    client_max_body_size 0;\n"
        "    include /config/nginx/authentik-server.conf;\n"
        "    location / {\n        include /config/nginx/proxy.conf;\n"
        "        include /config/nginx/authentik-location.conf;\n"
        "        set $upstream_app app;\n        proxy_pass http://$upstream_app:80;\n    }\n}\n";
    const std::string golden =
        "--- a/app.subdomain.conf\n"
        "+++ b/app.subdomain.conf\n"
        "@@ -3,9 +3,11 @@\n"
        "     server_name app.*;\n"
        "     include /config/nginx/ssl.conf;\n"
        "     client_max_body_size 0;\n"
        "+    include /config/nginx/authentik-server.conf;\n"
        "     location / {\n"
        "         include /config/nginx/proxy.conf;\n"
        "+        include /config/nginx/authentik-location.conf;\n"
        "         set $upstream_app app;\n"
        "         proxy_pass http://$upstream_app:80;\n"
        "     }\n"
        "-}\n"
        "\\ No newline at end of file\n"
        "+}\n";
    CHECK(ngxconf::unified_diff(old_conf, new_conf, "a/app.subdomain.conf",
                                "b/app.subdomain.conf") == golden);

    SECTION("two changes more than 2*context lines apart make two hunks") {
        const std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
        const std::string b = "X\n2\n3\n4\n5\n6\n7\n8\nY\n10\n11\n12\n";
        CHECK(ngxconf::unified_diff(a, b, "old", "new", 3) ==
              "--- old\n+++ new\n"
              "@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n"
              "@@ -6,7 +6,7 @@\n 6\n 7\n 8\n-9\n+Y\n 10\n 11\n 12\n");
        const std::string c = "X\n2\n3\n4\n5\n6\n7\nY\n9\n10\n11\n12\n";  // 6 apart: one hunk
        CHECK(ngxconf::unified_diff(a, c, "old", "new", 3).find("@@ -1,11 +1,11 @@\n") !=
              std::string::npos);
        CHECK(ngxconf::unified_diff(a, b, "old", "new", 0) ==
              "--- old\n+++ new\n@@ -1 +1 @@\n-1\n+X\n@@ -9 +9 @@\n-9\n+Y\n");
    }
}

TEST_CASE("unified_diff matches GNU diff and patch on edge cases", "[diff]") {
    temp_dir dir;
    const std::vector<std::pair<std::string, std::string>> cases{
        {"", "x\n"},
        {"x\n", ""},
        {"", "x"},
        {"x", ""},
        {"x", "x\n"},
        {"x\n", "x"},
        {"x", "y"},
        {"a\nb", "a\nc"},
        {"a\r\nb\r\n", "a\r\nb"},
        {"a\r\n", "a\n"},
        {"a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n"},
        {"\n\n\n", "\n\n"},
        {"\r", "\r\n"},
        {"one\ntwo\nthree\n", "zero\none\ntwo\nthree\nfour\n"},
        {"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm"},
        {"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n", "a\nb\nc\nD\ne\nf\ng\nh\ni\nj\nk\nl\nm\n"},
        {"server {\n    listen 80;\n}\n", "server {\n    listen 80;\n    listen 443;\n}\n"},
        {"keep\ndrop\nkeep2\n", "keep\nkeep2\n"},
        {std::string("nul\0byte\n", 9), std::string("nul\0bytes\n", 10)},
    };
    for (const auto& [a, b] : cases) {
        for (const int context : {3, 1, 0}) {
            INFO("old: " << ngxconf::json_quote(a) << "\nnew: " << ngxconf::json_quote(b)
                         << "\ncontext: " << context);
            if (a.find('\0') == std::string::npos) {  // GNU diff calls NUL files binary
                CHECK(ngxconf::unified_diff(a, b, "old", "new", context) ==
                      gnu_diff(dir, a, b, context));
            }
            patch_rebuilds(dir, a, b, context);
        }
    }
}

TEST_CASE("patch applied to the old bytes gives the new bytes (random inputs from fixed seeds)", "[diff]") {
    temp_dir dir;
    const std::vector<std::string> pool{"a\n",     "b\n",          "c\n",        "a\r\n",  "\n",
                                        "\r\n",    "server {\n",   "}\n",        "    x;\n",
                                        "  y\r\n", "# comment\n",  "\tz \\\n",   "b \n"};
    const auto random_text = [&](std::mt19937& rng, std::size_t max_lines) {
        std::string s;
        const auto n = std::uniform_int_distribution<std::size_t>(0, max_lines)(rng);
        for (std::size_t i = 0; i < n; ++i) s += pool[rng() % pool.size()];
        if (!s.empty() && rng() % 3 == 0) s.pop_back();  // no final newline (maybe a lone CR)
        return s;
    };
    const auto mutate = [&](std::mt19937& rng, const std::string& text) {
        std::vector<std::string> lines;
        for (std::size_t p = 0; p < text.size();) {
            const auto nl = text.find('\n', p);
            const auto end = nl == std::string::npos ? text.size() : nl + 1;
            lines.push_back(text.substr(p, end - p));
            p = end;
        }
        const auto edits = rng() % 6;
        for (std::size_t e = 0; e < edits; ++e) {
            const auto at = lines.empty() ? 0 : rng() % (lines.size() + 1);
            switch (rng() % 3) {
            case 0:
                lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), pool[rng() % pool.size()]);
                break;
            case 1:
                if (at < lines.size()) lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at));
                break;
            default:
                if (at < lines.size()) lines[at] = pool[rng() % pool.size()];
            }
        }
        std::string out;
        for (auto& l : lines) {
            if (!out.empty() && out.back() != '\n') out += '\n';  // only the last may lack one
            out += l;
        }
        if (!out.empty() && rng() % 4 == 0) {
            if (out.back() == '\n') {
                out.pop_back();
            } else {
                out += '\n';
            }
        }
        return out;
    };
    int gnu_identical = 0, total = 0;
    for (std::uint32_t seed = 1; seed <= 150; ++seed) {
        std::mt19937 rng(seed);
        const std::string a = random_text(rng, seed % 10 == 0 ? 200 : 25);
        const std::string b = rng() % 10 == 0 ? random_text(rng, 25) : mutate(rng, a);
        const int context = std::array{3, 0, 1, 5}[seed % 4];
        INFO("seed " << seed);
        patch_rebuilds(dir, a, b, context);
        if (a != b) {
            ++total;
            gnu_identical += ngxconf::unified_diff(a, b, "old", "new", context) ==
                             gnu_diff(dir, a, b, context);
        }
    }
    // Several edit scripts of the same length can exist; most often we pick GNU's.
    INFO(gnu_identical << " of " << total << " identical to GNU diff");
    CHECK(gnu_identical * 2 > total);
}
