// workspace: following includes with nginx's semantics (relative to the prefix, absolute ones
// mapped /config -> a temp folder, globs sorted, missing files, cycles, one document per
// file, parse errors of included files as problems), and pending_changes / diff / save.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <ngxconf/diff.hpp>
#include <ngxconf/query.hpp>
#include <ngxconf/workspace.hpp>

#include "cst/doc_impl.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

using test::temp_dir;

void put(const fs::path& p, std::string_view bytes, mode_t mode = 0644) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    REQUIRE(out.good());
    REQUIRE(::chmod(p.c_str(), mode) == 0);
}

ino_t inode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_ino;
}

// A white-box edit (the edit API is another part): argument i gets new raw bytes.
// A SWAG-shaped tree: nginx's /config is <tmp>/config.
struct swag_tree {
    temp_dir tmp;
    fs::path nginx = tmp / "config" / "nginx";

    swag_tree() {
        put(nginx / "nginx.conf",
            "user abc;\n"                                          // 1
            "http {\n"                                             // 2
            "    include mime.types;\n"                            // 3 relative: the prefix
            "    include /config/nginx/site-confs/*.conf;\n"       // 4 glob, mapped
            "    #include /config/nginx/disabled.conf;\n"          // 5 disabled: not followed
            "    include /config/nginx/nomatch/*.conf;\n"          // 6 a glob matching nothing
            "    include /config/nginx/missing.conf;\n"            // 7
            "    include \"/config/nginx/loop/a.conf\";\n"         // 8 quoted: decoded
            "}\n");
        put(nginx / "mime.types", "types {\n    text/html html;\n}\n");
        put(nginx / "site-confs" / "b.conf",
            "server {\n    include /config/nginx/proxy-link.conf;\n}\n");
        put(nginx / "site-confs" / "a.conf",
            "server {\n    listen 443;\n    include /config/nginx/proxy.conf;\n}\n", 0640);
        put(nginx / "site-confs" / "c.conf.sample", "not { valid\n");
        put(nginx / "site-confs" / "z-broken.conf", "server {\n    listen 80;\n}\n}\n");
        put(nginx / "proxy.conf", "proxy_set_header Host $host;\n");
        fs::create_symlink("proxy.conf", nginx / "proxy-link.conf");
        put(nginx / "loop" / "a.conf", "include /config/nginx/loop/b.conf;\n");
        put(nginx / "loop" / "b.conf", "\n# back again\ninclude /config/nginx/loop/a.conf;\n");
    }

    [[nodiscard]] ngxconf::workspace_options options() const {
        ngxconf::workspace_options o;
        o.mappings = {{"/config", tmp / "config"}};
        return o;
    }
};

std::vector<std::string> names_of(ngxconf::workspace& ws, const fs::path& base) {
    std::vector<std::string> out;
    for (auto* d : ws.documents()) out.push_back(fs::path(d->source_name()).lexically_relative(base).string());
    return out;
}

std::string at(const ngxconf::source_region& r, const fs::path& base) {
    return fs::path(r.file).lexically_relative(base).string() + ":" + std::to_string(r.begin.line);
}

}  // namespace

TEST_CASE("workspace::load follows includes with nginx's semantics", "[workspace]") {
    swag_tree t;
    ngxconf::workspace ws(t.options());
    auto& root = ws.load(t.nginx / "nginx.conf");
    CHECK(root.source_name() == (t.nginx / "nginx.conf").string());

    // depth-first, document order, glob sorted; proxy.conf once although included twice
    CHECK(names_of(ws, t.nginx) == std::vector<std::string>{
                                       "nginx.conf", "mime.types", "site-confs/a.conf",
                                       "proxy.conf", "site-confs/b.conf", "loop/a.conf",
                                       "loop/b.conf"});
    CHECK(ws.find(t.nginx / "proxy-link.conf") == ws.find(t.nginx / "proxy.conf"));
    CHECK(ws.find(t.nginx / "proxy.conf") != nullptr);
    CHECK(ws.find(t.nginx / "disabled.conf") == nullptr);

    const auto& problems = ws.problems();
    REQUIRE(problems.size() == 3);
    using code = ngxconf::diag_code;
    for (const auto& p : problems) CHECK(p.level == ngxconf::severity::error);

    CHECK(problems[0].code == code::include_parse_error);
    CHECK(problems[0].where.file == (t.nginx / "site-confs" / "z-broken.conf").string());
    CHECK(problems[0].where.begin.line == 4);
    CHECK(problems[0].where.begin.column == 1);
    REQUIRE(problems[0].related.size() == 1);
    CHECK(at(problems[0].related[0].where, t.nginx) == "nginx.conf:4");
    CHECK(problems[0].related[0].where.begin.column == 5);  // the word `include`

    CHECK(problems[1].code == code::include_missing);
    CHECK(problems[1].where.file == (t.nginx / "missing.conf").string());
    REQUIRE(problems[1].related.size() == 1);
    CHECK(at(problems[1].related[0].where, t.nginx) == "nginx.conf:7");

    CHECK(problems[2].code == code::include_cycle);
    CHECK(problems[2].where.file == (t.nginx / "loop" / "a.conf").string());
    REQUIRE(problems[2].related.size() == 3);  // outermost first
    CHECK(at(problems[2].related[0].where, t.nginx) == "nginx.conf:8");
    CHECK(at(problems[2].related[1].where, t.nginx) == "loop/a.conf:1");
    CHECK(at(problems[2].related[2].where, t.nginx) == "loop/b.conf:3");

    SECTION("resolve_include expands globs in sorted order") {
        const auto incs = ngxconf::find_all(root.root(), "include", {.recursive = true});
        REQUIRE(incs.size() == 5);
        CHECK(ws.resolve_include(incs[0]) == std::vector<fs::path>{t.nginx / "mime.types"});
        CHECK(ws.resolve_include(incs[1]) ==
              std::vector<fs::path>{t.nginx / "site-confs/a.conf", t.nginx / "site-confs/b.conf",
                                    t.nginx / "site-confs/z-broken.conf"});
        CHECK(ws.resolve_include(incs[2]).empty());
        CHECK(ws.resolve_include(incs[3]) == std::vector<fs::path>{t.nginx / "missing.conf"});
    }
}

TEST_CASE("workspace path mapping and options", "[workspace]") {
    SECTION("the longest matching prefix wins, on whole path components") {
        ngxconf::workspace_options o;
        o.mappings = {{"/config", "/h1"}, {"/config/nginx/", "/h2"}, {"/", "/everything"}};
        o.prefix = "/p";
        ngxconf::workspace ws(o);
        CHECK(ws.host_path("/config/nginx/x.conf") == "/h2/x.conf");
        CHECK(ws.host_path("/config/www/y") == "/h1/www/y");
        CHECK(ws.host_path("/config") == "/h1");
        CHECK(ws.host_path("/configx/z") == "/everything/configx/z");
        CHECK(ws.host_path("x.conf") == "/p/x.conf");
        CHECK(ws.host_path("site-confs/*.conf") == "/p/site-confs/*.conf");
    }
    SECTION("without a mapping an absolute path is used as is") {
        ngxconf::workspace ws;
        CHECK(ws.host_path("/etc/nginx/mime.types") == "/etc/nginx/mime.types");
    }
    SECTION("glob characters of the host folder are taken literally") {
        temp_dir tmp;
        put(tmp / "we[i]rd" / "nginx.conf", "include /config/sites/*.conf;\n");
        put(tmp / "we[i]rd" / "sites" / "one.conf", "a 1;\n");
        put(tmp / "wi" / "sites" / "two.conf", "b 2;\n");  // what `we[i]rd` matches as a glob
        ngxconf::workspace_options o;
        o.mappings = {{"/config", tmp / "we[i]rd"}};
        ngxconf::workspace ws(o);
        ws.load(tmp / "we[i]rd" / "nginx.conf");
        std::string messages;
        for (const auto& p : ws.problems()) messages += p.message + "\n";
        INFO(messages);
        CHECK(ws.problems().empty());
        REQUIRE(ws.documents().size() == 2);
        CHECK(ws.documents()[1]->source_name() == (tmp / "we[i]rd" / "sites" / "one.conf").string());
    }
    SECTION("a glob matching more than max_files is reported, not loaded") {
        swag_tree t;
        auto o = t.options();
        o.max_files = 2;
        ngxconf::workspace ws(o);
        ws.load(t.nginx / "site-confs" / ".." / "nginx.conf");
        CHECK(ws.find(t.nginx / "site-confs" / "a.conf") == nullptr);
        bool reported = false;
        for (const auto& p : ws.problems()) {
            if (p.code == ngxconf::diag_code::include_too_many_files &&
                p.where.file == (t.nginx / "site-confs" / "*.conf").string()) {
                reported = p.level == ngxconf::severity::warning;
            }
        }
        CHECK(reported);
    }
    SECTION("open() does not follow; load() errors of the root throw") {
        swag_tree t;
        ngxconf::workspace ws(t.options());
        ws.open(t.nginx / "nginx.conf");
        CHECK(ws.documents().size() == 1);
        CHECK(ws.problems().empty());
        CHECK(&ws.open(t.nginx / "nginx.conf") == ws.documents()[0]);
        CHECK_THROWS_AS(ws.load(t.nginx / "site-confs" / "z-broken.conf"), ngxconf::parse_error);
        CHECK_THROWS_AS(ws.load(t.nginx / "none.conf"), ngxconf::io_error);
        CHECK_THROWS_AS(ws.create(t.nginx / "proxy.conf", ngxconf::document::empty()),
                        ngxconf::usage_error);
    }
}

TEST_CASE("workspace pending_changes and diff and save write only the dirty documents",
          "[workspace]") {
    swag_tree t;
    ngxconf::workspace ws(t.options());
    ws.load(t.nginx / "nginx.conf");
    CHECK(ws.pending_changes().empty());
    CHECK(ws.diff().empty());

    const fs::path a_path = t.nginx / "site-confs" / "a.conf";
    const fs::path new_path = t.nginx / "site-confs" / "new.conf";
    auto* a = ws.find(a_path);
    REQUIRE(a != nullptr);
    const std::string a_before(a->source());
    ngxconf::set_arg(ngxconf::find_first(a->root(), "listen", {.recursive = true}), 0, "8443");
    ws.create(new_path, ngxconf::parse("server {\n    listen 80;\n}\n"));

    auto pending = ws.pending_changes();
    REQUIRE(pending.size() == 2);
    CHECK(pending[0].path == a_path);
    CHECK(pending[0].expected == a_before);
    CHECK(pending[0].bytes == "server {\n    listen 8443;\n    include /config/nginx/proxy.conf;\n}\n");
    CHECK(pending[1].path == new_path);
    CHECK_FALSE(pending[1].expected.has_value());
    CHECK(ws.find(new_path)->source_name() == new_path.string());

    CHECK(ws.diff() == ngxconf::unified_diff(a_before, pending[0].bytes, a_path.string(), a_path.string()) +
                           ngxconf::unified_diff("", pending[1].bytes, "/dev/null", new_path.string()));
    CHECK_THAT(ws.diff(), Catch::Contains("-    listen 443;\n+    listen 8443;\n") &&
                              Catch::Contains("--- /dev/null\n"));

    const std::vector<fs::path> untouched{t.nginx / "nginx.conf", t.nginx / "proxy.conf",
                                          t.nginx / "site-confs" / "b.conf", t.nginx / "mime.types"};
    std::vector<ino_t> inodes;
    for (const auto& p : untouched) inodes.push_back(inode_of(p));
    const auto a_inode = inode_of(a_path);

    ngxconf::transaction_options opts;
    opts.state_dir = t.tmp / "state";
    fs::create_directories(opts.state_dir);
    opts.validate_command = "true";

    SECTION("save writes the dirty ones; they are clean afterwards") {
        const auto r = ws.save(opts);
        CHECK(r.written == std::vector<fs::path>{a_path, new_path});
        CHECK(test::read_file(a_path) == pending[0].bytes);
        CHECK(inode_of(a_path) != a_inode);
        CHECK(test::read_file(new_path) == "server {\n    listen 80;\n}\n");
        struct stat st {};
        REQUIRE(::stat(new_path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0640);  // like a.conf, the folder's first *.conf
        for (std::size_t i = 0; i < untouched.size(); ++i) CHECK(inode_of(untouched[i]) == inodes[i]);
        CHECK(ws.pending_changes().empty());
        CHECK(ws.diff().empty());
        CHECK(a->source() == a_before);  // the document was not re-parsed

        // a later edit compares with the saved bytes
        ngxconf::set_arg(ngxconf::find_first(a->root(), "listen", {.recursive = true}), 0, "9443");
        pending = ws.pending_changes();
        REQUIRE(pending.size() == 1);
        CHECK(pending[0].expected == test::read_file(a_path));
        ws.save(opts);
        CHECK_THAT(test::read_file(a_path), Catch::Contains("listen 9443;"));
    }
    SECTION("a file changed on disk since the load is refused; nothing is written") {
        put(t.nginx / "site-confs" / "a.conf", "server {\n    listen 1;\n}\n", 0640);
        const auto edited_inode = inode_of(a_path);
        try {
            ws.save(opts);
            FAIL("no exception");
        } catch (const ngxconf::io_error& e) {
            CHECK(e.code() == ngxconf::error_code::modified_on_disk);
            CHECK(e.where().file == a_path.string());
        }
        CHECK(inode_of(a_path) == edited_inode);
        CHECK_FALSE(fs::exists(new_path));
        CHECK(ws.pending_changes().size() == 2);
    }
    SECTION("a failing validation leaves the workspace dirty and the files as they were") {
        opts.validate_command = "exit 3";
        CHECK_THROWS_AS(ws.save(opts), ngxconf::io_error);
        CHECK(test::read_file(a_path) == a_before);
        CHECK_FALSE(fs::exists(new_path));
        CHECK(ws.pending_changes().size() == 2);
    }
}

TEST_CASE("workspace::replace keeps the bytes on disk as the baseline", "[workspace]") {
    swag_tree t;
    ngxconf::workspace ws(t.options());
    ws.load(t.nginx / "nginx.conf");
    const fs::path a_path = t.nginx / "site-confs" / "a.conf";
    const std::string before(ws.find(a_path)->source());
    ws.replace(a_path, ngxconf::parse("server {\n\n    listen 9443;\n}\n"));
    const auto pending = ws.pending_changes();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].path == a_path);
    CHECK(pending[0].expected == before);
    CHECK(pending[0].bytes == "server {\n\n    listen 9443;\n}\n");
    CHECK_THROWS_AS(ws.replace(t.nginx / "not-loaded.conf", ngxconf::parse("")), ngxconf::usage_error);
}

TEST_CASE("workspace::replace retires the old tree's handles", "[workspace]") {
    swag_tree t;
    ngxconf::workspace ws(t.options());
    ws.load(t.nginx / "nginx.conf");
    const fs::path a_path = t.nginx / "site-confs" / "a.conf";
    ngxconf::document* before = ws.find(a_path);
    const auto old_first = ngxconf::find_first(before->root(), "server");
    REQUIRE(old_first);
    const std::string old_text = old_first.text();
    ngxconf::document& now = ws.replace(a_path, ngxconf::parse("server {\n    listen 9443;\n}\n"));
    CHECK(&now == before);  // references to the document stay valid and see the new tree
    CHECK(ngxconf::to_string(now) == "server {\n    listen 9443;\n}\n");
    // The old handle still reads its own (old) node, and refuses edits that could not be saved.
    CHECK(old_first.text() == old_text);
    CHECK_THROWS_AS(ngxconf::rename(old_first, "http"), ngxconf::usage_error);
    CHECK(ws.pending_changes().at(0).bytes == "server {\n    listen 9443;\n}\n");
}
