// ngxconf::swag: protect / unprotect / switch_upstream / generate / status / doctor on small
// SWAG-shaped trees written here (temporary copies), and [swag][corpus] on the real samples.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <ngxconf/dump.hpp>
#include <ngxconf/swag/swag.hpp>
#include <set>

#include "swag_tree.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace swag = ngxconf::swag;
using ngxconf::directive;

namespace {

// ------------------------------------------------------------------------- helpers

using temp_tree = test::swag_tree;

// 1-based line of the first line of `text` holding `needle` (0 when none).
std::uint32_t line_with(std::string_view text, std::string_view needle) {
    std::uint32_t line = 1;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        if (text.substr(pos, end - pos).find(needle) != std::string_view::npos) return line;
        ++line;
        pos = end + 1;
    }
    return 0;
}

std::size_t count_lines(std::string_view text, std::string_view exact_line) {
    std::size_t n = 0, pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view l = text.substr(pos, end - pos);
        if (l.ends_with('\r')) l.remove_suffix(1);
        if (l == exact_line) ++n;
        pos = end + 1;
    }
    return n;
}

std::string bytes_of(swag::session& s, const fs::path& p) {
    auto* doc = s.files().find(p);
    REQUIRE(doc != nullptr);
    return ngxconf::to_string(*doc);
}

using ngxconf::diag_code;

// The first diagnostic with that code, or nullptr.
const ngxconf::diagnostic* with_code(const std::vector<ngxconf::diagnostic>& v, diag_code code) {
    const auto it = std::find_if(v.begin(), v.end(), [&](const auto& d) { return d.code == code; });
    return it == v.end() ? nullptr : &*it;
}

std::size_t count_code(const std::vector<ngxconf::diagnostic>& v, diag_code code) {
    return static_cast<std::size_t>(
        std::count_if(v.begin(), v.end(), [&](const auto& d) { return d.code == code; }));
}

bool has_code(const swag::report& r, diag_code code) { return with_code(r.notes, code) != nullptr; }

template <class Fn>
diag_code error_code_of(Fn&& fn) {
    try {
        fn();
    } catch (const swag::error& e) {
        return e.code();
    }
    FAIL("no swag::error thrown");
    return diag_code::none;
}

// ------------------------------------------------------------------------- our own tree
// SWAG-shaped text written for these tests: the shapes of the shipped confs (auth lines
// commented out under an "# enable for ..." comment), not their words.

constexpr std::string_view authentik_server = R"(## Version 2024/02/02
# endpoints for Authentik, included in each protected server block

location ^~ /outpost.goauthentik.io {
    include /config/nginx/proxy.conf;
    set $upstream_authentik authentik-server;
    proxy_pass http://$upstream_authentik:9000;
}

location = /outpost.goauthentik.io/auth/nginx {
    internal;
    set $upstream_authentik authentik-server;
    proxy_pass http://$upstream_authentik:9000/outpost.goauthentik.io/auth/nginx;
    proxy_pass_request_body off;
}
)";

constexpr std::string_view authentik_location = "## Version 2024/02/02\nauth_request /outpost.goauthentik.io/auth/nginx;\n";
constexpr std::string_view authelia_server = "## Version 2024/02/02\nlocation /authelia-check { internal; }\n";
constexpr std::string_view authelia_location = "## Version 2024/02/02\nauth_request /authelia-check;\n";

constexpr std::string_view web_conf = R"(## Version 2024/03/03
# "web": one server, a UI location with auth lines, an API location without

server {
    listen 443 ssl;
#    listen 443 quic;

    server_name web.*;

    include /config/nginx/ssl.conf;

    # enable for Authelia (needs authelia-location.conf below)
    #include /config/nginx/authelia-server.conf;

    # enable for Authentik (needs authentik-location.conf below)
    #include /config/nginx/authentik-server.conf;

    location / {
        # enable the next two lines for http auth
        #auth_basic "Restricted";
        #auth_basic_user_file /config/nginx/.htpasswd;

        # enable for Authelia (needs authelia-server.conf above)
        #include /config/nginx/authelia-location.conf;

        # enable for Authentik (needs authentik-server.conf above)
        #include /config/nginx/authentik-location.conf;

        include /config/nginx/proxy.conf;
        set $upstream_app web;
        set $upstream_port 8080;
        set $upstream_proto http;
        proxy_pass $upstream_proto://$upstream_app:$upstream_port;
    }

    location ~ (/web)?/api {
        include /config/nginx/proxy.conf;
        set $upstream_app web;
        proxy_pass http://$upstream_app:8080;
    }
}
)";

// Two server blocks (the kasm shape), the second one with a tab-indented block.
constexpr std::string_view duo_conf = R"(## Version 2024/03/03
server {
    server_name duo.*;
    # enable for Authentik
    #include /config/nginx/authentik-server.conf;
    location / {
        # enable for Authentik
        #include /config/nginx/authentik-location.conf;
        proxy_pass http://duo:1;
    }
}

server {
	server_name duo-admin.*;
	#include /config/nginx/authentik-server.conf;
	location / {
		#include /config/nginx/authentik-location.conf;
		proxy_pass http://duo:2;
	}
}
)";

// No auth line at all (the jellyfin shape).
constexpr std::string_view plain_conf = R"(## Version 2024/03/03
server {
    listen 443 ssl;
    server_name plain.*;

    location / {
        include /config/nginx/proxy.conf;
        proxy_pass http://plain:8096;
    }

    location ~ (/plain)?/socket {
        proxy_pass http://plain:8096;
    }

    location /metrics {
        allow 10.0.0.0/8;
        deny all;
        proxy_pass http://plain:8096;
    }

    location /old {
        return 301 /;
    }
}
)";

// Authelia already on.
constexpr std::string_view guarded_conf = R"(## Version 2024/03/03
server {
    server_name guarded.*;
    include /config/nginx/authelia-server.conf;
    #include /config/nginx/authentik-server.conf;
    location / {
        include /config/nginx/authelia-location.conf;
        #include /config/nginx/authentik-location.conf;
        proxy_pass http://guarded:80;
    }
}
)";

constexpr std::string_view default_conf = R"(## Version 2024/04/04
server {
    listen 80 default_server;
    location / {
        return 301 https://$host$request_uri;
    }
}

server {
    listen 443 ssl default_server;
    server_name _;
    root /config/www;

    include /config/nginx/proxy-confs/*.subfolder.conf;

    # enable for Authelia
    #include /config/nginx/authelia-server.conf;

    # enable for Authentik
    #include /config/nginx/authentik-server.conf;

    location / {
        # enable for Authentik
        #include /config/nginx/authentik-location.conf;
        try_files $uri $uri/ /index.html;
    }
}

include /config/nginx/proxy-confs/*.subdomain.conf;
)";

std::string subfolder_conf(const std::string& app) {
    return "## Version 2024/05/05\n# subfolder app " + app + "\n\nlocation ^~ /" + app +
           " {\n    # enable for Authentik (needs authentik-server.conf in default.conf)\n"
           "    #include /config/nginx/authentik-location.conf;\n\n"
           "    include /config/nginx/proxy.conf;\n    proxy_pass http://" + app + ":80;\n}\n\n"
           "location ^~ /" + app + "/api {\n    proxy_pass http://" + app + ":80;\n}\n";
}

void build_tree(const temp_tree& t) {
    t.write("authentik-server.conf", authentik_server);
    t.write("authentik-location.conf", authentik_location);
    t.write("authelia-server.conf", authelia_server);
    t.write("authelia-location.conf", authelia_location);
    t.write("proxy.conf", "proxy_http_version 1.1;\n");
    t.write("ssl.conf", "ssl_protocols TLSv1.3;\n");
    t.write("site-confs/default.conf", default_conf);
    t.write("proxy-confs/web.subdomain.conf", web_conf);
    t.write("proxy-confs/web.subdomain.conf.sample", web_conf);
    t.write("proxy-confs/duo.subdomain.conf", duo_conf);
    t.write("proxy-confs/plain.subdomain.conf", plain_conf);
    t.write("proxy-confs/guarded.subdomain.conf", guarded_conf);
    t.write("proxy-confs/alpha.subfolder.conf", subfolder_conf("alpha"));
    t.write("proxy-confs/beta.subfolder.conf", subfolder_conf("beta"));
    t.write("proxy-confs/later.subdomain.conf.sample", web_conf);
}

// Every file of a tree, relative path -> bytes (the lock file aside).
std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file()) continue;
        const auto rel = e.path().lexically_relative(root).string();
        if (rel.find(".ngxconf") != std::string::npos) continue;
        out[rel] = test::read_file(e.path());
    }
    return out;
}

}  // namespace

// ------------------------------------------------------------------------- small API parts

TEST_CASE("swag: provider names and the table", "[swag]") {
    for (const auto p : {swag::provider::authentik, swag::provider::authelia, swag::provider::ldap,
                         swag::provider::tinyauth, swag::provider::basic}) {
        const auto name = swag::name_of(p);
        CHECK(!name.empty());
        CHECK(swag::provider_named(name) == p);
    }
    CHECK(swag::name_of(swag::provider::authentik) == "authentik");
    CHECK_FALSE(swag::provider_named("keycloak"));
    CHECK(swag::provider_named("Authentik") == swag::provider::authentik);  // as the docs spell it
    CHECK(swag::provider_named("AUTHELIA") == swag::provider::authelia);
    CHECK_FALSE(swag::provider_named("authentikk"));
    CHECK_FALSE(swag::provider_named(""));
}

TEST_CASE("swag: upstream_target::parse accepts hosts, IPs and URLs", "[swag]") {
    struct ok_case {
        std::string text, host;
        std::optional<std::string> scheme;
        std::optional<std::uint16_t> port;
    };
    const std::vector<ok_case> ok = {
        {"authentik-outpost", "authentik-outpost", {}, {}},
        {"authentik_server", "authentik_server", {}, {}},  // Docker names may hold '_'
        {"auth.example.com", "auth.example.com", {}, {}},
        {"10.0.0.5", "10.0.0.5", {}, {}},
        {"[fd00::5]", "[fd00::5]", {}, {}},
        {"https://outpost.example.com:9443", "outpost.example.com", "https", 9443},
        {"http://authentik-server:9000", "authentik-server", "http", 9000},
        {"HTTPS://x", "x", "https", {}},
        {"https://[fd00::1]:9443", "[fd00::1]", "https", 9443},
        {"http://192.168.1.2", "192.168.1.2", "http", {}},
        {"authentik-outpost:9000", "authentik-outpost", {}, 9000},  // HOST:PORT without a scheme
        {"10.0.0.5:9000", "10.0.0.5", {}, 9000},
        {"[fd00::5]:9443", "[fd00::5]", {}, 9443},
    };
    for (const auto& c : ok) {
        INFO(c.text);
        const auto t = swag::upstream_target::parse(c.text);
        CHECK(t.host == c.host);
        CHECK(t.scheme == c.scheme);
        CHECK(t.port == c.port);
    }
    const std::vector<std::string> bad = {
        "", "a b", "x;y", "http://", "-x", "http://a b:9000", "host:99999", "a/b", "ftp://x",
        "http://x:0", "http://x:65536", "http://x:", "http://x/path", "http://x:9000/", "x'y",
        "x\"y", "$host", "a..b", ".a", "a.", "fd00::1", "[fd00::1", "[zz::1]", "999.1.1.1",
        "1.2.3", "http://user@x", "x{y}", "a\nb", std::string(64, 'a') + ".com", "x#y",
        "http://x?y=1", "x:", "x:abc", "x:0", "[fd00::5]:", "[fd00::5]x", "x:9000:1"};
    for (const auto& b : bad) {
        INFO("bad: " << ngxconf::json_quote(b));
        CHECK(error_code_of([&] { (void)swag::upstream_target::parse(b); }) ==
              diag_code::swag_invalid_target);
    }
}

TEST_CASE("swag: layout::detect takes --root, else NGXAUTH_ROOT, and says where it looked", "[swag]") {
    temp_tree t;
    const auto l = swag::layout::detect(t.root());
    CHECK(l.root == t.root());
    CHECK(l.container_root == "/config/nginx");
    CHECK(swag::layout::detect(t.root() / "").root == t.root());

    try {
        (void)swag::layout::detect(t.root() / "nowhere");
        FAIL("expected root_not_found");
    } catch (const swag::error& e) {
        CHECK(e.code() == diag_code::swag_root_not_found);
    }
    fs::create_directories(t.root() / "empty");
    CHECK(error_code_of([&] { (void)swag::layout::detect(t.root() / "empty"); }) ==
          diag_code::swag_root_not_found);

    const char* old = std::getenv("NGXAUTH_ROOT");
    const std::string saved = old ? old : "";
    ::setenv("NGXAUTH_ROOT", t.root().c_str(), 1);
    CHECK(swag::layout::detect(std::nullopt).root == t.root());
    ::setenv("NGXAUTH_ROOT", (t.root() / "nowhere").c_str(), 1);
    try {
        (void)swag::layout::detect(std::nullopt);
        FAIL("expected root_not_found");
    } catch (const swag::error& e) {
        CHECK(e.code() == diag_code::swag_root_not_found);
    }
    if (old) {
        ::setenv("NGXAUTH_ROOT", saved.c_str(), 1);
    } else {
        ::unsetenv("NGXAUTH_ROOT");
    }
}

// ------------------------------------------------------------------------- protect

TEST_CASE("swag: protect enables the commented lines, unprotect restores the bytes", "[swag]") {
    temp_tree t;
    build_tree(t);
    const fs::path file = t / "proxy-confs/web.subdomain.conf";
    swag::session s(t.where());
    const auto r = s.protect("web");
    REQUIRE(r.changes.size() == 2);
    CHECK(r.changes[0].file == file);
    CHECK(r.changes[0].what == swag::change_kind::enable);
    CHECK(r.changes[0].line == line_with(web_conf, "#include /config/nginx/authentik-server.conf;"));
    CHECK(r.changes[0].before == "    #include /config/nginx/authentik-server.conf;");
    CHECK(r.changes[0].after == "    include /config/nginx/authentik-server.conf;");
    CHECK(r.changes[1].line == line_with(web_conf, "#include /config/nginx/authentik-location.conf;"));
    CHECK(r.changes[1].before == "        #include /config/nginx/authentik-location.conf;");
    CHECK(r.changes[1].after == "        include /config/nginx/authentik-location.conf;");
    const auto* open = with_code(r.notes, diag_code::swag_left_open_on_purpose);
    REQUIRE(open != nullptr);
    CHECK(open->level == ngxconf::severity::info);
    CHECK(open->where.file == file.string());
    REQUIRE(open->related.size() == 1);  // the API location
    CHECK(open->related[0].where.begin.line == line_with(web_conf, "location ~ (/web)?/api"));

    const auto now = bytes_of(s, file);
    CHECK(count_lines(now, "    include /config/nginx/authentik-server.conf;") == 1);
    CHECK(count_lines(now, "        include /config/nginx/authentik-location.conf;") == 1);
    CHECK(count_lines(now, "    #include /config/nginx/authelia-server.conf;") == 1);
    CHECK(now.size() + 2 == web_conf.size());  // two '#' bytes, nothing else
    // The API location is byte for byte what it was.
    const auto api = std::string(web_conf.substr(web_conf.find("    location ~ (/web)?/api")));
    CHECK(now.ends_with(api));
    // Nothing written yet; one pending change.
    CHECK(t.read("proxy-confs/web.subdomain.conf") == web_conf);
    REQUIRE(s.pending_changes().size() == 1);
    CHECK(s.diff().find("+    include /config/nginx/authentik-server.conf;") != std::string::npos);

    const auto again = s.protect("web");
    CHECK_FALSE(again.changed());
    CHECK(has_code(again, diag_code::swag_already_protected));

    const auto u = s.unprotect("web");
    REQUIRE(u.changes.size() == 2);
    CHECK(u.changes[0].what == swag::change_kind::disable);
    CHECK(u.changes[0].after == "        #include /config/nginx/authentik-location.conf;");
    CHECK(u.changes[1].after == "    #include /config/nginx/authentik-server.conf;");
    CHECK(bytes_of(s, file) == web_conf);
    CHECK(s.pending_changes().empty());
    CHECK(has_code(s.unprotect("web"), diag_code::swag_not_protected_by));
}

TEST_CASE("swag: protect, save, unprotect, save gives the file back byte for byte", "[swag]") {
    temp_tree t;
    build_tree(t);
    const auto before = snapshot(t.root());
    {
        swag::session s(t.where());
        (void)s.protect("duo.subdomain");  // the kind may be spelled out
        const auto result = s.save(t.save_options());
        REQUIRE(result.written.size() == 1);
    }
    const auto protected_ = t.read("proxy-confs/duo.subdomain.conf");
    CHECK(count_lines(protected_, "    include /config/nginx/authentik-server.conf;") == 1);
    CHECK(count_lines(protected_, "\tinclude /config/nginx/authentik-server.conf;") == 1);
    CHECK(count_lines(protected_, "        include /config/nginx/authentik-location.conf;") == 1);
    CHECK(count_lines(protected_, "\t\tinclude /config/nginx/authentik-location.conf;") == 1);
    {
        swag::session s(t.where());
        const auto st = s.status();
        const auto duo = std::find_if(st.begin(), st.end(), [](const auto& a) { return a.app == "duo"; });
        REQUIRE(duo != st.end());
        CHECK(duo->protected_);
        (void)s.unprotect("duo");
        (void)s.save(t.save_options());
    }
    CHECK(snapshot(t.root()) == before);
}

TEST_CASE("swag: subfolder apps share default.conf's server-level line", "[swag]") {
    temp_tree t;
    build_tree(t);
    const auto before = snapshot(t.root());
    swag::session s(t.where());
    const fs::path dc = t / "site-confs/default.conf";

    const auto r = s.protect("alpha");
    REQUIRE(r.changes.size() == 2);
    CHECK(r.changes[0].file == dc);  // server level first
    CHECK(r.changes[0].after == "    include /config/nginx/authentik-server.conf;");
    CHECK(r.changes[1].file == t / "proxy-confs/alpha.subfolder.conf");
    CHECK(r.changes[1].after == "    include /config/nginx/authentik-location.conf;");
    // default.conf's own location (the www root) is not the app's: it stays commented.
    CHECK(count_lines(bytes_of(s, dc), "        #include /config/nginx/authentik-location.conf;") == 1);

    const auto r2 = s.protect("beta");
    REQUIRE(r2.changes.size() == 1);  // default.conf is on already
    (void)s.save(t.save_options());

    swag::session s2(t.where());
    const auto u = s2.unprotect("alpha");
    REQUIRE(u.changes.size() == 1);  // beta still needs default.conf's line
    REQUIRE(has_code(u, diag_code::swag_default_conf_kept));
    CHECK(with_code(u.notes, diag_code::swag_default_conf_kept)->where.file == dc.string());
    const auto u2 = s2.unprotect("beta");
    REQUIRE(u2.changes.size() == 2);
    CHECK(u2.changes[1].file == dc);
    CHECK(u2.changes[1].what == swag::change_kind::disable);
    (void)s2.save(t.save_options());
    CHECK(snapshot(t.root()) == before);
}

TEST_CASE("swag: another provider is refused, or replaced", "[swag]") {
    temp_tree t;
    build_tree(t);
    swag::session s(t.where());
    try {
        (void)s.protect("guarded");
        FAIL("expected other_provider_enabled");
    } catch (const swag::error& e) {
        CHECK(e.code() == diag_code::swag_other_provider_enabled);
        CHECK(e.where().begin.line != 0);  // the authelia line that is on
    }
    CHECK(s.pending_changes().empty());

    const auto r = s.protect("guarded", {.replace = true});
    std::vector<std::string> whats;
    for (const auto& c : r.changes)
        whats.push_back(std::string(swag::to_string(c.what)) + " " + c.after);
    CHECK(whats == std::vector<std::string>{
                       "disable         #include /config/nginx/authelia-location.conf;",
                       "disable     #include /config/nginx/authelia-server.conf;",
                       "enable     include /config/nginx/authentik-server.conf;",
                       "enable         include /config/nginx/authentik-location.conf;"});
    const auto st = s.status();
    const auto g = std::find_if(st.begin(), st.end(), [](const auto& a) { return a.app == "guarded"; });
    REQUIRE(g != st.end());
    CHECK(g->protected_);
    CHECK(g->server_level == std::vector<swag::provider>{swag::provider::authentik});
    CHECK(g->problems.empty());
}

TEST_CASE("swag: a conf without auth lines is refused, or gets them inserted", "[swag]") {
    temp_tree t;
    build_tree(t);
    swag::session s(t.where());
    CHECK(error_code_of([&] { (void)s.protect("plain"); }) == diag_code::swag_no_auth_lines);
    CHECK(s.pending_changes().empty());

    const auto r = s.protect("plain", {.insert = true});
    REQUIRE(r.changes.size() == 2);
    CHECK(r.changes[0].what == swag::change_kind::insert);
    CHECK(r.changes[0].before.empty());
    CHECK(r.changes[0].after == "    include /config/nginx/authentik-server.conf;");
    CHECK(r.changes[1].after == "        include /config/nginx/authentik-location.conf;");
    const auto* open = with_code(r.notes, diag_code::swag_left_open_on_purpose);
    REQUIRE(open != nullptr);
    std::vector<std::uint32_t> open_lines;  // the locations left open, by line
    for (const auto& rel : open->related) open_lines.push_back(rel.where.begin.line);
    CHECK(std::count(open_lines.begin(), open_lines.end(),
                     line_with(plain_conf, "location /metrics")) == 1);
    CHECK(std::count(open_lines.begin(), open_lines.end(),
                     line_with(plain_conf, "location ~ (/plain)?/socket")) == 1);
    const std::string now = bytes_of(s, t / "proxy-confs/plain.subdomain.conf");
    // At the top of the blocks under SWAG's comment, with the neighbours' indentation; the
    // rest untouched.
    CHECK(now.find("server {\n    # enable for Authentik (requires authentik-location.conf in the "
                   "location block)\n    include /config/nginx/authentik-server.conf;\n    listen 443 ssl;") !=
          std::string::npos);
    CHECK(now.find("    location / {\n        # enable for Authentik (requires authentik-server.conf in "
                   "the server block)\n        include /config/nginx/authentik-location.conf;\n"
                   "        include /config/nginx/proxy.conf;") != std::string::npos);
    CHECK(now.find("    location /metrics {\n        allow") != std::string::npos);
    const auto again = ngxconf::parse(now);
    CHECK(ngxconf::to_string(again) == now);

    CHECK_FALSE(s.protect("plain", {.insert = true}).changed());
    // Never into the conf serving the provider itself (a login loop).
    (void)s.generate_auth_subdomain();
    CHECK(error_code_of([&] { (void)s.protect("auth", {.insert = true}); }) ==
          diag_code::swag_no_auth_lines);
    // Unprotect in the same session takes the inserted lines out again.
    const auto u = s.unprotect("plain");
    REQUIRE(u.changes.size() == 4);  // each line and the comment protect wrote above it
    CHECK(std::all_of(u.changes.begin(), u.changes.end(),
                      [](const auto& c) { return c.what == swag::change_kind::remove; }));
    REQUIRE(s.pending_changes().size() == 1);  // the generated auth.subdomain.conf
    CHECK(s.pending_changes()[0].path == t / "proxy-confs/auth.subdomain.conf");
}

TEST_CASE("swag: insert goes after the provider's comment, else after the last auth line", "[swag]") {
    temp_tree t;
    build_tree(t);
    t.write("proxy-confs/half.subdomain.conf",
            "server {\r\n    server_name half.*;\r\n    # enable for Authentik (server)\r\n"
            "    location / {\r\n        #include /config/nginx/authelia-location.conf;\r\n"
            "        proxy_pass http://half:1;\r\n    }\r\n}\r\n");
    swag::session s(t.where());
    (void)s.protect("half", {.insert = true});
    CHECK(bytes_of(s, t / "proxy-confs/half.subdomain.conf") ==
          "server {\r\n    server_name half.*;\r\n    # enable for Authentik (server)\r\n"
          "    include /config/nginx/authentik-server.conf;\r\n"
          "    location / {\r\n        #include /config/nginx/authelia-location.conf;\r\n"
          "        # enable for Authentik (requires authentik-server.conf in the server block)\r\n"
          "        include /config/nginx/authentik-location.conf;\r\n"
          "        proxy_pass http://half:1;\r\n    }\r\n}\r\n");
}

TEST_CASE("swag: location-level lines never go on without the server-level line", "[swag]") {
    temp_tree t;
    build_tree(t);
    const std::string text =
        "server {\n    server_name lone.*;\n    location / {\n"
        "        #include /config/nginx/authentik-location.conf;\n        proxy_pass http://lone:1;\n"
        "    }\n}\n";
    t.write("proxy-confs/lone.subdomain.conf", text);
    swag::session s(t.where());
    CHECK(error_code_of([&] { (void)s.protect("lone"); }) == diag_code::swag_no_auth_lines);
    CHECK(s.pending_changes().empty());
    const auto r = s.protect("lone", {.insert = true});
    REQUIRE(r.changes.size() == 2);
    CHECK(r.changes[0].what == swag::change_kind::insert);
    CHECK(r.changes[0].after == "    include /config/nginx/authentik-server.conf;");
    CHECK(r.changes[1].what == swag::change_kind::enable);
}

TEST_CASE("swag: unknown apps get suggestions, .sample-only apps can be activated", "[swag]") {
    temp_tree t;
    build_tree(t);
    swag::session s(t.where());
    try {
        (void)s.protect("wbe");
        FAIL("expected app_not_found");
    } catch (const swag::error& e) {
        CHECK(e.code() == diag_code::swag_app_not_found);
        CHECK(std::find(e.suggestions().begin(), e.suggestions().end(), "web") != e.suggestions().end());
    }
    try {
        (void)s.protect("alph");
        FAIL("expected app_not_found");
    } catch (const swag::error& e) {
        REQUIRE_FALSE(e.suggestions().empty());
        CHECK(e.suggestions().front() == "alpha");
    }
    try {
        (void)s.protect("later");
        FAIL("expected app_not_found");
    } catch (const swag::error& e) {
        CHECK(e.code() == diag_code::swag_sample_only);
    }
    CHECK(error_code_of([&] { (void)s.unprotect("later"); }) == diag_code::swag_sample_only);
    CHECK(error_code_of([&] { (void)s.unprotect("nothing"); }) == diag_code::swag_app_not_found);
    CHECK(s.pending_changes().empty());

    const auto r = s.protect("later", {.from_sample = true});
    REQUIRE(r.changes.size() == 3);
    CHECK(r.changes[0].what == swag::change_kind::activate);
    CHECK(r.changes[0].file == t / "proxy-confs/later.subdomain.conf");
    CHECK(r.changes[1].line == line_with(web_conf, "#include /config/nginx/authentik-server.conf;"));
    const auto pending = s.pending_changes();
    REQUIRE(pending.size() == 1);
    CHECK_FALSE(pending[0].expected.has_value());
    CHECK(count_lines(pending[0].bytes, "    include /config/nginx/authentik-server.conf;") == 1);
    // The new file is an active conf from now on.
    const auto st = s.status();
    CHECK(std::any_of(st.begin(), st.end(), [](const auto& a) { return a.app == "later" && a.protected_; }));
    (void)s.save(t.save_options());
    CHECK(t.read("proxy-confs/later.subdomain.conf.sample") == web_conf);
    CHECK(fs::exists(t / "proxy-confs/later.subdomain.conf"));
}

TEST_CASE("swag: app names that could leave ROOT are refused", "[swag]") {
    temp_tree t;
    build_tree(t);
    swag::session s(t.where());
    const std::vector<std::string> names = {"",    "../etc", "../../etc/passwd", "proxy-confs/web",
                                            "a/b", "..",     "x..y",             std::string("a\0b", 3)};
    for (const auto& bad : names) {
        INFO(ngxconf::json_quote(bad));
        CHECK(error_code_of([&] { (void)s.protect(bad); }) == diag_code::swag_invalid_app_name);
        CHECK(error_code_of([&] { (void)s.unprotect(bad); }) == diag_code::swag_invalid_app_name);
    }
    CHECK(s.pending_changes().empty());
}

TEST_CASE("swag: protect refuses when the provider's files are missing", "[swag]") {
    temp_tree t;
    build_tree(t);
    fs::remove(t / "authentik-location.conf");
    t.write("authentik-location.conf.sample", authentik_location);
    swag::session s(t.where());
    try {
        (void)s.protect("web");
        FAIL("expected authentik_files_missing");
    } catch (const swag::error& e) {
        CHECK(e.code() == diag_code::swag_provider_files_missing);
        REQUIRE(e.suggestions().size() == 1);  // copy the .sample
    }
    CHECK(s.pending_changes().empty());
}

TEST_CASE("swag: basic auth is the auth_basic pair, and #uth_basic is not auth_basic", "[swag]") {
    temp_tree t;
    build_tree(t);
    t.write(".htpasswd", "alice:x\n");  // without it basic auth is a 500, and protect refuses
    const std::string typo =
        "location /blog {\n    # enable the next two lines for http auth\n    #uth_basic \"Restricted\";\n"
        "    #auth_basic_user_file /config/nginx/.htpasswd;\n\n    proxy_pass http://blog:1;\n}\n";
    t.write("proxy-confs/blog.subfolder.conf", typo);
    swag::session s(t.where());
    // Only the user-file half is there: protecting needs --insert for auth_basic.
    CHECK(error_code_of([&] { (void)s.protect("blog", {.with = swag::provider::basic}); }) ==
          diag_code::swag_no_auth_lines);
    const auto r = s.protect("blog", {.with = swag::provider::basic, .insert = true});
    REQUIRE(r.changes.size() == 2);
    CHECK(r.changes[0].after == "    auth_basic_user_file /config/nginx/.htpasswd;");
    CHECK(r.changes[1].what == swag::change_kind::insert);
    CHECK(r.changes[1].after == "    auth_basic Restricted;");
    const auto now = bytes_of(s, t / "proxy-confs/blog.subfolder.conf");
    CHECK(count_lines(now, "    #uth_basic \"Restricted\";") == 1);  // the typo is left alone

    // The web conf's real pair: both lines, no server-level line, default.conf untouched.
    const auto w = s.protect("web", {.with = swag::provider::basic});
    REQUIRE(w.changes.size() == 2);
    CHECK(w.changes[0].after == "        auth_basic \"Restricted\";");
    CHECK(w.changes[1].after == "        auth_basic_user_file /config/nginx/.htpasswd;");
    CHECK(error_code_of([&] { (void)s.protect("web"); }) == diag_code::swag_other_provider_enabled);
}

// ------------------------------------------------------------------------- switch_upstream

TEST_CASE("swag: switch_upstream sets the host everywhere and keeps the paths", "[swag]") {
    temp_tree t;
    build_tree(t);
    const fs::path file = t / "authentik-server.conf";
    swag::session s(t.where());
    const auto r = s.switch_upstream(swag::upstream_target::parse("authentik-outpost"));
    REQUIRE(r.changes.size() == 2);
    for (const auto& c : r.changes) {
        CHECK(c.what == swag::change_kind::set);
        CHECK(c.after == "    set $upstream_authentik authentik-outpost;");
        CHECK(c.before == "    set $upstream_authentik authentik-server;");
    }
    CHECK_FALSE(s.switch_upstream(swag::upstream_target::parse("authentik-outpost")).changed());

    const auto r2 = s.switch_upstream(swag::upstream_target::parse("https://outpost.example.com:9443"));
    const auto now = bytes_of(s, file);
    CHECK(count_lines(now, "    set $upstream_authentik outpost.example.com;") == 2);
    CHECK(count_lines(now, "    proxy_pass https://$upstream_authentik:9443;") == 1);
    CHECK(count_lines(now, "    proxy_pass https://$upstream_authentik:9443/outpost.goauthentik.io/auth/nginx;") == 1);
    CHECK(count_lines(now, "## Version 2024/02/02") == 1);
    CHECK(has_code(r2, diag_code::swag_remote_https_no_sni));

    // Back to the start: the bytes are what they were.
    (void)s.switch_upstream(swag::upstream_target::parse("http://authentik-server:9000"));
    CHECK(bytes_of(s, file) == authentik_server);
    CHECK(s.pending_changes().empty());

    // Options override the file's scheme/port only where given.
    auto target = swag::upstream_target::parse("10.0.0.5");
    target.port = 9443;
    (void)s.switch_upstream(target);
    CHECK(count_lines(bytes_of(s, file), "    proxy_pass http://$upstream_authentik:9443;") == 1);
    CHECK(count_lines(bytes_of(s, file), "    set $upstream_authentik 10.0.0.5;") == 2);
}

TEST_CASE("swag: a new scheme without a port takes Authentik's port for it", "[swag]") {
    temp_tree t;
    build_tree(t);
    const fs::path file = t / "authentik-server.conf";
    swag::session s(t.where());
    const auto start = s.upstream();
    REQUIRE(start);
    CHECK(start->host == "authentik-server");
    CHECK(start->scheme == "http");
    CHECK(start->port == 9000);

    (void)s.switch_upstream(swag::upstream_target::parse("https://authentik-server"));
    CHECK(count_lines(bytes_of(s, file), "    proxy_pass https://$upstream_authentik:9443;") == 1);
    CHECK(s.upstream()->port == 9443);
    // A bare host keeps the scheme and port.
    CHECK_FALSE(s.switch_upstream(swag::upstream_target::parse("authentik-server")).changed());
    auto back = swag::upstream_target::parse("authentik-server");
    back.scheme = "http";
    (void)s.switch_upstream(back);
    CHECK(bytes_of(s, file) == authentik_server);
    // A port given wins.
    (void)s.switch_upstream(swag::upstream_target::parse("https://authentik-server:8443"));
    CHECK(s.upstream()->port == 8443);
    fs::remove(file);
    swag::session none(t.where());
    CHECK_FALSE(none.upstream());
}

TEST_CASE("swag: switch_upstream to https/9443 updates the conf serving Authentik", "[swag]") {
    temp_tree t;
    build_tree(t);
    swag::session s(t.where());
    (void)s.generate_auth_subdomain();
    const fs::path auth = t / "proxy-confs/auth.subdomain.conf";

    // To an outpost: the conf serving Authentik is left alone.
    auto outpost = s.switch_upstream(swag::upstream_target::parse("https://authentik-outpost:9443"));
    for (const auto& c : outpost.changes) CHECK(c.file == t / "authentik-server.conf");
    REQUIRE(has_code(outpost, diag_code::swag_serving_other_host));
    CHECK(with_code(outpost.notes, diag_code::swag_serving_other_host)->where.file ==
          auth.string());

    auto target = swag::upstream_target::parse("authentik-server");
    target.scheme = "https";
    target.port = 9443;
    const auto r = s.switch_upstream(target);
    std::size_t in_auth = 0;
    for (const auto& c : r.changes) in_auth += c.file == auth;
    CHECK(in_auth == 4);  // proto and port, in both locations
    const auto now = bytes_of(s, auth);
    CHECK(count_lines(now, "        set $upstream_proto https;") == 2);
    CHECK(count_lines(now, "        set $upstream_port 9443;") == 2);
    CHECK(count_lines(bytes_of(s, t / "authentik-server.conf"), "    set $upstream_authentik authentik-server;") == 2);
}

TEST_CASE("swag: switch_upstream refuses bad targets and a missing authentik-server.conf", "[swag]") {
    temp_tree t;
    build_tree(t);
    swag::session s(t.where());
    swag::upstream_target bad;
    bad.host = "x; include /etc/shadow";
    CHECK(error_code_of([&] { (void)s.switch_upstream(bad); }) == diag_code::swag_invalid_target);
    bad.host = "ok";
    bad.scheme = "ftp";
    CHECK(error_code_of([&] { (void)s.switch_upstream(bad); }) == diag_code::swag_invalid_target);
    CHECK(s.pending_changes().empty());
    fs::remove(t / "authentik-server.conf");
    swag::session s2(t.where());
    CHECK(error_code_of([&] { (void)s2.switch_upstream(swag::upstream_target::parse("x")); }) ==
          diag_code::swag_provider_files_missing);
}

// ------------------------------------------------------------------------- generate

TEST_CASE("swag: generate_auth_subdomain writes SWAG's shape, once", "[swag]") {
    temp_tree t;
    build_tree(t);
    const fs::path file = t / "proxy-confs/auth.subdomain.conf";
    {
        swag::session s(t.where());
        const auto r = s.generate_auth_subdomain();
        REQUIRE(r.changes.size() == 1);
        CHECK(r.changes[0].what == swag::change_kind::create);
        CHECK(r.changes[0].line == 0);
        const auto pending = s.pending_changes();
        REQUIRE(pending.size() == 1);
        CHECK_FALSE(pending[0].expected);
        const std::string& text = pending[0].bytes;
        CHECK(text.starts_with("## Version "));
        CHECK(count_lines(text, "    server_name auth.*;") == 1);
        CHECK(count_lines(text, "    listen 443 ssl;") == 1);
        CHECK(count_lines(text, "    listen [::]:443 ssl;") == 1);
        CHECK(count_lines(text, "    include /config/nginx/ssl.conf;") == 1);
        CHECK(count_lines(text, "    client_max_body_size 0;") == 1);
        CHECK(count_lines(text, "    location / {") == 1);
        CHECK(count_lines(text, "    location ~ (/authentik)?/api {") == 1);
        CHECK(count_lines(text, "        set $upstream_app authentik-server;") == 2);
        CHECK(count_lines(text, "        set $upstream_port 9000;") == 2);
        CHECK(count_lines(text, "        set $upstream_proto http;") == 2);
        CHECK(count_lines(text, "        proxy_pass $upstream_proto://$upstream_app:$upstream_port;") == 2);
        CHECK(count_lines(text, "        include /config/nginx/resolver.conf;") == 2);
        // Re-parses to the same tree, and prints back.
        const auto doc = ngxconf::parse(text);
        CHECK(ngxconf::to_string(doc) == text);
        CHECK(ngxconf::dump_tree(doc) == ngxconf::dump_tree(*s.files().find(file)));
        const auto quic = ngxconf::find_all(doc.root(), "listen", {.recursive = true, .include_disabled = true});
        CHECK(quic.size() == 4);
        const auto servers = ngxconf::find_all(doc.root(), "server");
        REQUIRE(servers.size() == 1);
        CHECK(ngxconf::find_all(servers[0].body(), "location").size() == 2);
        // Same session, same options: nothing more to do.
        CHECK_FALSE(s.generate_auth_subdomain().changed());
        (void)s.save(t.save_options());
    }
    const auto written = t.read("proxy-confs/auth.subdomain.conf");
    {
        swag::session s(t.where());
        const auto r = s.generate_auth_subdomain();
        CHECK_FALSE(r.changed());
        CHECK(has_code(r, diag_code::swag_up_to_date));
        CHECK(s.pending_changes().empty());
        CHECK(error_code_of([&] { (void)s.generate_auth_subdomain({.port = 9443}); }) ==
              diag_code::swag_would_overwrite);
        CHECK(s.pending_changes().empty());
        const auto f = s.generate_auth_subdomain({.port = 9443, .scheme = "https", .force = true});
        CHECK(f.changed());
        const auto pending = s.pending_changes();
        REQUIRE(pending.size() == 1);
        CHECK(pending[0].expected == written);
        CHECK(count_lines(pending[0].bytes, "        set $upstream_port 9443;") == 2);
        CHECK(count_lines(pending[0].bytes, "        set $upstream_proto https;") == 2);
        (void)s.save(t.save_options());
    }
    {
        // What force wrote counts as up to date for the same options.
        swag::session s(t.where());
        CHECK_FALSE(s.generate_auth_subdomain({.port = 9443, .scheme = "https"}).changed());
        const auto other = s.generate_auth_subdomain({.subdomain = "sso", .upstream = "[fd00::9]"});
        REQUIRE(other.changes.size() == 1);
        CHECK(other.changes[0].file == t / "proxy-confs/sso.subdomain.conf");
        const auto pending = s.pending_changes();
        REQUIRE(pending.size() == 1);
        CHECK(count_lines(pending[0].bytes, "    server_name sso.*;") == 1);
        CHECK(count_lines(pending[0].bytes, "        set $upstream_app [fd00::9];") == 2);
        CHECK(error_code_of([&] { (void)s.generate_auth_subdomain({.subdomain = "a b"}); }) ==
              diag_code::swag_invalid_target);
        CHECK(error_code_of([&] { (void)s.generate_auth_subdomain({.subdomain = "../x"}); }) ==
              diag_code::swag_invalid_target);
        CHECK(error_code_of([&] { (void)s.generate_auth_subdomain({.upstream = "x;y"}); }) ==
              diag_code::swag_invalid_target);
        CHECK(error_code_of([&] { (void)s.generate_auth_subdomain({.scheme = "ftp"}); }) ==
              diag_code::swag_invalid_target);
        // server_name auth.example.com.* would never match.
        CHECK(error_code_of([&] {
                  (void)s.generate_auth_subdomain({.subdomain = "auth.example.com"});
              }) == diag_code::swag_invalid_target);
    }
}

TEST_CASE("swag: gen --subdomain authentik defers to SWAG's sample unless forced", "[swag]") {
    temp_tree t;
    build_tree(t);
    t.write("proxy-confs/authentik.subdomain.conf.sample", "server {\n}\n");
    swag::session s(t.where());
    CHECK(error_code_of([&] { (void)s.generate_auth_subdomain({.subdomain = "authentik"}); }) ==
          diag_code::swag_would_overwrite);
    CHECK(s.pending_changes().empty());
    CHECK(s.generate_auth_subdomain({.subdomain = "authentik", .force = true}).changed());
}

// ------------------------------------------------------------------------- status, doctor

TEST_CASE("swag: status leaves out _template and names a dangling symlinked conf", "[swag]") {
    temp_tree t;
    build_tree(t);
    t.write("proxy-confs/_template.subdomain.conf", web_conf);
    fs::create_symlink(t / "nowhere.conf", t / "proxy-confs/ghost.subdomain.conf");
    swag::session s(t.where());
    const auto all = s.status();
    CHECK(std::none_of(all.begin(), all.end(), [](const auto& a) { return a.app == "_template"; }));
    const auto ghost = std::find_if(all.begin(), all.end(), [](const auto& a) { return a.app == "ghost"; });
    REQUIRE(ghost != all.end());
    REQUIRE(ghost->problems.size() == 1);
    CHECK(ghost->problems[0].code == diag_code::swag_unreadable);
    CHECK(ghost->problems[0].level == ngxconf::severity::error);
    // protect names the broken link instead of suggesting the name typed.
    CHECK(error_code_of([&] { (void)s.protect("ghost"); }) == diag_code::swag_app_not_found);
    try {
        (void)s.protect("ghost");
    } catch (const swag::error& e) {
        CHECK(e.suggestions().empty());
    }
    CHECK(s.pending_changes().empty());
}

TEST_CASE("swag: natural_less sorts names as people do", "[swag]") {
    CHECK(swag::natural_less("app2", "app10"));
    CHECK(swag::natural_less("radarr", "radarr-4k"));
    CHECK_FALSE(swag::natural_less("radarr-4k", "radarr"));
    CHECK_FALSE(swag::natural_less("a", "a"));
}

TEST_CASE("swag: status lists every active conf with its providers and problems", "[swag]") {
    temp_tree t;
    build_tree(t);
    // A broken one: location-level on, server-level off; and an old version.
    t.write("proxy-confs/broken.subdomain.conf",
            "## Version 2020/01/01\nserver {\n    #include /config/nginx/authentik-server.conf;\n"
            "    location / {\n        include /config/nginx/authentik-location.conf;\n"
            "        proxy_pass http://b:1;\n    }\n}\n");
    t.write("proxy-confs/broken.subdomain.conf.sample", "## Version 2024/01/01\n");
    // Two providers, and server-level on while a location is off.
    t.write("proxy-confs/both.subdomain.conf",
            "server {\n    include /config/nginx/authentik-server.conf;\n"
            "    include /config/nginx/authelia-server.conf;\n"
            "    location / {\n        include /config/nginx/authelia-location.conf;\n"
            "        #include /config/nginx/authentik-location.conf;\n        proxy_pass http://b:1;\n"
            "    }\n}\n");
    swag::session s(t.where());
    (void)s.protect("web");
    const auto st = s.status();
    std::map<std::string, swag::app_status> by_app;
    for (const auto& a : st) by_app[a.app + (a.kind == swag::app_kind::subfolder ? "/" : "")] = a;
    CHECK(by_app.size() == 8);  // later.subdomain.conf.sample is not active

    const auto& web = by_app.at("web");
    CHECK(web.protected_);
    CHECK(web.server_level == std::vector<swag::provider>{swag::provider::authentik});
    CHECK(web.location_level == std::vector<swag::provider>{swag::provider::authentik});
    REQUIRE(web.locations.size() == 2);
    CHECK(web.locations[0].match == "/");
    CHECK(web.locations[0].has_line);
    CHECK(web.locations[0].enabled);
    CHECK(web.locations[1].match == "~ (/web)?/api");
    CHECK_FALSE(web.locations[1].has_line);
    CHECK(web.locations[1].line == line_with(web_conf, "location ~ (/web)?/api"));
    CHECK(web.problems.empty());

    const auto& broken = by_app.at("broken");
    CHECK_FALSE(broken.protected_);
    REQUIRE(broken.problems.size() == 2);
    CHECK(broken.problems[0].code == diag_code::swag_half_protected);
    CHECK(broken.problems[0].level == ngxconf::severity::error);
    CHECK(broken.problems[1].code == diag_code::swag_version_differs);
    CHECK(broken.problems[1].level == ngxconf::severity::warning);

    // Authelia protects `location /` in effect; the Authentik half state is still an error.
    const auto& both = by_app.at("both");
    CHECK(both.protected_);
    CHECK(both.server_level == std::vector<swag::provider>{swag::provider::authentik, swag::provider::authelia});
    CHECK(count_code(both.problems, diag_code::swag_two_providers) == 1);
    CHECK(count_code(both.problems, diag_code::swag_not_protected) >= 1);

    CHECK(by_app.at("guarded").location_level == std::vector<swag::provider>{swag::provider::authelia});
    CHECK(by_app.at("plain").problems.empty());
    CHECK(by_app.at("alpha/").kind == swag::app_kind::subfolder);
    CHECK_FALSE(by_app.at("alpha/").protected_);
    CHECK(by_app.at("alpha/").server_level.empty());
}

TEST_CASE("swag: doctor reports files, upstream, includes and app problems", "[swag]") {
    temp_tree t;
    build_tree(t);
    t.write("proxy-confs/lost.subdomain.conf",
            "server {\n    include /config/nginx/missing.conf;\n    include /etc/nginx/mime.types;\n}\n");
    swag::session s(t.where());
    const auto f = s.doctor();
    using ngxconf::severity;
    REQUIRE(count_code(f, diag_code::swag_file_present) == 2);
    CHECK(with_code(f, diag_code::swag_file_present)->level == severity::ok);
    CHECK(with_code(f, diag_code::swag_file_present)->where.file ==
          (t / "authentik-server.conf").string());
    REQUIRE(with_code(f, diag_code::swag_upstream_host) != nullptr);
    REQUIRE(with_code(f, diag_code::swag_plain_http_upstream) != nullptr);
    CHECK(with_code(f, diag_code::swag_plain_http_upstream)->level == severity::warning);
    // Only missing.conf: /etc/nginx/mime.types is outside /config/nginx, not checkable here.
    REQUIRE(count_code(f, diag_code::swag_include_unresolved) == 1);
    const auto* missing = with_code(f, diag_code::swag_include_unresolved);
    CHECK(missing->level == severity::error);
    CHECK(missing->where.file == (t / "proxy-confs/lost.subdomain.conf").string());
    CHECK(missing->where.begin.line == 2);
    CHECK(with_code(f, diag_code::swag_no_serving_conf) != nullptr);
    CHECK(with_code(f, diag_code::swag_no_serving_conf)->level == severity::info);

    // Disagreeing set lines, a remote https upstream without SNI and Host.
    t.write("authentik-server.conf",
            "location ^~ /outpost.goauthentik.io {\n    set $upstream_authentik a.example.com;\n"
            "    proxy_pass https://$upstream_authentik:9443;\n}\n"
            "location = /x {\n    set $upstream_authentik b;\n    proxy_pass https://$upstream_authentik:9443/x;\n"
            "    proxy_ssl_server_name on;\n    proxy_set_header Host b;\n}\n");
    swag::session s2(t.where());
    const auto g = s2.doctor();
    REQUIRE(with_code(g, diag_code::swag_upstream_hosts_disagree) != nullptr);
    CHECK(with_code(g, diag_code::swag_upstream_hosts_disagree)->level == severity::warning);
    REQUIRE(count_code(g, diag_code::swag_remote_https_no_sni) == 1);  // b has both
    CHECK(with_code(g, diag_code::swag_remote_https_no_sni)->where.begin.line == 1);
    CHECK(with_code(g, diag_code::swag_plain_http_upstream) == nullptr);
}

// ------------------------------------------------------------------------- the real samples

namespace {

fs::path corpus_swag() { return test::corpus_dir() / "swag"; }

bool corpus_present() {
    if (fs::is_directory(corpus_swag() / "proxy-confs")) return true;
    std::cout << "swag corpus tests skipped: " << corpus_swag() << " is missing\n";
    return false;
}

// ROOT as a user has it: the nginx defaults and every proxy-conf activated (.sample dropped),
// the .sample files kept beside them.
void corpus_tree(const temp_tree& t, bool activate_all = true) {
    const fs::path c = corpus_swag();
    for (const auto& e : fs::recursive_directory_iterator(c / "nginx")) {
        if (!e.is_regular_file()) continue;
        fs::path rel = e.path().lexically_relative(c / "nginx");
        fs::create_directories((t.root() / rel).parent_path());
        fs::copy_file(e.path(), t.root() / rel, fs::copy_options::overwrite_existing);
        fs::copy_file(e.path(), t.root() / rel.replace_extension(), fs::copy_options::overwrite_existing);
    }
    for (const auto& e : fs::directory_iterator(c / "proxy-confs")) {
        const auto name = e.path().filename();
        fs::copy_file(e.path(), t.root() / "proxy-confs" / name, fs::copy_options::overwrite_existing);
        if (activate_all) {
            fs::copy_file(e.path(), t.root() / "proxy-confs" / fs::path(name).replace_extension(),
                          fs::copy_options::overwrite_existing);
        }
    }
}

std::vector<fs::path> active_confs(const temp_tree& t) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(t.root() / "proxy-confs")) {
        if (e.path().extension() == ".conf") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Every enabled `include` of `path` directly in a block of that name.
std::size_t enabled_includes(const ngxconf::document& doc, std::string_view block_name, std::string_view path) {
    std::size_t n = 0;
    for (const auto& b : ngxconf::find_all(doc.root(), block_name, {.recursive = true})) {
        if (!b.body()) continue;
        for (const auto& inc : ngxconf::find_all(b.body(), "include")) n += inc.arg(0) == path;
    }
    return n;
}

}  // namespace

TEST_CASE("swag corpus: protect + unprotect of every shipped proxy-conf is byte-exact", "[swag][corpus][.]") {
    if (!corpus_present()) return;
    temp_tree t;
    corpus_tree(t);
    std::size_t with_lines = 0, without = 0, without_sub = 0, without_folder = 0, locations_on = 0;
    std::size_t servers_on = 0;
    std::vector<std::string> refused;
    for (const auto& conf : active_confs(t)) {
        const std::string name = conf.filename().string();
        INFO(name);
        const std::string original = test::read_file(conf);
        swag::session s(t.where());
        swag::report r;
        try {
            // The file name spells the kind: protect exactly this conf.
            r = s.protect(name);
        } catch (const swag::error& e) {
            REQUIRE(e.code() == diag_code::swag_no_auth_lines);
            ++without;
            (name.find(".subdomain.") != std::string::npos ? without_sub : without_folder) += 1;
            refused.push_back(name);
            CHECK(s.pending_changes().empty());
            continue;
        }
        ++with_lines;
        REQUIRE(r.changed());
        const auto* doc = s.files().find(conf);
        REQUIRE(doc != nullptr);
        const bool subdomain = name.find(".subdomain.") != std::string::npos;
        // Every server block's commented server-level line is on, and every location that had
        // the location-level line has it on; nothing else moved.
        const auto servers = ngxconf::find_all(doc->root(), "server");
        if (subdomain) {
            const auto on = enabled_includes(*doc, "server", "/config/nginx/authentik-server.conf");
            CHECK(on == servers.size());
            servers_on += on;
        }
        const auto on = enabled_includes(*doc, "location", "/config/nginx/authentik-location.conf");
        CHECK(on > 0);
        locations_on += on;
        const auto back = ngxconf::parse(std::string(doc->source()));
        for (const auto& loc : ngxconf::find_all(back.root(), "location", {.recursive = true})) {
            const auto lines = ngxconf::find_all(loc.body(), "include", {.include_disabled = true});
            const bool carries = std::any_of(lines.begin(), lines.end(), [](const ngxconf::const_directive& d) {
                return d.arg(0) == "/config/nginx/authentik-location.conf";
            });
            if (carries) continue;
            // A location without the line (API, well-known, ...) is byte for byte what it was.
            const auto now = ngxconf::to_string(*doc);
            CHECK(now.find(loc.text()) != std::string::npos);
        }
        // One '#' less per change of this file, nothing else.
        const auto in_file = std::count_if(r.changes.begin(), r.changes.end(),
                                           [&](const swag::change& c) { return c.file == conf; });
        CHECK(ngxconf::to_string(*doc).size() + static_cast<std::size_t>(in_file) == original.size());
        const auto u = s.unprotect(name);
        CHECK(u.changes.size() == r.changes.size());
        if (!s.pending_changes().empty()) {
            FAIL_CHECK(name << " not restored:\n" << s.diff());
        }
    }
    std::cout << "swag corpus: " << with_lines << " proxy-confs protected and restored byte for byte ("
              << locations_on << " locations, " << servers_on << " server blocks), " << without
              << " without authentik lines (" << without_sub << " subdomain, " << without_folder
              << " subfolder):";
    for (const auto& n : refused) std::cout << ' ' << n;
    std::cout << '\n';
    CHECK(with_lines == 358);
    CHECK(without == 13);
    CHECK(without_sub == 7);
    CHECK(without_folder == 6);
    CHECK(locations_on == 378);
    CHECK(servers_on == 257);
}

TEST_CASE("swag corpus: kasm, openvscode-server and radarr through save and back", "[swag][corpus][.]") {
    if (!corpus_present()) return;
    temp_tree t;
    corpus_tree(t);
    const auto before = snapshot(t.root());
    {
        swag::session s(t.where());
        (void)s.protect("kasm");
        (void)s.protect("openvscode-server");
        const auto r = s.protect("radarr");  // subdomain and subfolder both active
        CHECK(has_code(r, diag_code::swag_left_open_on_purpose));
        (void)s.save(t.save_options());
    }
    const auto kasm = t.read("proxy-confs/kasm.subdomain.conf");
    CHECK(count_lines(kasm, "    include /config/nginx/authentik-server.conf;") == 2);
    CHECK(count_lines(kasm, "        include /config/nginx/authentik-location.conf;") == 2);
    const auto vscode = t.read("proxy-confs/openvscode-server.subdomain.conf");
    CHECK(count_lines(vscode, "    include /config/nginx/authentik-server.conf;") == 3);
    CHECK(count_lines(vscode, "        include /config/nginx/authentik-location.conf;") == 3);
    const auto radarr = t.read("proxy-confs/radarr.subdomain.conf");
    const auto api = radarr.substr(radarr.find("location ~ (/radarr)?/api"));
    CHECK(api.find("authentik") == std::string::npos);
    CHECK(count_lines(t.read("site-confs/default.conf"), "    include /config/nginx/authentik-server.conf;") == 1);
    CHECK(count_lines(t.read("proxy-confs/radarr.subfolder.conf"), "    include /config/nginx/authentik-location.conf;") == 1);
    {
        swag::session s(t.where());
        const auto st = s.status();
        std::size_t protected_apps = 0;
        for (const auto& a : st) {
            protected_apps += a.protected_;
            CHECK(a.problems.empty());
        }
        CHECK(protected_apps == 4);
        (void)s.unprotect("kasm");
        (void)s.unprotect("openvscode-server");
        (void)s.unprotect("radarr");
        (void)s.save(t.save_options());
    }
    CHECK(snapshot(t.root()) == before);
}

TEST_CASE("swag corpus: confs without auth lines take inserted ones", "[swag][corpus][.]") {
    if (!corpus_present()) return;
    temp_tree t;
    corpus_tree(t);
    std::size_t inserted_confs = 0, no_target = 0;
    for (const auto& conf : active_confs(t)) {
        const std::string name = conf.filename().string();
        swag::session s(t.where());
        try {
            (void)s.protect(name);
            continue;  // has the lines
        } catch (const swag::error&) {
        }
        INFO(name);
        try {
            const auto r = s.protect(name, {.insert = true});
            ++inserted_confs;
            std::cout << "swag corpus: --insert " << name << ":";
            for (const auto& c : r.changes) std::cout << " " << c.file.filename().string() << ":" << c.line;
            std::cout << "\n";
            // The result parses; its status says protected; unprotect takes it all out again.
            for (const auto& p : s.pending_changes()) (void)ngxconf::parse(p.bytes);
            const auto st = s.status();
            const auto it = std::find_if(st.begin(), st.end(), [&](const auto& a) { return a.file == conf; });
            REQUIRE(it != st.end());
            CHECK(it->protected_);
            CHECK(it->problems.empty());
            (void)s.unprotect(name);
            CHECK(s.pending_changes().empty());
        } catch (const swag::error& e) {
            CHECK(e.code() == diag_code::swag_no_auth_lines);
            std::cout << "swag corpus: --insert " << name << " refused: " << e.what() << "\n";
            ++no_target;
        }
    }
    CHECK(inserted_confs + no_target == 13);
    CHECK(no_target == 2);  // dnsdist (DNS-over-HTTPS only) and authentik.subdomain.conf itself
}

TEST_CASE("swag corpus: switch_upstream on every authentik-server.conf release", "[swag][corpus][.]") {
    if (!corpus_present()) return;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(corpus_swag() / "history")) {
        if (e.path().filename().string().ends_with("authentik-server.conf.sample")) files.push_back(e.path());
    }
    files.push_back(corpus_swag() / "nginx/authentik-server.conf.sample");
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() == 5);
    for (const auto& f : files) {
        INFO(f.filename().string());
        temp_tree t;
        corpus_tree(t, false);
        const std::string original = test::read_file(f);
        t.write("authentik-server.conf", original);
        // What every proxy_pass line should become: scheme/port changed, path kept.
        std::vector<std::string> want;
        const auto doc = ngxconf::parse(original);
        for (const auto& pp : ngxconf::find_all(doc.root(), "proxy_pass", {.recursive = true})) {
            std::string arg = pp.arg(0);
            const std::string from = "http://$upstream_authentik:9000";
            REQUIRE(arg.starts_with(from));
            want.push_back("https://$upstream_authentik:9443" + arg.substr(from.size()));
        }
        REQUIRE(want.size() == 2);
        swag::session s(t.where());
        const auto r = s.switch_upstream(swag::upstream_target::parse("https://authentik-outpost:9443"));
        CHECK(r.changes.size() == 4);  // two set lines, two proxy_pass lines
        const auto now = ngxconf::parse(bytes_of(s, t / "authentik-server.conf"));
        std::vector<std::string> got;
        for (const auto& pp : ngxconf::find_all(now.root(), "proxy_pass", {.recursive = true})) got.push_back(pp.arg(0));
        CHECK(got == want);
        for (const auto& set : ngxconf::find_all(now.root(), "set", {.recursive = true})) {
            if (set.arg(0) == "$upstream_authentik") CHECK(set.arg(1) == "authentik-outpost");
        }
        CHECK(ngxconf::to_string(now).substr(0, 20) == original.substr(0, 20));  // ## Version kept
        (void)s.switch_upstream(swag::upstream_target::parse("http://authentik-server:9000"));
        CHECK(s.pending_changes().empty());
    }
}

TEST_CASE("swag corpus: #uth_basic in ghost.subfolder.conf is not basic auth", "[swag][corpus][.]") {
    if (!corpus_present()) return;
    temp_tree t;
    corpus_tree(t);
    t.write(".htpasswd", "alice:x\n");
    swag::session s(t.where());
    CHECK(error_code_of([&] {
              (void)s.protect("ghost.subfolder", {.with = swag::provider::basic});
          }) == diag_code::swag_no_auth_lines);
    const auto r = s.protect("ghost.subfolder", {.with = swag::provider::basic, .insert = true});
    REQUIRE(r.changes.size() == 2);
    CHECK(r.changes[0].after == "    auth_basic_user_file /config/nginx/.htpasswd;");
    CHECK(r.changes[1].after == "    auth_basic Restricted;");
    CHECK(count_lines(bytes_of(s, t / "proxy-confs/ghost.subfolder.conf"), "    #uth_basic \"Restricted\";") == 1);
    // radarr's real pair is found and enabled as is.
    const auto rr = s.protect("radarr.subdomain", {.with = swag::provider::basic});
    REQUIRE(rr.changes.size() == 2);
    CHECK(rr.changes[0].after == "        auth_basic \"Restricted\";");
}

TEST_CASE("swag corpus: status and doctor on the whole tree", "[swag][corpus][.]") {
    if (!corpus_present()) return;
    temp_tree t;
    corpus_tree(t);
    swag::session s(t.where());
    const auto st = s.status();
    CHECK(st.size() == 369);  // 371 confs, SWAG's two _template confs are no app
    std::size_t problems = 0, carrying = 0;
    for (const auto& a : st) {
        problems += a.problems.size();
        CHECK_FALSE(a.protected_);
        for (const auto& l : a.locations) carrying += l.has_line;
    }
    CHECK(problems == 0);
    CHECK(carrying == 376);  // without the _template confs' two
    const auto f = s.doctor();
    std::size_t errors = 0;
    for (const auto& x : f) {
        if (x.level == ngxconf::severity::error) {
            ++errors;
            std::cout << "swag corpus doctor: " << x.message << "\n";
        }
    }
    CHECK(errors == 0);
    CHECK(with_code(f, diag_code::swag_plain_http_upstream) != nullptr);
    CHECK(s.pending_changes().empty());
}
