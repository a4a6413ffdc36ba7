// SWAG's container lookup and doctor's container checks (tools/ngxauth/docker/locate.hpp,
// checks.hpp) on containers built by hand: codes, severities, the container each finding
// names and the exact fix commands.
#include <catch2/catch.hpp>

#include <algorithm>

#include "docker/checks.hpp"
#include "docker/locate.hpp"

namespace dk = ngxauth::docker;
using ngxconf::diag_code;
using ngxconf::severity;

namespace {

dk::attachment net(std::string network, std::string ip, std::vector<std::string> aliases = {},
                   int prefix = 16) {
    dk::attachment a;
    a.network = network;
    a.network_id = "id-" + network;
    a.ipv4 = std::move(ip);
    a.ipv4_prefix = prefix;
    a.aliases = std::move(aliases);
    return a;
}

dk::container box(std::string name, std::string image, std::vector<dk::attachment> nets,
                  bool running = true) {
    static int serial = 0;
    dk::container c;
    c.id = std::to_string(100000 + ++serial) + "abcdef0123456789abcdef0123456789abcdef0123456789abcd";
    c.name = std::move(name);
    c.image = std::move(image);
    c.running = running;
    c.state = running ? "running" : "exited";
    c.networks = std::move(nets);
    return c;
}

dk::container swag_box(std::vector<dk::attachment> nets, std::string config = "/srv/swag/config") {
    auto c = box("swag", "lscr.io/linuxserver/swag:latest", std::move(nets));
    c.mounts.push_back({std::move(config), "/config"});
    return c;
}

dk::app_upstream app(std::string name, std::string host, std::string port = "80") {
    return {name, "/srv/swag/config/nginx/proxy-confs/" + name + ".subdomain.conf", 9, host, port, "http"};
}

dk::auth_upstream ak(std::string host, int port = 9000, bool in_use = true) {
    return {"authentik", "$upstream_authentik", "/srv/swag/config/nginx/authentik-server.conf", 11,
            host, "http", port, in_use};
}

std::vector<diag_code> codes(const std::vector<ngxconf::diagnostic>& ds) {
    std::vector<diag_code> out;
    for (const auto& d : ds) out.push_back(d.code);
    return out;
}

}  // namespace

TEST_CASE("image_is: any registry prefix or tag or digest and whole path components only") {
    CHECK(dk::image_is("lscr.io/linuxserver/swag:latest", "linuxserver/swag"));
    CHECK(dk::image_is("linuxserver/swag", "linuxserver/swag"));
    CHECK(dk::image_is("ghcr.io/linuxserver/swag@sha256:0123abcd", "linuxserver/swag"));
    CHECK(dk::image_is("registry.local:5000/linuxserver/swag:2.11", "linuxserver/swag"));
    CHECK(dk::image_is("ghcr.io/goauthentik/server:2026.8", "goauthentik/server"));
    CHECK_FALSE(dk::image_is("linuxserver/swag-extra", "linuxserver/swag"));
    CHECK_FALSE(dk::image_is("notlinuxserver/swag", "linuxserver/swag"));
    CHECK_FALSE(dk::image_is("linuxserver/swagger:1", "linuxserver/swag"));
    CHECK_FALSE(dk::image_is("registry.local:5000/swag", "linuxserver/swag"));
}

TEST_CASE("host_path_of: the longest bind mount holding the path") {
    auto c = box("swag", "linuxserver/swag", {});
    c.mounts = {{"/srv/swag/config", "/config"}, {"/srv/confs", "/config/nginx/proxy-confs"}};
    CHECK(dk::host_path_of(c, "/config/nginx") == std::filesystem::path("/srv/swag/config/nginx"));
    CHECK(dk::host_path_of(c, "/config/nginx/proxy-confs") == std::filesystem::path("/srv/confs"));
    CHECK_FALSE(dk::host_path_of(c, "/configx").has_value());
    CHECK(dk::serves_tree(c, "/srv/swag/config/nginx/"));
    CHECK(dk::serves_tree(c, "/srv/swag/config/other/../nginx"));
    CHECK_FALSE(dk::serves_tree(c, "/srv/swag/nginx"));
}

TEST_CASE("locate_swag: by image with the running one serving the tree first") {
    const std::filesystem::path root = "/srv/swag/config/nginx";
    auto old = swag_box({net("web", "172.18.0.2")}, "/old/config");
    old.name = "swag-old";
    auto stopped = swag_box({net("web", "172.18.0.3")});
    stopped.name = "swag-stopped";
    stopped.running = false;
    auto right = swag_box({net("web", "172.18.0.4")});
    right.image = "linuxserver/swag";
    const std::vector<dk::container> all = {box("radarr", "linuxserver/radarr", {}), old, stopped, right};

    const auto found = dk::locate_swag(all, "", root);
    REQUIRE(found.swag != nullptr);
    CHECK(found.swag->name == "swag");
    CHECK(found.serves_root);
    CHECK_FALSE(found.finding.has_value());
}

TEST_CASE("locate_swag: a SWAG whose /config is elsewhere is named with docker.swag_mount") {
    const std::vector<dk::container> all = {swag_box({net("web", "172.18.0.2")}, "/opt/appdata/swag")};
    const auto found = dk::locate_swag(all, "", "/srv/swag/config/nginx");
    REQUIRE(found.swag != nullptr);
    CHECK_FALSE(found.serves_root);
    REQUIRE(found.finding.has_value());
    CHECK(found.finding->code == diag_code::docker_swag_mount);
    CHECK(found.finding->level == severity::warning);
    CHECK(found.finding->fix.starts_with("run ngxauth with --root /opt/appdata/swag/nginx"));
}

TEST_CASE("locate_swag: --swag-container by name or id and docker.swag_missing when none is found") {
    const std::filesystem::path root = "/srv/swag/config/nginx";
    auto custom = box("proxy", "example/my-swag-build:1", {net("web", "172.18.0.9")});
    custom.mounts.push_back({"/srv/swag/config", "/config"});
    const std::vector<dk::container> all = {custom, box("radarr", "linuxserver/radarr", {})};

    const auto by_name = dk::locate_swag(all, "proxy", root);
    REQUIRE(by_name.swag != nullptr);
    CHECK(by_name.swag->name == "proxy");
    CHECK(by_name.serves_root);
    const auto by_id = dk::locate_swag(all, custom.id.substr(0, 12), root);
    REQUIRE(by_id.swag != nullptr);
    CHECK(by_id.swag->name == "proxy");

    const auto named_missing = dk::locate_swag(all, "nosuch", root);
    CHECK(named_missing.swag == nullptr);
    REQUIRE(named_missing.finding.has_value());
    CHECK(named_missing.finding->code == diag_code::docker_swag_missing);
    CHECK(named_missing.finding->level == severity::warning);

    const auto by_image = dk::locate_swag(all, "", root);  // no SWAG image among them
    CHECK(by_image.swag == nullptr);
    REQUIRE(by_image.finding.has_value());
    CHECK(by_image.finding->code == diag_code::docker_swag_missing);
    CHECK(by_image.finding->level == severity::info);
}

TEST_CASE("in_cidr: IPv4 and IPv6 ranges and bare addresses and garbage") {
    CHECK(dk::in_cidr("172.18.0.5", "172.16.0.0/12"));
    CHECK_FALSE(dk::in_cidr("172.32.0.5", "172.16.0.0/12"));
    CHECK(dk::in_cidr("10.1.2.3", " 10.0.0.0/8 "));
    CHECK(dk::in_cidr("192.168.5.1", "192.168.5.1"));
    CHECK_FALSE(dk::in_cidr("192.168.5.2", "192.168.5.1"));
    CHECK(dk::in_cidr("::1", "::1/128"));
    CHECK(dk::in_cidr("fe80::42:acff:fe12:2", "fe80::/10"));
    CHECK_FALSE(dk::in_cidr("fd00::2", "fe80::/10"));
    CHECK_FALSE(dk::in_cidr("172.18.0.5", "fe80::/10"));
    CHECK_FALSE(dk::in_cidr("172.18.0.5", "172.16.0.0/33"));
    CHECK_FALSE(dk::in_cidr("172.18.0.5", "nonsense/8"));
    CHECK(dk::in_cidr("8.8.8.8", "0.0.0.0/0"));
    const auto& d = dk::default_trusted_proxies();
    CHECK(d.size() == 6);
    CHECK(std::any_of(d.begin(), d.end(), [](const auto& r) { return dk::in_cidr("172.18.0.5", r); }));
}

TEST_CASE("check_apps: one finding per upstream as Docker's DNS resolves it") {
    const auto swag = swag_box({net("web", "172.18.0.2"), net("bridge", "172.17.0.2")});
    auto radarr = box("radarr", "linuxserver/radarr", {net("web", "172.18.0.3")});
    radarr.exposed_tcp_ports = {7878};
    const auto aliased = box("sonarr-1", "linuxserver/sonarr", {net("web", "172.18.0.4", {"tv"})});
    const auto other = box("lidarr", "linuxserver/lidarr", {net("backend", "172.19.0.3")});
    const auto stopped = box("bazarr", "linuxserver/bazarr", {net("web", "")}, false);
    const auto on_bridge = box("plex", "plexinc/pms", {net("bridge", "172.17.0.3")});
    const std::vector<dk::container> all = {swag, radarr, aliased, other, stopped, on_bridge};

    const auto one = [&](dk::app_upstream u) {
        const auto found = dk::check_apps(swag, all, {std::move(u)});
        REQUIRE(found.size() >= 1);
        return found;
    };
    SECTION("a container on the shared network") {
        const auto f = one(app("radarr", "radarr", "7878"));
        CHECK(codes(f) == std::vector{diag_code::docker_resolved});
        CHECK(f[0].level == severity::info);
        CHECK(f[0].where.begin.line == 9);
        CHECK(f[0].fix.empty());
    }
    SECTION("a port the image does not expose") {
        const auto f = one(app("radarr", "RADARR", "8080"));
        CHECK(codes(f) == std::vector{diag_code::docker_resolved, diag_code::docker_upstream_port});
        CHECK(f[1].level == severity::warning);
    }
    SECTION("an alias only, and the short id") {
        CHECK(codes(one(app("sonarr", "tv"))) == std::vector{diag_code::docker_resolved});
        CHECK(codes(one(app("sonarr", aliased.short_id()))) == std::vector{diag_code::docker_resolved});
    }
    SECTION("on another network") {
        const auto f = one(app("lidarr", "lidarr"));
        CHECK(codes(f) == std::vector{diag_code::docker_upstream_unresolved});
        CHECK(f[0].level == severity::error);
        CHECK(f[0].fix == "docker network connect web lidarr");
    }
    SECTION("stopped") {
        const auto f = one(app("bazarr", "bazarr"));
        CHECK(codes(f) == std::vector{diag_code::docker_upstream_stopped});
        CHECK(f[0].level == severity::error);
        CHECK(f[0].fix == "docker start bazarr");
    }
    SECTION("the default bridge answers no names") {
        const auto f = one(app("plex", "plex"));
        CHECK(codes(f) == std::vector{diag_code::docker_upstream_unresolved});
        CHECK(f[0].fix == "docker network connect web plex");
    }
    SECTION("missing") {
        const auto f = one(app("jellyfin", "jellyfin"));
        CHECK(codes(f) == std::vector{diag_code::docker_upstream_unresolved});
        CHECK(f[0].level == severity::error);
    }
    SECTION("outside Docker: an IP literal or a dotted name that is no container") {
        for (const auto* host : {"192.168.1.20", "[fd00::20]", "nas.example.lan"}) {
            const auto f = one(app("nas", host));
            CHECK(codes(f) == std::vector{diag_code::docker_upstream_outside});
            CHECK(f[0].level == severity::info);
        }
        CHECK(codes(one(app("radarr", "172.18.0.3", "7878"))) == std::vector{diag_code::docker_resolved});
    }
    SECTION("a variable is not judged") {
        CHECK(dk::check_apps(swag, all, {app("x", "$host")}).empty());
    }
}

TEST_CASE("check_auth: the Authentik upstream with its candidates and the trusted proxy ranges") {
    const auto swag = swag_box({net("web", "172.18.0.2")});
    auto server = box("authentik-server-1", "ghcr.io/goauthentik/server:2026.8", {net("web", "172.18.0.10")});
    const auto worker = box("authentik-worker-1", "ghcr.io/goauthentik/server:2026.8", {net("web", "172.18.0.11")});
    auto outpost = box("ak-outpost-swag", "ghcr.io/goauthentik/proxy:2026.8", {net("authnet", "172.20.0.5")});
    outpost.labels["io.goauthentik.outpost-uuid"] = "0f1e";

    SECTION("resolved, default ranges trust a Docker network") {
        const std::vector<dk::container> all = {swag, server, worker};
        const auto f = dk::check_auth(swag, all, {ak("authentik-server-1")});
        CHECK(codes(f) == std::vector{diag_code::docker_resolved});
    }
    SECTION("the env key set to ranges without SWAG's address") {
        server.env[dk::trusted_proxy_key] = "10.0.0.0/8, 192.168.0.0/16";
        const std::vector<dk::container> all = {swag, server};
        const auto f = dk::check_auth(swag, all, {ak("authentik-server-1")});
        REQUIRE(codes(f) == std::vector{diag_code::docker_resolved, diag_code::docker_untrusted_proxy});
        CHECK(f[1].level == severity::error);
        CHECK(f[1].fix.starts_with("add 172.18.0.0/16 to AUTHENTIK_LISTEN__TRUSTED_PROXY_CIDRS"));
    }
    SECTION("the env key set to ranges holding SWAG's address") {
        server.env[dk::trusted_proxy_key] = "10.0.0.0/8,172.18.0.0/16";
        const std::vector<dk::container> all = {swag, server};
        CHECK(codes(dk::check_auth(swag, all, {ak("authentik-server-1")})) ==
              std::vector{diag_code::docker_resolved});
    }
    SECTION("a public SWAG address outside the defaults") {
        const auto public_swag = swag_box({net("web", "203.0.113.2", {}, 24)});
        server.networks = {net("web", "203.0.113.10", {}, 24)};
        const std::vector<dk::container> all = {public_swag, server};
        const auto f = dk::check_auth(public_swag, all, {ak("authentik-server-1")});
        REQUIRE(codes(f) == std::vector{diag_code::docker_resolved, diag_code::docker_untrusted_proxy});
        CHECK(f[1].fix.starts_with("add 203.0.113.0/24 to "));
    }
    SECTION("unresolved: the server on SWAG's network is the fix, not its worker") {
        const std::vector<dk::container> all = {swag, worker, outpost, server};
        const auto f = dk::check_auth(swag, all, {ak("authentik-server")});
        REQUIRE(codes(f) == std::vector{diag_code::docker_auth_unresolved});
        CHECK(f[0].level == severity::error);
        CHECK(f[0].fix == "ngxauth switch-upstream authentik-server-1");
        CHECK(f[0].message.find("ak-outpost-swag") != std::string::npos);  // a candidate named
    }
    SECTION("unresolved: an outpost on another network needs connecting first") {
        const std::vector<dk::container> all = {swag, outpost};
        const auto f = dk::check_auth(swag, all, {ak("authentik-server")});
        REQUIRE(codes(f) == std::vector{diag_code::docker_auth_unresolved});
        CHECK(f[0].fix ==
              "docker network connect web ak-outpost-swag, then ngxauth switch-upstream ak-outpost-swag");
    }
    SECTION("a provider no app uses is a warning") {
        const std::vector<dk::container> all = {swag};
        const auto f = dk::check_auth(swag, all, {ak("authentik-server", 9000, false)});
        REQUIRE(codes(f) == std::vector{diag_code::docker_auth_unresolved});
        CHECK(f[0].level == severity::warning);
    }
    SECTION("outside Docker") {
        const std::vector<dk::container> all = {swag};
        CHECK(codes(dk::check_auth(swag, all, {ak("auth.example.com", 443)})) ==
              std::vector{diag_code::docker_upstream_outside});
    }
    SECTION("a port Authentik's image does not expose") {
        server.exposed_tcp_ports = {9000, 9443};
        const std::vector<dk::container> all = {swag, server};
        CHECK(codes(dk::check_auth(swag, all, {ak("authentik-server-1", 9444)})) ==
              std::vector{diag_code::docker_resolved, diag_code::docker_upstream_port});
    }
}
