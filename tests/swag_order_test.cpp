// ngxconf::swag on a temporary copy of fixtures/swag: the order in which a session writes its
// files (SWAG reloads nginx on each one), and unprotect as the exact reverse of a protect
// saved by an earlier session (read back from the transaction history).
#include <unistd.h>

#include <algorithm>
#include <ngxconf/edit.hpp>
#include <ngxconf/swag/swag.hpp>

#include "swag_tree.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace swag = ngxconf::swag;

namespace {

// A copy of fixtures/swag in a temporary folder, removed at the end.
struct swag_copy : test::swag_tree {
    swag_copy() : swag_tree(from::fixtures) {}
};

std::vector<fs::path> paths_of(const std::vector<ngxconf::file_change>& changes) {
    std::vector<fs::path> out;
    for (const auto& c : changes) out.push_back(c.path);
    return out;
}

bool lists(swag::session& s, std::string_view app) {
    const auto st = s.status();
    return std::any_of(st.begin(), st.end(), [&](const auto& a) { return a.app == app; });
}

std::size_t count_kind(const swag::report& r, swag::change_kind k) {
    return static_cast<std::size_t>(
        std::count_if(r.changes.begin(), r.changes.end(), [&](const auto& c) { return c.what == k; }));
}

}  // namespace

TEST_CASE("swag order: protect writes default.conf first, unprotect the app's conf first", "[swag]") {
    swag_copy t;
    const fs::path dc = t / "site-confs/default.conf";
    const fs::path app = t / "proxy-confs/sonarr.subfolder.conf";
    {
        swag::session s(t.where());
        (void)s.protect("sonarr");
        const std::vector<fs::path> server_first{dc, app};
        CHECK(paths_of(s.pending_changes()) == server_first);
        const auto result = s.save(t.save_options());
        CHECK(result.written == server_first);
    }
    {
        swag::session s(t.where());
        (void)s.unprotect("sonarr");
        const std::vector<fs::path> app_first{app, dc};
        CHECK(paths_of(s.pending_changes()) == app_first);
        const auto result = s.save(t.save_options());
        CHECK(result.written == app_first);
    }
}

TEST_CASE("swag order: a subfolder conf activated from its .sample goes after default.conf", "[swag]") {
    swag_copy t;
    const fs::path dc = t / "site-confs/default.conf";
    const fs::path app = t / "proxy-confs/sonarr.subfolder.conf";
    fs::rename(app, t / "proxy-confs/sonarr.subfolder.conf.sample");
    swag::session s(t.where());
    (void)s.protect("sonarr", {.from_sample = true});
    const std::vector<fs::path> server_first{dc, app};
    CHECK(paths_of(s.pending_changes()) == server_first);
    CHECK(s.save(t.save_options()).written == server_first);

    swag::session s2(t.where());
    const auto u = s2.unprotect("sonarr");
    REQUIRE(u.changes.size() == 2);
    CHECK(u.changes[0].what == swag::change_kind::deactivate);
    const std::vector<fs::path> app_first{app, dc};
    CHECK(paths_of(s2.pending_changes()) == app_first);
    CHECK(s2.save(t.save_options()).written == app_first);
    CHECK_FALSE(fs::exists(app));
    const fs::path shipped = test::fixtures_dir() / "swag/site-confs/default.conf";
    CHECK(t.read("site-confs/default.conf") == test::read_file(shipped));
}

TEST_CASE("swag reverse: unprotect in a later session removes what protect --insert added", "[swag]") {
    swag_copy t;
    const std::string rel = "proxy-confs/jellyfin.subdomain.conf";
    const std::string original = t.read(rel);
    {
        swag::session s(t.where());
        const auto r = s.protect("jellyfin", {.insert = true});
        REQUIRE(count_kind(r, swag::change_kind::insert) >= 2);
        (void)s.save(t.save_options());
    }
    REQUIRE(t.read(rel) != original);
    {
        swag::session s(t.where());
        const auto u = s.unprotect("jellyfin");
        CHECK(count_kind(u, swag::change_kind::remove) == u.changes.size());
        CHECK(count_kind(u, swag::change_kind::remove) >= 2);
        (void)s.save(t.save_options());
    }
    CHECK(t.read(rel) == original);
}

TEST_CASE("swag reverse: default.conf's line protect --insert added goes again in a later session", "[swag]") {
    swag_copy t;
    const auto drop_line = [&](const std::string& rel, const std::string& line) {
        std::string bytes = t.read(rel);
        const auto at = bytes.find(line + "\n");
        REQUIRE(at != std::string::npos);
        bytes.erase(at, line.size() + 1);
        test::put_file(t / rel, bytes);
    };
    drop_line("site-confs/default.conf", "    #include /config/nginx/authentik-server.conf;");
    drop_line("proxy-confs/sonarr.subfolder.conf", "    #include /config/nginx/authentik-location.conf;");
    const std::string dc = t.read("site-confs/default.conf");
    const std::string app = t.read("proxy-confs/sonarr.subfolder.conf");
    {
        swag::session s(t.where());
        const auto r = s.protect("sonarr", {.insert = true});
        REQUIRE(count_kind(r, swag::change_kind::insert) == 2);
        (void)s.save(t.save_options());
    }
    swag::session s(t.where());
    const auto u = s.unprotect("sonarr");
    CHECK(count_kind(u, swag::change_kind::remove) == 2);
    CHECK(u.changes.size() == 2);
    (void)s.save(t.save_options());
    CHECK(t.read("site-confs/default.conf") == dc);
    CHECK(t.read("proxy-confs/sonarr.subfolder.conf") == app);
}

TEST_CASE("swag reverse: unprotect in a later session deactivates what --from-sample activated", "[swag]") {
    swag_copy t;
    const fs::path conf = t / "proxy-confs/dokuwiki.subdomain.conf";
    {
        swag::session s(t.where());
        (void)s.protect("dokuwiki", {.from_sample = true});
        (void)s.save(t.save_options());
    }
    REQUIRE(fs::exists(conf));
    {
        swag::session s(t.where());
        const auto u = s.unprotect("dokuwiki");
        REQUIRE(u.changes.size() == 1);
        CHECK(u.changes[0].what == swag::change_kind::deactivate);
        CHECK(u.changes[0].file == conf);
        REQUIRE(s.pending_changes().size() == 1);
        CHECK(s.pending_changes()[0].remove);
        CHECK_FALSE(lists(s, "dokuwiki"));  // already in this session, before the write
        CHECK(s.diff().find("+++ /dev/null") != std::string::npos);
        (void)s.save(t.save_options());
    }
    CHECK_FALSE(fs::exists(conf));
    CHECK(fs::exists(t / "proxy-confs/dokuwiki.subdomain.conf.sample"));
    swag::session s(t.where());
    CHECK_FALSE(lists(s, "dokuwiki"));
}

TEST_CASE("swag reverse: a conf edited by hand after protect is switched off, not restored", "[swag]") {
    swag_copy t;
    const std::string rel = "proxy-confs/jellyfin.subdomain.conf";
    {
        swag::session s(t.where());
        (void)s.protect("jellyfin", {.insert = true});
        (void)s.save(t.save_options());
    }
    const std::string edited = t.read(rel) + "# a note added by hand\n";
    test::put_file(t / rel, edited);
    swag::session s(t.where());
    const auto u = s.unprotect("jellyfin");
    REQUIRE_FALSE(u.changes.empty());
    CHECK(count_kind(u, swag::change_kind::disable) == u.changes.size());
    (void)s.save(t.save_options());
    const std::string now = t.read(rel);
    CHECK(now.size() == edited.size() + u.changes.size());  // one '#' per line
    CHECK(now.find("# a note added by hand\n") != std::string::npos);
    CHECK(now.find("\n    #include /config/nginx/authentik-server.conf;") != std::string::npos);
}

TEST_CASE("swag reverse: a conf protected before the history began is switched off", "[swag]") {
    swag_copy t;
    const std::string rel = "proxy-confs/dockge.subdomain.conf";
    const std::string original = t.read(rel);
    {
        swag::session s(t.where());
        (void)s.protect("dockge");
        (void)s.save(t.save_options());
    }
    const std::string protected_ = t.read(rel);
    {
        swag::session s(t.where());
        (void)s.unprotect("dockge");  // restored from the history: the same bytes
        (void)s.save(t.save_options());
    }
    CHECK(t.read(rel) == original);
    // protect's history entry gone: the commented lines come back the usual way.
    fs::remove_all(t / ngxconf::state_folder_name);
    test::put_file(t / rel, protected_);
    swag::session s(t.where());
    const auto u = s.unprotect("dockge");
    CHECK(count_kind(u, swag::change_kind::disable) == u.changes.size());
    (void)s.save(t.save_options());
    CHECK(t.read(rel) == original);
}

TEST_CASE("workspace: remove() deletes a file on save, and nothing is pending after", "[swag]") {
    swag_copy t;
    const fs::path f = t / "proxy.conf";
    ngxconf::workspace ws;
    (void)ws.open(f);
    CHECK_FALSE(ws.removed(f));
    ws.remove(f);
    CHECK(ws.removed(f));
    const auto pending = ws.pending_changes();
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].remove);
    REQUIRE(pending[0].expected.has_value());
    CHECK(*pending[0].expected == t.read("proxy.conf"));
    const auto result = ws.save(t.save_options());
    CHECK(result.written == std::vector<fs::path>{f});
    CHECK_FALSE(fs::exists(f));
    CHECK(ws.pending_changes().empty());
    CHECK_THROWS_AS(ws.remove(t / "ssl.conf"), ngxconf::usage_error);

    // Created and removed before any save: nothing to write.
    const fs::path n = t / "new.conf";
    (void)ws.create(n, ngxconf::parse("a b;\n"));
    ws.remove(n);
    CHECK(ws.pending_changes().empty());
}

TEST_CASE("workspace: pending_changes(first) and save(opts, first) put those files first", "[swag]") {
    swag_copy t;
    const fs::path a = t / "proxy.conf", b = t / "ssl.conf", c = t / "authentik-server.conf";
    ngxconf::workspace ws;
    for (const auto& p : {a, b, c}) {
        auto& doc = ws.open(p);
        (void)ngxconf::insert_comment(doc.root(), ngxconf::insert_at::last_child, "# edited");
    }
    const std::vector<fs::path> load_order{a, b, c};
    CHECK(paths_of(ws.pending_changes()) == load_order);
    // Unknown and unchanged paths in `first` are skipped; the rest keep load order.
    const std::vector<fs::path> first{c, t / "nothing.conf", a};
    const std::vector<fs::path> want{c, a, b};
    CHECK(paths_of(ws.pending_changes(first)) == want);
    CHECK(ws.diff(first).find("+++ " + c.string()) < ws.diff(first).find("+++ " + a.string()));
    CHECK(ws.save(t.save_options(), first).written == want);
    CHECK(ws.pending_changes(first).empty());
}
