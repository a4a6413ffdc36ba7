#pragma once
// What ngxauth reads of Docker: containers as the Engine's inspect describes them, reduced to
// the fields the checks and sync use. Plain data, filled by engine.cpp, built by hand in tests.
#include <map>
#include <string>
#include <vector>

namespace ngxauth::docker {

// A container's endpoint on one network.
struct attachment {
    std::string network;                 // "swag_default"
    std::string network_id;
    std::string ipv4;                    // "172.18.0.5" (empty when none)
    int ipv4_prefix = 0;                 // 16
    std::string ipv6;
    std::vector<std::string> aliases;    // NetworkSettings.Networks.*.Aliases
    std::vector<std::string> dns_names;  // .DNSNames (API >= 1.44; empty before)
};

struct mount {
    std::string source;       // host path ("/docker/swag/config")
    std::string destination;  // path in the container ("/config")
};

struct container {
    std::string id;     // the full id
    std::string name;   // without Docker's leading '/'
    std::string image;  // Config.Image as written ("lscr.io/linuxserver/swag:latest")
    std::string state;  // "running", "exited", "created", ...
    bool running = false;
    std::map<std::string, std::string> labels;
    std::vector<attachment> networks;
    std::vector<int> exposed_tcp_ports;  // Config.ExposedPorts "8080/tcp" -> 8080, sorted
    std::vector<mount> mounts;
    // Only the environment keys the caller asked engine::inspect for; never any other.
    std::map<std::string, std::string> env;

    [[nodiscard]] std::string short_id() const { return id.substr(0, 12); }
};

// The names under which `c` answers on network `a` (Docker's embedded DNS): its name, the
// network's aliases and DNS names, its short id.
[[nodiscard]] std::vector<std::string> names_on(const container& c, const attachment& a);

}  // namespace ngxauth::docker
