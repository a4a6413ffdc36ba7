// The sync plan on a copy of fixtures/swag: adds, changes, removes (exact names), confs it
// did not write left alone, refused containers left as they were; bytes compared whole.
#include <catch2/catch.hpp>

#include "docker/sync_plan.hpp"
#include "swag_container.hpp"
#include "swag_tree.hpp"

namespace {

using namespace ngxauth::docker;
using ngxconf::diag_code;

// A template in the shape of SWAG's _template.subdomain.conf.sample (placeholders included);
// the Docker e2e test (docker_sync_e2e.sh) uses the same file.
const std::string& template_sample() {
    static const std::string bytes = test::read_file(test::fixtures_dir() / "sync" / "_template.subdomain.conf.sample");
    return bytes;
}

// What sync makes of the template for a container NAME on PORT, plain http, no auth.
std::string expected_conf(const std::string& name, const std::string& port, const std::string& proto = "http") {
    std::string s(template_sample());
    const auto replace = [&s](const std::string& from, const std::string& to) {
        const auto at = s.find(from);
        REQUIRE(at != std::string::npos);
        s.replace(at, from.size(), to);
    };
    replace("## Version 2024/07/16\n", "## Version 2024/07/16\n# managed by ngxauth sync: container " + name + "\n");
    replace("server_name <container_name>.*;", "server_name " + name + ".*;");
    replace("set $upstream_app <container_name>;", "set $upstream_app " + name + ";");
    replace("set $upstream_port <port_number>;", "set $upstream_port " + port + ";");
    replace("set $upstream_proto <http or https>;", "set $upstream_proto " + proto + ";");
    return s;
}

container app(std::string name, std::map<std::string, std::string> labels = {}) {
    return test::swag_enabled(std::move(name), std::move(labels));
}

struct tree : test::swag_tree {
    tree() : test::swag_tree(from::fixtures) { write("proxy-confs/_template.subdomain.conf.sample", template_sample()); }

    // One sync: plan, then save in one transaction; the plan comes back.
    sync_plan sync(const std::vector<container>& cs, const label_options& o = {}) const {
        ngxconf::swag::session s(where());
        auto p = plan_sync(s, cs, o);
        s.save(save_options());
        return p;
    }
    [[nodiscard]] bool has(const std::string& rel) const { return std::filesystem::exists(root() / rel); }
};

std::vector<std::pair<plan_action, std::string>> summary(const sync_plan& p) {
    std::vector<std::pair<plan_action, std::string>> out;
    for (const auto& e : p.entries) out.emplace_back(e.action, e.file.filename().string());
    return out;
}

}  // namespace

TEST_CASE("the marker line names the container, only a leading comment counts", "[sync][plan]") {
    CHECK(marker_line("app") == "# managed by ngxauth sync: container app");
    CHECK(managed_by("## Version 1\n# managed by ngxauth sync: container app\nserver {}\n") == "app");
    CHECK(managed_by("# managed by ngxauth sync: container app2\r\n") == "app2");
    CHECK_FALSE(managed_by("server {}\n# managed by ngxauth sync: container app\n"));
    CHECK_FALSE(managed_by("# managed by ngxauth sync: container a/b\n"));
    CHECK_FALSE(managed_by(""));
}

TEST_CASE("sync adds a conf per container from the template, bytes as expected", "[sync][plan]") {
    tree t;
    const auto p = t.sync({app("app", {{"swag_port", "8080"}}), app("app2", {{"swag_port", "9090"}})});
    CHECK(p.refused.empty());
    CHECK(summary(p) == std::vector<std::pair<plan_action, std::string>>{
                            {plan_action::add, "app.subdomain.conf"}, {plan_action::add, "app2.subdomain.conf"}});
    CHECK(t.read("proxy-confs/app.subdomain.conf") == expected_conf("app", "8080"));
    CHECK(t.read("proxy-confs/app2.subdomain.conf") == expected_conf("app2", "9090"));
    // A second run has nothing to do.
    CHECK(t.sync({app("app", {{"swag_port", "8080"}}), app("app2", {{"swag_port", "9090"}})}).entries.empty());
}

TEST_CASE("new labels change the conf", "[sync][plan]") {
    tree t;
    (void)t.sync({app("app", {{"swag_port", "8080"}})});
    const auto p = t.sync({app("app", {{"swag_port", "8443"}, {"swag_proto", "https"}})});
    CHECK(summary(p) == std::vector<std::pair<plan_action, std::string>>{{plan_action::change, "app.subdomain.conf"}});
    CHECK(t.read("proxy-confs/app.subdomain.conf") == expected_conf("app", "8443", "https"));
}

TEST_CASE("removing app keeps app2 and the reverse", "[sync][plan]") {
    tree t;
    const auto both = std::vector<container>{app("app", {{"swag_port", "80"}}), app("app2", {{"swag_port", "80"}})};
    (void)t.sync(both);
    auto p = t.sync({both[1]});
    CHECK(summary(p) == std::vector<std::pair<plan_action, std::string>>{{plan_action::remove, "app.subdomain.conf"}});
    CHECK_FALSE(t.has("proxy-confs/app.subdomain.conf"));
    CHECK(t.read("proxy-confs/app2.subdomain.conf") == expected_conf("app2", "80"));

    (void)t.sync(both);
    p = t.sync({both[0]});
    CHECK(summary(p) == std::vector<std::pair<plan_action, std::string>>{{plan_action::remove, "app2.subdomain.conf"}});
    CHECK(t.read("proxy-confs/app.subdomain.conf") == expected_conf("app", "80"));
    CHECK_FALSE(t.has("proxy-confs/app2.subdomain.conf"));
}

TEST_CASE("a stopped container's conf goes, a container without swag=enable is not ours", "[sync][plan]") {
    tree t;
    (void)t.sync({app("app", {{"swag_port", "80"}})});
    auto stopped = app("app", {{"swag_port", "80"}});
    stopped.running = false;
    CHECK(summary(t.sync({stopped})) ==
          std::vector<std::pair<plan_action, std::string>>{{plan_action::remove, "app.subdomain.conf"}});
    auto plain = app("other");
    plain.labels.erase("swag");
    CHECK(t.sync({plain}).entries.empty());
    CHECK_FALSE(t.has("proxy-confs/other.subdomain.conf"));
}

TEST_CASE("a conf sync did not write is left alone, never removed", "[sync][plan]") {
    tree t;
    const auto before = t.read("proxy-confs/dockge.subdomain.conf");
    const auto p = t.sync({app("dockge", {{"swag_port", "5001"}})});
    CHECK(p.entries.empty());
    REQUIRE(p.refused.size() == 1);
    CHECK(p.refused[0].code == diag_code::sync_not_managed);
    CHECK(p.refused[0].container == "dockge");
    CHECK(t.read("proxy-confs/dockge.subdomain.conf") == before);
    CHECK(t.sync({}).entries.empty());
    CHECK(t.read("proxy-confs/dockge.subdomain.conf") == before);
}

TEST_CASE("a marker naming another container does not make the file removable", "[sync][plan]") {
    tree t;
    t.write("proxy-confs/app.subdomain.conf", expected_conf("app2", "80"));
    CHECK(t.sync({}).entries.empty());
    CHECK(t.has("proxy-confs/app.subdomain.conf"));
}

TEST_CASE("bad labels skip that container only, its conf kept as it was", "[sync][plan]") {
    tree t;
    (void)t.sync({app("app", {{"swag_port", "8080"}})});
    const auto listing = test::files_below(t.root() / "proxy-confs", ".conf");
    const auto p = t.sync({app("app", {{"swag_port", "80;evil"}}), app("bad", {{"swag_address", "my host"}}),
                           app("gopher", {{"swag_proto", "gopher"}}), app("ok", {{"swag_port", "81"}})});
    CHECK(summary(p) == std::vector<std::pair<plan_action, std::string>>{{plan_action::add, "ok.subdomain.conf"}});
    REQUIRE(p.refused.size() == 3);
    for (const auto& r : p.refused) CHECK(r.code == diag_code::sync_label_invalid);
    CHECK(p.refused[0].value == "80;evil");
    CHECK(t.read("proxy-confs/app.subdomain.conf") == expected_conf("app", "8080"));
    CHECK_FALSE(t.has("proxy-confs/bad.subdomain.conf"));
    CHECK_FALSE(t.has("proxy-confs/gopher.subdomain.conf"));
    auto after = listing;
    after.push_back(t.root() / "proxy-confs/ok.subdomain.conf");
    std::sort(after.begin(), after.end());
    CHECK(test::files_below(t.root() / "proxy-confs", ".conf") == after);
}

TEST_CASE("no port to pick: refused, nothing written", "[sync][plan]") {
    tree t;
    auto c = app("app");
    c.exposed_tcp_ports = {80, 443};
    const auto p = t.sync({c});
    CHECK(p.entries.empty());
    REQUIRE(p.refused.size() == 1);
    CHECK(p.refused[0].code == diag_code::sync_port_ambiguous);
}

TEST_CASE("a preset sample keeps its own port, swag_preset_conf picks another sample", "[sync][plan]") {
    tree t;
    const auto p = t.sync({app("dokuwiki"), app("wiki", {{"swag_preset_conf", "dokuwiki"}})});
    CHECK(p.refused.empty());
    const auto conf = t.read("proxy-confs/wiki.subdomain.conf");
    CHECK(conf.find("# managed by ngxauth sync: container wiki\n") != std::string::npos);
    CHECK(conf.find("server_name wiki.*;") != std::string::npos);
    CHECK(conf.find("set $upstream_app wiki;") != std::string::npos);
    CHECK(conf.find("set $upstream_port 80;") != std::string::npos);
    CHECK(conf.find("set $upstream_proto http;") != std::string::npos);
    auto missing = t.sync({app("x", {{"swag_preset_conf", "nosuch"}})});
    REQUIRE(missing.refused.size() == 1);
    CHECK(missing.refused[0].label == "swag_preset_conf");
}

TEST_CASE("swag_auth protects through protect, bypass paths get a location without auth", "[sync][plan]") {
    tree t;
    const auto p = t.sync({app("app", {{"swag_port", "80"}, {"swag_auth", "authentik"}, {"swag_auth_bypass", "/api"}})});
    CHECK(p.refused.empty());
    const auto conf = t.read("proxy-confs/app.subdomain.conf");
    CHECK(conf.find("\n    include /config/nginx/authentik-server.conf;\n") != std::string::npos);
    CHECK(conf.find("\n        include /config/nginx/authentik-location.conf;\n") != std::string::npos);
    const auto bypass = conf.find("location ^~ /api {");
    REQUIRE(bypass != std::string::npos);
    const auto slash = conf.find("location / {");
    CHECK(bypass < slash);
    const auto block = conf.substr(bypass, slash - bypass);
    CHECK(block.find("authentik-location") == std::string::npos);
    CHECK(block.find("proxy_pass $upstream_proto://$upstream_app:$upstream_port;") != std::string::npos);
}

TEST_CASE("custom directives go in through the editor, each argument spelled safely", "[sync][plan]") {
    tree t;
    label_options o;
    o.allow_directives = true;
    const auto p = t.sync({app("app", {{"swag_port", "80"},
                                       {"swag_server_custom_directive", "add_header X-Test \"a b\";"},
                                       {"swag_location_custom_directive", "proxy_buffering off;"}})},
                          o);
    CHECK(p.refused.empty());
    const auto conf = t.read("proxy-confs/app.subdomain.conf");
    CHECK(conf.find("\n    add_header X-Test \"a b\";\n}") != std::string::npos);
    CHECK(conf.find("\n        proxy_buffering off;\n    }") != std::string::npos);
}
