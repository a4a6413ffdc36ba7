// The model behind protect and status: each location's verdict as nginx applies auth to it,
// on copies of fixtures/swag damaged the ways people damage them by hand. Every refusal must
// leave the files as they were; every "protected" must be a working login (the served
// end-to-end test checks the same against the real nginx).
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <ngxconf/swag/swag.hpp>

#include "swag_tree.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace swag = ngxconf::swag;
using ngxconf::diag_code;
using swag::location_verdict;

namespace {

// A copy of fixtures/swag, with the edits people make by hand.
class fixture_copy : public test::swag_tree {
public:
    fixture_copy() : swag_tree(from::fixtures) {}
    // Replaces every old_text of a file by new_text; there must be one.
    void edit(const std::string& rel, const std::string& old_text, const std::string& new_text) const {
        std::string text = read(rel);
        std::size_t pos = text.find(old_text);
        REQUIRE(pos != std::string::npos);
        for (; pos != std::string::npos; pos = text.find(old_text, pos + new_text.size())) {
            text.replace(pos, old_text.size(), new_text);
        }
        write(rel, text);
    }
    // Deletes every line holding `needle`; there must be one.
    void drop_line(const std::string& rel, const std::string& needle) const {
        const std::string text = read(rel);
        std::string out;
        bool dropped = false;
        for (std::size_t pos = 0; pos < text.size();) {
            std::size_t end = text.find('\n', pos);
            end = end == std::string::npos ? text.size() : end + 1;
            const std::string_view line(text.data() + pos, end - pos);
            if (line.find(needle) != std::string_view::npos) {
                dropped = true;
            } else {
                out.append(line);
            }
            pos = end;
        }
        REQUIRE(dropped);
        write(rel, out);
    }
    // Puts `text` before the file's last `}` (inside its last top-level block).
    void before_last_brace(const std::string& rel, const std::string& text) const {
        std::string all = read(rel);
        const auto pos = all.rfind('}');
        REQUIRE(pos != std::string::npos);
        all.insert(pos, text);
        write(rel, all);
    }
    // Every file's bytes, to show a refusal wrote nothing.
    [[nodiscard]] std::map<std::string, std::string> snapshot() const {
        std::map<std::string, std::string> out;
        for (const auto& e : fs::recursive_directory_iterator(root())) {
            if (e.is_regular_file()) out[e.path().string()] = test::read_file(e.path());
        }
        return out;
    }
};

const std::string dockge = "proxy-confs/dockge.subdomain.conf";
const std::string location_line = "include /config/nginx/authentik-location.conf;";
const std::string server_line = "include /config/nginx/authentik-server.conf;";

swag::app_status status_of(const fixture_copy& t, const std::string& app) {
    swag::session s(t.where());
    for (auto& a : s.status()) {
        if (a.app == app) return a;
    }
    FAIL("no status for " << app);
    return {};
}

const swag::location_state& location(const swag::app_status& a, const std::string& match) {
    const auto it = std::find_if(a.locations.begin(), a.locations.end(),
                                 [&](const swag::location_state& l) { return l.match == match; });
    REQUIRE(it != a.locations.end());
    return *it;
}

bool has_problem(const swag::app_status& a, diag_code code) {
    return std::any_of(a.problems.begin(), a.problems.end(), [&](const ngxconf::diagnostic& d) {
        return d.code == code && d.level == ngxconf::severity::error;
    });
}

// protect must refuse with `code` and leave every file as it was.
void refuses(const fixture_copy& t, const std::string& app, diag_code code, bool insert = false) {
    const auto before = t.snapshot();
    swag::session s(t.where());
    swag::protect_options o;
    o.insert = insert;
    try {
        (void)s.protect(app, o);
        FAIL("protect " << app << " did not refuse");
    } catch (const swag::error& e) {
        CHECK(e.code() == code);
    }
    CHECK(s.pending_changes().empty());
    CHECK(t.snapshot() == before);
}

void protect_and_save(const fixture_copy& t, const std::string& app, bool insert = false) {
    swag::session s(t.where());
    swag::protect_options o;
    o.insert = insert;
    (void)s.protect(app, o);
    (void)s.save(t.save_options());
}

}  // namespace

TEST_CASE("model: verdicts of the pristine fixture tree", "[swag][model]") {
    fixture_copy t;
    const auto d = status_of(t, "dockge");
    CHECK_FALSE(d.protected_);
    CHECK(location(d, "/").verdict == location_verdict::open);
    CHECK(location(d, "/").reason == diag_code::swag_location_open);
    CHECK(d.problems.empty());  // no auth on at all: not protected, no problem

    const auto b = status_of(t, "bookstack");  // the fixture has Authelia on
    CHECK(b.protected_);
    CHECK(location(b, "/").verdict == location_verdict::protected_);
    CHECK(location(b, "/").by == swag::provider::authelia);

    protect_and_save(t, "radarr");
    const auto r = status_of(t, "radarr");
    CHECK(r.protected_);
    CHECK(location(r, "/").verdict == location_verdict::protected_);
    CHECK(location(r, "/").by == swag::provider::authentik);
    CHECK(location(r, "~ (/radarr)?/api").verdict == location_verdict::open_on_purpose);
    CHECK(location(r, "~ (/radarr)?/api").reason == diag_code::swag_left_open_on_purpose);
}

TEST_CASE("model: a subfolder app's main location is its first prefix that passes requests on",
          "[swag][model]") {
    fixture_copy t;
    protect_and_save(t, "sonarr");
    const auto s = status_of(t, "sonarr");
    CHECK(s.protected_);
    CHECK(location(s, "^~ /sonarr/").verdict == location_verdict::protected_);
    CHECK(location(s, "/sonarr").verdict == location_verdict::open_on_purpose);  // a redirect
    CHECK_FALSE(location(s, "/sonarr").passes);
    CHECK(location(s, "^~ /sonarr/api").verdict == location_verdict::open_on_purpose);
}

TEST_CASE("model: protect refuses where enabling the lines would leave a location open",
          "[swag][model]") {
    SECTION("the location-level line deleted") {
        fixture_copy t;
        t.drop_line(dockge, "#" + location_line);
        refuses(t, "dockge", diag_code::swag_location_open);
        protect_and_save(t, "dockge", true);
        const auto d = status_of(t, "dockge");
        CHECK(d.protected_);
        CHECK(location(d, "/").verdict == location_verdict::protected_);
    }
    SECTION("the line written ##include") {
        fixture_copy t;
        t.edit(dockge, "#" + location_line, "##" + location_line);
        refuses(t, "dockge", diag_code::swag_location_open);
        protect_and_save(t, "dockge", true);
        CHECK(status_of(t, "dockge").protected_);
    }
    SECTION("the line only in a second location") {
        fixture_copy t;
        t.drop_line(dockge, "#" + location_line);
        t.before_last_brace(dockge, "    location ^~ /extra {\n        #" + location_line +
                                        "\n        proxy_pass http://127.0.0.1:9;\n    }\n");
        refuses(t, "dockge", diag_code::swag_location_open);
        protect_and_save(t, "dockge", true);
        const auto d = status_of(t, "dockge");
        CHECK(d.protected_);
        CHECK(location(d, "/").verdict == location_verdict::protected_);
        CHECK(location(d, "^~ /extra").verdict == location_verdict::protected_);
    }
}

TEST_CASE("model: half states as nginx runs them", "[swag][model]") {
    SECTION("location-level on, server-level off: the app answers its own auth check") {
        fixture_copy t;
        t.edit(dockge, "#" + location_line, location_line);
        const auto d = status_of(t, "dockge");
        CHECK_FALSE(d.protected_);
        CHECK(location(d, "/").verdict == location_verdict::open);
        CHECK(location(d, "/").reason == diag_code::swag_auth_endpoint_missing);
        CHECK(has_problem(d, diag_code::swag_half_protected));
        swag::session s(t.where());
        const auto findings = s.doctor();
        CHECK(std::any_of(findings.begin(), findings.end(), [](const ngxconf::diagnostic& f) {
            return f.code == diag_code::swag_half_protected && f.level == ngxconf::severity::error;
        }));
    }
    SECTION("server-level on, location-level off") {
        fixture_copy t;
        t.edit(dockge, "#" + server_line, server_line);
        const auto d = status_of(t, "dockge");
        CHECK_FALSE(d.protected_);
        CHECK(location(d, "/").verdict == location_verdict::open);
        CHECK(has_problem(d, diag_code::swag_not_protected));
    }
    SECTION("the server-level line in another server block") {
        fixture_copy t;
        t.edit(dockge, "#" + location_line, location_line);
        t.write(dockge, t.read(dockge) + "\nserver {\n    listen 8443 ssl;\n    server_name other.*;\n    " +
                            server_line + "\n}\n");
        const auto d = status_of(t, "dockge");
        CHECK_FALSE(d.protected_);
        CHECK(location(d, "/").reason == diag_code::swag_auth_endpoint_missing);
    }
    SECTION("the named sign-in location missing: a 500 at run time") {
        fixture_copy t;
        t.edit("authentik-server.conf", "location @goauthentik_proxy_signin", "location @renamed_signin");
        refuses(t, "dockge", diag_code::swag_provider_file_invalid);
        t.edit(dockge, "#" + location_line, location_line);
        t.edit(dockge, "#" + server_line, server_line);
        const auto d = status_of(t, "dockge");
        CHECK(location(d, "/").verdict == location_verdict::broken);
        CHECK(location(d, "/").reason == diag_code::swag_signin_missing);
        CHECK(has_problem(d, diag_code::swag_signin_missing));
    }
}

TEST_CASE("model: protect refuses broken provider files, nothing written", "[swag][model]") {
    SECTION("authentik-server.conf does not parse") {
        fixture_copy t;
        t.write("authentik-server.conf", t.read("authentik-server.conf") + "location {\n");
        refuses(t, "dockge", diag_code::swag_provider_file_invalid);
    }
    SECTION("authentik-server.conf lacks the outpost locations") {
        fixture_copy t;
        t.edit("authentik-server.conf", "/outpost.goauthentik.io", "/elsewhere");
        refuses(t, "dockge", diag_code::swag_provider_file_invalid);
    }
    SECTION("authentik-location.conf has no auth_request") {
        fixture_copy t;
        t.drop_line("authentik-location.conf", "auth_request /");
        refuses(t, "dockge", diag_code::swag_provider_file_invalid);
    }
}

TEST_CASE("model: basic auth as nginx applies it", "[swag][model]") {
    const std::string sonarr = "proxy-confs/sonarr.subfolder.conf";
    fixture_copy t;
    t.edit(sonarr, "#auth_basic \"Restricted\";", "auth_basic \"Restricted\";");
    CHECK(location(status_of(t, "sonarr"), "^~ /sonarr/").reason == diag_code::swag_basic_auth_half);
    CHECK(location(status_of(t, "sonarr"), "^~ /sonarr/").verdict == location_verdict::open);
    t.edit(sonarr, "#auth_basic_user_file", "auth_basic_user_file");
    const auto missing = status_of(t, "sonarr");
    CHECK(location(missing, "^~ /sonarr/").verdict == location_verdict::broken);
    CHECK(location(missing, "^~ /sonarr/").reason == diag_code::swag_user_file_missing);
    t.write(".htpasswd", "alice:$apr1$x$y\n");
    const auto ok = status_of(t, "sonarr");
    CHECK(location(ok, "^~ /sonarr/").verdict == location_verdict::protected_);
    CHECK(location(ok, "^~ /sonarr/").by == swag::provider::basic);
    CHECK(ok.protected_);
}
