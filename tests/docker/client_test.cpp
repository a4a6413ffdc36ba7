// The Docker Engine client's parts that need no daemon: DOCKER_HOST's forms, the exec
// stream's demultiplexer, inspect JSON -> container, and the client as the static build has
// it (compiled here without libcurl, tests/register_docker_unit.cmake).
#include <catch2/catch.hpp>

#include <string>

#include "docker/engine.hpp"
#include "docker/inspect.hpp"
#include "docker/model.hpp"
#include "docker/stream.hpp"

using namespace ngxauth::docker;
using ngxconf::diag_code;

namespace {

diag_code code_of_host(std::string_view text) {
    try {
        (void)parse_docker_host(text);
    } catch (const docker_error& e) {
        return e.code();
    }
    return diag_code::none;
}

// One frame of the multiplexed stream: stream byte, three zero bytes, big-endian size.
std::string frame(char stream, const std::string& payload) {
    std::string f{stream, '\0', '\0', '\0'};
    const auto n = static_cast<std::uint32_t>(payload.size());
    for (int shift = 24; shift >= 0; shift -= 8) f += static_cast<char>((n >> shift) & 0xffU);
    return f + payload;
}

}  // namespace

TEST_CASE("parse_docker_host: unix sockets", "[docker]") {
    const auto e = parse_docker_host("unix:///run/user/1000/docker.sock");
    CHECK(e.unix_socket);
    CHECK(e.path == "/run/user/1000/docker.sock");
    CHECK(e.describe() == "unix:///run/user/1000/docker.sock");
    CHECK(parse_docker_host("/var/run/docker.sock").path == "/var/run/docker.sock");
    const auto d = parse_docker_host("");
    CHECK(d.unix_socket);
    CHECK(d.path == "/var/run/docker.sock");
    CHECK(default_endpoint().describe() == "unix:///var/run/docker.sock");
    CHECK(code_of_host("unix://") == diag_code::docker_unreachable);
    CHECK(code_of_host("unix:///" + std::string(107, 'x')) == diag_code::docker_unreachable);
    CHECK(code_of_host("unix://" + std::string(107, 'x')) == diag_code::none);
}

TEST_CASE("parse_docker_host: tcp, bare hosts and ports", "[docker]") {
    const auto t = parse_docker_host("tcp://127.0.0.1:2376");
    CHECK_FALSE(t.unix_socket);
    CHECK(t.host == "127.0.0.1:2376");
    CHECK(t.describe() == "tcp://127.0.0.1:2376");
    CHECK(parse_docker_host("tcp://docker-proxy").host == "docker-proxy:2375");
    CHECK(parse_docker_host("tcp://docker-proxy:2375/").host == "docker-proxy:2375");
    CHECK(parse_docker_host("docker-proxy").host == "docker-proxy:2375");
    CHECK_FALSE(parse_docker_host("docker-proxy").unix_socket);
    CHECK(parse_docker_host("socket-proxy:2375").host == "socket-proxy:2375");
    CHECK(parse_docker_host("tcp://[::1]:2375").host == "[::1]:2375");
    CHECK(parse_docker_host("[fd00::5]").host == "[fd00::5]:2375");
}

TEST_CASE("parse_docker_host: refused forms", "[docker]") {
    for (const char* bad :
         {"ssh://user@host", "npipe:////./pipe/docker_engine", "fd://", "http://host:2375",
          "tcp://", "tcp://host:", "tcp://host:0", "tcp://host:65536", "tcp://host:80x",
          "tcp://host:2375/v1.41", "host name", "host;evil", ":2375", "tcp://[::1", "[zz]:1",
          "tcp://[::1]x"}) {
        INFO(bad);
        CHECK(code_of_host(bad) == diag_code::docker_unreachable);
    }
}

TEST_CASE("stream_demux: frames of stdout and stderr, cut anywhere", "[docker]") {
    const std::string stream = frame(1, "nginx: the configuration file syntax is ok\n") +
                               frame(2, "warn\n") + frame(1, "") + frame(1, std::string(300, 'x'));
    const std::string want = "nginx: the configuration file syntax is ok\nwarn\n" + std::string(300, 'x');
    for (std::size_t piece : {std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{8},
                              std::size_t{9}, stream.size()}) {
        INFO(piece);
        stream_demux d;
        for (std::size_t at = 0; at < stream.size(); at += piece) {
            d.feed(std::string_view(stream).substr(at, piece));
        }
        CHECK(d.output() == want);
        CHECK(d.complete());
        CHECK_FALSE(d.raw());
    }
}

TEST_CASE("stream_demux: a cut-off frame is not complete, raw bytes stay raw", "[docker]") {
    stream_demux cut;
    cut.feed(frame(1, "abcdef").substr(0, 11));
    CHECK(cut.output() == "abc");
    CHECK_FALSE(cut.complete());

    stream_demux half_header;
    half_header.feed(std::string("\x01\0\0", 3));
    CHECK(half_header.output().empty());
    CHECK_FALSE(half_header.complete());

    // A tty's output has no frames: everything from the first bad header on is kept as is.
    stream_demux tty;
    tty.feed("hello world\n");
    CHECK(tty.raw());
    CHECK(tty.output() == "hello world\n");

    stream_demux later;
    later.feed(frame(2, "err\n") + "plain text!");
    CHECK(later.raw());
    CHECK(later.output() == "err\nplain text!");
}

namespace {

// An inspect answer as Engine 20.10 (API 1.41) gives it, cut to what the client reads.
const char* inspect_141 = R"({
  "Id": "5f3c2a1b9d0e4c7a8b6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b",
  "Name": "/app1",
  "State": {"Status": "running", "Running": true, "Pid": 4242},
  "Mounts": [{"Type": "bind", "Source": "/docker/swag/config", "Destination": "/config", "RW": true}],
  "Config": {
    "Image": "lscr.io/linuxserver/swag:latest",
    "Env": ["PATH=/usr/bin", "SWAG_AUTORELOAD=true", "DB_PASSWORD=hunter2", "EMPTY", "URL=a=b"],
    "Labels": {"swag": "enable", "swag_port": "8080"},
    "ExposedPorts": {"8080/tcp": {}, "53/udp": {}, "443/tcp": {}, "80": {}}
  },
  "NetworkSettings": {
    "Networks": {
      "appnet": {"NetworkID": "n1", "IPAddress": "172.18.0.2", "IPPrefixLen": 16,
                 "GlobalIPv6Address": "", "Aliases": ["5f3c2a1b9d0e", "web"]},
      "bridge": {"NetworkID": "n0", "IPAddress": "172.17.0.2", "IPPrefixLen": 16, "Aliases": null}
    }
  }
})";

// API 1.44 and newer: DNSNames.
const char* inspect_144 = R"({
  "Id": "abcdef0123456789", "Name": "/ak-outpost-main",
  "State": {"Status": "exited", "Running": false},
  "Config": {"Image": "ghcr.io/goauthentik/proxy", "Env": null, "Labels": null},
  "NetworkSettings": {"Networks": {"swag_default": {"IPAddress": "", "Aliases": ["outpost"],
      "DNSNames": ["ak-outpost-main", "outpost", "abcdef012345", "dns-only"]}}}
})";

}  // namespace

TEST_CASE("container_from_inspect: API 1.41 (no DNSNames)", "[docker]") {
    const auto c = container_from_inspect(inspect_141, {"SWAG_AUTORELOAD", "URL", "EMPTY", "MISSING"});
    CHECK(c.name == "app1");
    CHECK(c.short_id() == "5f3c2a1b9d0e");
    CHECK(c.image == "lscr.io/linuxserver/swag:latest");
    CHECK(c.state == "running");
    CHECK(c.running);
    CHECK(c.labels == std::map<std::string, std::string>{{"swag", "enable"}, {"swag_port", "8080"}});
    CHECK(c.exposed_tcp_ports == std::vector<int>{80, 443, 8080});
    REQUIRE(c.mounts.size() == 1);
    CHECK(c.mounts[0].source == "/docker/swag/config");
    CHECK(c.mounts[0].destination == "/config");
    // Only the keys asked for: the password and PATH are not kept.
    CHECK(c.env == std::map<std::string, std::string>{{"EMPTY", ""}, {"SWAG_AUTORELOAD", "true"}, {"URL", "a=b"}});
    REQUIRE(c.networks.size() == 2);
    const auto& app = c.networks[0];
    CHECK(app.network == "appnet");
    CHECK(app.ipv4 == "172.18.0.2");
    CHECK(app.ipv4_prefix == 16);
    CHECK(app.dns_names.empty());
    CHECK(names_on(c, app) == std::vector<std::string>{"app1", "5f3c2a1b9d0e", "web"});
    // The default bridge has no embedded DNS.
    CHECK(c.networks[1].network == "bridge");
    CHECK(names_on(c, c.networks[1]).empty());
}

TEST_CASE("container_from_inspect: no env key asked, none kept", "[docker]") {
    CHECK(container_from_inspect(inspect_141, {}).env.empty());
}

TEST_CASE("container_from_inspect: API 1.44 DNSNames are the names", "[docker]") {
    const auto c = container_from_inspect(inspect_144, {"SWAG_AUTORELOAD"});
    CHECK(c.name == "ak-outpost-main");
    CHECK_FALSE(c.running);
    CHECK(c.state == "exited");
    CHECK(c.labels.empty());
    CHECK(c.env.empty());
    CHECK(c.exposed_tcp_ports.empty());
    REQUIRE(c.networks.size() == 1);
    CHECK(c.networks[0].ipv4.empty());
    CHECK(names_on(c, c.networks[0]) ==
          std::vector<std::string>{"ak-outpost-main", "outpost", "abcdef012345", "dns-only"});
}

TEST_CASE("container_from_inspect: not an inspect answer", "[docker]") {
    const auto code_of = [](std::string_view text) {
        try {
            (void)container_from_inspect(text, {});
        } catch (const docker_error& e) {
            return e.code();
        }
        return diag_code::none;
    };
    CHECK(code_of("<html>") == diag_code::docker_bad_response);
    CHECK(code_of("[]") == diag_code::docker_bad_response);
    CHECK(code_of(R"({"Name": "/x"})") == diag_code::docker_bad_response);  // no Id
    CHECK(code_of(R"({"Id": 5})") == diag_code::docker_bad_response);
    CHECK(code_of(R"({"Id": "a", "Config": {"Env": "A=1"}})") == diag_code::docker_bad_response);
    CHECK(code_of(R"({"Id": "a", "Config": {"Labels": {"x": 1}}})") == diag_code::docker_bad_response);
    CHECK(code_of(R"({"Id": "a", "Config": {"ExposedPorts": {"http/tcp": {}}}})") ==
          diag_code::docker_bad_response);
    CHECK(code_of(R"({"Id": "a", "NetworkSettings": {"Networks": {"n": {"Aliases": [1]}}}})") ==
          diag_code::docker_bad_response);
    CHECK(code_of(R"({"Id": "a"})") == diag_code::none);
}

TEST_CASE("engine::connect without libcurl (the static build): docker.unreachable", "[docker]") {
    engine_options o;
    o.where = parse_docker_host("unix:///nonexistent/docker.sock");
    diag_code code = diag_code::none;
    try {
        (void)engine::connect(o);
    } catch (const docker_error& e) {
        code = e.code();
    }
    CHECK(code == diag_code::docker_unreachable);
}
