// Labels -> desired conf: every refusal by code, label and value; injection attempts never
// reach a desired conf.
#include <catch2/catch.hpp>

#include "docker/labels.hpp"
#include "swag_container.hpp"

namespace {

using namespace ngxauth::docker;
using ngxconf::diag_code;

container labelled(std::map<std::string, std::string> labels, std::string name = "app") {
    return test::swag_enabled(std::move(name), std::move(labels));
}

desired_conf accepted(const container& c, const label_options& o = {}) {
    auto r = desired_from_labels(c, o);
    if (const auto* ref = std::get_if<refusal>(&r)) FAIL("refused: " << ref->message);
    return std::get<desired_conf>(r);
}

refusal refused(const container& c, const label_options& o = {}) {
    auto r = desired_from_labels(c, o);
    REQUIRE(std::holds_alternative<refusal>(r));
    return std::get<refusal>(r);
}

void require_refused(std::string label, std::string value, diag_code code = diag_code::sync_label_invalid) {
    CAPTURE(label, value);
    const auto r = refused(labelled({{label, value}}));
    CHECK(r.code == code);
    CHECK(r.container == "app");
    CHECK(r.label == label);
    CHECK(r.value == value);
}

}  // namespace

TEST_CASE("defaults: the container's name, its single exposed port", "[sync][labels]") {
    auto c = labelled({});
    c.exposed_tcp_ports = {8080};
    const auto d = accepted(c);
    CHECK(d.container == "app");
    CHECK(d.server_names == std::vector<std::string>{"app.*"});
    CHECK(d.address == "app");
    CHECK(d.port == 8080);
    CHECK_FALSE(d.proto);
    CHECK_FALSE(d.auth);
    CHECK(d.bypass.empty());
}

TEST_CASE("every label read", "[sync][labels]") {
    const auto d = accepted(labelled({{"swag_url", "app.example.com,*.app.example.org"},
                                      {"swag_port", "8443"},
                                      {"swag_proto", "https"},
                                      {"swag_address", "10.0.0.5"},
                                      {"swag_auth", "http"},
                                      {"swag_auth_bypass", "/api,/x/y.json"},
                                      {"swag_preset_conf", "radarr"}}));
    CHECK(d.server_names == std::vector<std::string>{"app.example.com", "*.app.example.org"});
    CHECK(d.port == 8443);
    CHECK(d.proto == "https");
    CHECK(d.address == "10.0.0.5");
    CHECK(d.auth == ngxconf::swag::provider::basic);
    CHECK(d.bypass == std::vector<std::string>{"/api", "/x/y.json"});
    CHECK(d.preset == "radarr");
}

TEST_CASE("providers by swag-auto-proxy's names", "[sync][labels]") {
    using ngxconf::swag::provider;
    const std::pair<const char*, provider> names[] = {{"authentik", provider::authentik},
                                                       {"authelia", provider::authelia},
                                                       {"tinyauth", provider::tinyauth},
                                                       {"ldap", provider::ldap},
                                                       {"http", provider::basic}};
    for (const auto& [name, p] : names) CHECK(accepted(labelled({{"swag_auth", name}})).auth == p);
    require_refused("swag_auth", "oauth2");
    require_refused("swag_auth", "authentik;");
}

TEST_CASE("an IPv6 address is bracketed for the URL", "[sync][labels]") {
    CHECK(accepted(labelled({{"swag_address", "fd00::5"}})).address == "[fd00::5]");
    CHECK(accepted(labelled({{"swag_address", "[fd00::5]"}})).address == "[fd00::5]");
    CHECK(accepted(labelled({{"swag_address", "my_app.lan"}})).address == "my_app.lan");
}

TEST_CASE("ports: digits only, 1-65535", "[sync][labels]") {
    for (const char* bad : {"80;evil", "0", "65536", "+80", " 80", "80 ", "-1", "8o", "", "0x50",
                            "80\n", "999999"}) {
        require_refused("swag_port", bad);
    }
    CHECK(accepted(labelled({{"swag_port", "1"}})).port == 1);
    CHECK(accepted(labelled({{"swag_port", "65535"}})).port == 65535);
}

TEST_CASE("proto: http or https only", "[sync][labels]") {
    for (const char* bad : {"gopher", "HTTP", "https;", "http ", "", "grpc"}) require_refused("swag_proto", bad);
}

TEST_CASE("hosts: RFC 1123 names and inet_pton addresses", "[sync][labels]") {
    for (const char* bad : {"my app", "app;evil", "app\nevil", "app{", "-app", "app-", "a..b", "",
                            "\"app\"", "'app'", "$host", "app:80", "http://app", "1.2.3.4/24",
                            "[app]", "app}", "a/b"}) {
        require_refused("swag_address", bad);
    }
    CHECK(valid_host("app"));
    CHECK(valid_host("authentik_server-1"));
    CHECK(valid_host("192.168.1.10"));
    CHECK(valid_host("::1"));
    CHECK(valid_host("[fe80::1]"));
    CHECK_FALSE(valid_host(std::string(64, 'a')));
    CHECK(valid_host(std::string(63, 'a')));
}

TEST_CASE("swag_url: server_name tokens, nothing else", "[sync][labels]") {
    for (const char* bad : {"a b", "app.example.com;", "app.example.com; include /etc/shadow",
                            "app{", "app}", "\"app\"", "'app'", "$host", "~^app", "app\nx", "a,,b",
                            ",", "app.*.com", "*", "app.example.com/"}) {
        require_refused("swag_url", bad);
    }
    CHECK(valid_server_name("app.*"));
    CHECK(valid_server_name("*.example.com"));
    CHECK(valid_server_name(".example.com"));
    CHECK(valid_server_name("app.example.com"));
}

TEST_CASE("bypass paths: plain paths", "[sync][labels]") {
    for (const char* bad : {"api", "/api;", "/a b", "/api{", "/../etc", "/a/..", "//x", "/$x",
                            "/a\"", "/a'", "/a\n", "/api,", "/x\\y", "/a?b", "/a#b"}) {
        require_refused("swag_auth_bypass", bad);
    }
    CHECK(valid_bypass_path("/api/v1"));
    CHECK(valid_bypass_path("/.well-known"));
}

TEST_CASE("preset: a sample's name", "[sync][labels]") {
    for (const char* bad : {"../etc", "radarr.subdomain", "a b", "", "x;"}) require_refused("swag_preset_conf", bad);
}

TEST_CASE("the container's name must name a conf", "[sync][labels]") {
    for (const char* bad : {"my.app", "-app", "app name"}) {
        const auto r = refused(labelled({}, bad));
        CHECK(r.code == diag_code::sync_label_invalid);
        CHECK(r.label == "name");
    }
}

TEST_CASE("custom directives: refused without --allow-directives", "[sync][labels]") {
    require_refused("swag_server_custom_directive", "add_header X-A 1;", diag_code::sync_directives_refused);
    require_refused("swag_location_custom_directive", "proxy_buffering off;",
                    diag_code::sync_directives_refused);
}

TEST_CASE("custom directives: allowed in their context only, simple ones", "[sync][labels]") {
    label_options o;
    o.allow_directives = true;
    const auto d = accepted(labelled({{"swag_server_custom_directive", "add_header X-A \"a b\"; client_max_body_size 10m;"},
                                      {"swag_location_custom_directive", "proxy_buffering off;"}}),
                            o);
    REQUIRE(d.server_directives.size() == 2);
    CHECK(d.server_directives[0].name == "add_header");
    CHECK(d.server_directives[0].args == std::vector<std::string>{"X-A", "a b"});
    REQUIRE(d.location_directives.size() == 1);
    CHECK(d.location_directives[0].name == "proxy_buffering");
    for (const char* bad : {"add_header X 1", "worker_processes 4;", "location /x { return 200; }",
                            "}", "{", "nosuchdirective on;", "add_header X 1; }", "", "# only a comment",
                            "listen", "include /etc/shadow;", "add_header X 1; include /x.conf;",
                            "access_by_lua_block { ngx.exit(200) }", "set_by_lua $x 'return 1';",
                            "rewrite_by_lua_file /tmp/x.lua;", "js_import x.js;", "perl_modules /x;"}) {
        CAPTURE(bad);
        const auto r = refused(labelled({{"swag_server_custom_directive", bad}}), o);
        CHECK(r.code == diag_code::sync_directives_refused);
        CHECK(r.label == "swag_server_custom_directive");
    }
    // `server_name` belongs to a server block, not to a location.
    const auto r = refused(labelled({{"swag_location_custom_directive", "server_name x;"}}), o);
    CHECK(r.code == diag_code::sync_directives_refused);
}

TEST_CASE("default port: the label, else one exposed port, else a refusal naming them", "[sync][labels]") {
    auto c = labelled({});
    c.exposed_tcp_ports = {80, 443};
    auto d = accepted(c);
    CHECK_FALSE(d.port);
    auto p = port_for(d, std::nullopt);
    REQUIRE(std::holds_alternative<refusal>(p));
    CHECK(std::get<refusal>(p).code == diag_code::sync_port_ambiguous);
    CHECK(std::get<refusal>(p).value == "80, 443");
    // A preset sample's own port wins over the guess.
    CHECK(std::get<int>(port_for(d, 7878)) == 7878);
    c.labels["swag_port"] = "443";
    CHECK(std::get<int>(port_for(accepted(c), std::nullopt)) == 443);
    c.labels.erase("swag_port");
    c.exposed_tcp_ports.clear();
    p = port_for(accepted(c), std::nullopt);
    REQUIRE(std::holds_alternative<refusal>(p));
    CHECK(std::get<refusal>(p).code == diag_code::sync_port_ambiguous);
    CHECK(std::get<refusal>(p).value.empty());
}

TEST_CASE("swag=enable is required", "[sync][labels]") {
    auto c = labelled({});
    CHECK(wants_sync(c));
    c.labels["swag"] = "disable";
    CHECK_FALSE(wants_sync(c));
    c.labels.erase("swag");
    CHECK_FALSE(wants_sync(c));
}

TEST_CASE("a refusal's message keeps a newline out of the log line", "[sync][labels]") {
    const auto r = refused(labelled({{"swag_port", "80\nserver_name evil;"}}));
    CHECK(r.message.find('\n') == std::string::npos);
    CHECK(r.value == "80\nserver_name evil;");
    CHECK(to_diagnostic(r).code == diag_code::sync_label_invalid);
}
