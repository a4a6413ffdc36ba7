// docker info: what ngxauth sees of Docker (the endpoint, the negotiated API version, each
// container with its networks, addresses and the names it answers to there). Never any
// environment value: the client keeps none unless asked for a key, and this asks for none.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "docker_cli.hpp"

namespace ngxauth {

docker::engine_options engine_options_of(const docker_options& d) {
    docker::engine_options e;
    if (d.host) e.where = docker::parse_docker_host(*d.host);
    e.timeout_seconds = d.timeout;
    return e;
}

namespace {

using ordered = nlohmann::ordered_json;

ordered container_json(const docker::container& c) {
    ordered networks = ordered::array();
    for (const auto& a : c.networks) {
        networks.push_back({{"network", a.network},
                            {"ipv4", a.ipv4},
                            {"ipv6", a.ipv6},
                            {"names", docker::names_on(c, a)}});
    }
    return {{"name", c.name}, {"id", c.id},         {"image", c.image},
            {"state", c.state}, {"running", c.running}, {"networks", networks}};
}

void print_text(const docker::engine& e, const std::vector<docker::container>& all, const style& st) {
    fmt::print("Docker Engine at {}, API {}: {} container{}\n", e.where().describe(), e.api_version(),
               all.size(), all.size() == 1 ? "" : "s");
    for (const auto& c : all) {
        const auto state = c.running ? st.green(c.state) : st.yellow(c.state);
        fmt::print("{}  {}  {}\n", st.bold(c.name), state, c.image);
        if (c.networks.empty()) fmt::print("    no network\n");
        for (const auto& a : c.networks) {
            const auto names = docker::names_on(c, a);
            fmt::print("    {}  {}  {}\n", a.network, a.ipv4.empty() ? "-" : a.ipv4,
                       names.empty() ? std::string("(no DNS names on this network)") : join(names, ", "));
        }
    }
}

}  // namespace

int cmd_docker_info(const options& o) {
    if (o.docker.off) throw usage_failure("docker info: --no-docker leaves it nothing to do");
    const auto e = docker::engine::connect(engine_options_of(o.docker));
    const auto all = e.containers();
    if (!o.json) {
        print_text(e, all, o.out);
        return exit_ok;
    }
    ordered containers = ordered::array();
    for (const auto& c : all) containers.push_back(container_json(c));
    const ordered out = {{"ok", true},
                         {"endpoint", e.where().describe()},
                         {"api_version", e.api_version()},
                         {"containers", containers},
                         {"recovered", ordered::array()}};
    fmt::print("{}\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return exit_ok;
}

}  // namespace ngxauth
