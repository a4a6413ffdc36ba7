// The upstream values doctor's container checks read from a tree (tools/ngxauth/docker/
// tree_upstreams.hpp): each app's $upstream_app/port/proto, each provider's upstream.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "docker/tree_upstreams.hpp"

namespace dk = ngxauth::docker;
namespace fs = std::filesystem;
namespace swag = ngxconf::swag;

namespace {

struct temp_tree {
    fs::path root;
    temp_tree() {
        std::string t = (fs::temp_directory_path() / "ngxauth-upstreams-XXXXXX").string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        root = t;
        fs::create_directories(root / "proxy-confs");
    }
    temp_tree(const temp_tree&) = delete;
    temp_tree& operator=(const temp_tree&) = delete;
    ~temp_tree() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    fs::path write(const std::string& rel, const std::string& bytes) const {
        std::ofstream(root / rel, std::ios::binary) << bytes;
        return root / rel;
    }
};

swag::app_status status_of(std::string app, fs::path file, std::vector<swag::provider> on = {}) {
    swag::app_status s;
    s.app = std::move(app);
    s.file = std::move(file);
    s.server_level = std::move(on);
    return s;
}

}  // namespace

TEST_CASE("app_upstreams: each distinct upstream of a conf with port and proto from its block or above") {
    temp_tree t;
    const auto file = t.write("proxy-confs/media.subdomain.conf",
                              "server {\n"
                              "    set $upstream_port 8096;\n"
                              "    location / {\n"
                              "        set $upstream_app jellyfin;\n"
                              "        set $upstream_proto http;\n"
                              "        proxy_pass $upstream_proto://$upstream_app:$upstream_port;\n"
                              "    }\n"
                              "    location /api {\n"
                              "        set $upstream_app jellyfin;\n"
                              "        set $upstream_proto http;\n"
                              "    }\n"
                              "    location /other {\n"
                              "        set $upstream_app radarr;\n"
                              "        #set $upstream_port 1;\n"
                              "        set $upstream_port 7878;\n"
                              "    }\n"
                              "}\n");
    const auto broken = t.write("proxy-confs/broken.subdomain.conf", "server {\n");
    const auto ups = dk::app_upstreams({status_of("media", file), status_of("broken", broken)});
    REQUIRE(ups.size() == 2);
    CHECK(ups[0].app == "media");
    CHECK(ups[0].host == "jellyfin");
    CHECK(ups[0].port == "8096");
    CHECK(ups[0].proto == "http");
    CHECK(ups[0].line == 4);
    CHECK(ups[1].host == "radarr");
    CHECK(ups[1].port == "7878");
    CHECK(ups[1].proto.empty());
    CHECK(ups[1].line == 13);
}

TEST_CASE("auth_upstreams: the provider's upstream with its scheme and port and whether an app uses it") {
    temp_tree t;
    t.write("authentik-server.conf",
            "location ^~ /outpost.goauthentik.io {\n"
            "    set $upstream_authentik ak-outpost-swag;\n"
            "    proxy_pass https://$upstream_authentik:9443/outpost.goauthentik.io;\n"
            "}\n");
    t.write("authelia-server.conf",
            "location ^~ /authelia {\n"
            "    set $upstream_authelia authelia;\n"
            "    proxy_pass http://$upstream_authelia:9091;\n"
            "}\n");
    const auto app = t.write("proxy-confs/a.subdomain.conf", "server {\n}\n");
    const auto ups = dk::auth_upstreams(t.root, {status_of("a", app, {swag::provider::authentik})});
    REQUIRE(ups.size() == 2);
    CHECK(ups[0].provider == "authentik");
    CHECK(ups[0].variable == "$upstream_authentik");
    CHECK(ups[0].host == "ak-outpost-swag");
    CHECK(ups[0].scheme == "https");
    CHECK(ups[0].port == 9443);
    CHECK(ups[0].line == 2);
    CHECK(ups[0].in_use);
    CHECK(ups[1].provider == "authelia");
    CHECK(ups[1].port == 9091);
    CHECK_FALSE(ups[1].in_use);
}
