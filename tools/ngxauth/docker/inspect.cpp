// Inspect JSON -> container: what is absent or null stays empty; what has the wrong type is
// a bad answer, not something to guess about.
#include "inspect.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "engine.hpp"

namespace ngxauth::docker {
namespace {

using json = nlohmann::json;
using ngxconf::diag_code;

[[noreturn]] void bad_shape(std::string_view what) {
    throw docker_error(diag_code::docker_bad_response,
                       fmt::format("the Engine's container inspect is not as expected: {}", what));
}

// o[key] when present and not null, else nullptr; `type` checks it.
const json* member(const json& o, const char* key, json::value_t type) {
    const auto it = o.find(key);
    if (it == o.end() || it->is_null()) return nullptr;
    if (it->type() != type) bad_shape(fmt::format("{} has the wrong type", key));
    return &*it;
}

std::string string_of(const json& o, const char* key) {
    const auto* v = member(o, key, json::value_t::string);
    return v != nullptr ? v->get<std::string>() : std::string();
}

std::vector<std::string> strings_of(const json& o, const char* key) {
    std::vector<std::string> out;
    const auto* v = member(o, key, json::value_t::array);
    if (v == nullptr) return out;
    for (const auto& x : *v) {
        if (!x.is_string()) bad_shape(fmt::format("{} holds a non-string", key));
        out.push_back(x.get<std::string>());
    }
    return out;
}

attachment attachment_of(const std::string& network, const json& n) {
    if (!n.is_object()) bad_shape("a network is not an object");
    attachment a;
    a.network = network;
    a.network_id = string_of(n, "NetworkID");
    a.ipv4 = string_of(n, "IPAddress");
    if (const auto it = n.find("IPPrefixLen"); it != n.end() && it->is_number_integer()) {
        a.ipv4_prefix = it->get<int>();
    }
    a.ipv6 = string_of(n, "GlobalIPv6Address");
    a.aliases = strings_of(n, "Aliases");
    a.dns_names = strings_of(n, "DNSNames");
    return a;
}

// Config.ExposedPorts {"8080/tcp": {}, "53/udp": {}} -> [8080].
std::vector<int> exposed_tcp_ports(const json& config) {
    std::vector<int> ports;
    const auto* exposed = member(config, "ExposedPorts", json::value_t::object);
    if (exposed == nullptr) return ports;
    for (const auto& [spec, ignored] : exposed->items()) {
        const auto slash = spec.find('/');
        if (slash != std::string::npos && spec.substr(slash + 1) != "tcp") continue;
        int port = 0;
        const auto end = spec.data() + (slash == std::string::npos ? spec.size() : slash);
        const auto [ptr, ec] = std::from_chars(spec.data(), end, port);
        if (ec != std::errc() || ptr != end || port < 1 || port > 65535) {
            bad_shape(fmt::format("ExposedPorts has '{}'", spec));
        }
        ports.push_back(port);
    }
    std::sort(ports.begin(), ports.end());
    ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
    return ports;
}

// Config.Env ["KEY=VALUE", ...]: only the keys asked for; the other values are not copied.
std::map<std::string, std::string> env_of(const json& config, const std::vector<std::string>& keys) {
    std::map<std::string, std::string> env;
    const auto* list = member(config, "Env", json::value_t::array);
    if (list == nullptr || keys.empty()) return env;
    for (const auto& entry : *list) {
        if (!entry.is_string()) bad_shape("Env holds a non-string");
        const auto& text = entry.get_ref<const std::string&>();
        const auto eq = std::string_view(text).find('=');
        const auto key = std::string_view(text).substr(0, eq);
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) continue;
        env[std::string(key)] = eq == std::string_view::npos ? std::string() : text.substr(eq + 1);
    }
    return env;
}

void read_config(const json& root, const std::vector<std::string>& env_keys, container& c) {
    const auto* config = member(root, "Config", json::value_t::object);
    if (config == nullptr) return;
    c.image = string_of(*config, "Image");
    if (const auto* labels = member(*config, "Labels", json::value_t::object)) {
        for (const auto& [k, v] : labels->items()) {
            if (!v.is_string()) bad_shape("a label's value is not a string");
            c.labels[k] = v.get<std::string>();
        }
    }
    c.exposed_tcp_ports = exposed_tcp_ports(*config);
    c.env = env_of(*config, env_keys);
}

void read_networks(const json& root, container& c) {
    const auto* settings = member(root, "NetworkSettings", json::value_t::object);
    if (settings == nullptr) return;
    const auto* networks = member(*settings, "Networks", json::value_t::object);
    if (networks == nullptr) return;
    for (const auto& [name, n] : networks->items()) c.networks.push_back(attachment_of(name, n));
}

void read_mounts(const json& root, container& c) {
    const auto* mounts = member(root, "Mounts", json::value_t::array);
    if (mounts == nullptr) return;
    for (const auto& m : *mounts) {
        if (!m.is_object()) bad_shape("a mount is not an object");
        c.mounts.push_back({string_of(m, "Source"), string_of(m, "Destination")});
    }
}

}  // namespace

container container_from_inspect(std::string_view text, const std::vector<std::string>& env_keys) {
    const auto root = json::parse(text, nullptr, false);
    if (root.is_discarded()) bad_shape("not JSON");
    if (!root.is_object()) bad_shape("not an object");
    container c;
    c.id = string_of(root, "Id");
    if (c.id.empty()) bad_shape("no Id");
    c.name = string_of(root, "Name");
    if (c.name.starts_with('/')) c.name.erase(0, 1);
    if (const auto* state = member(root, "State", json::value_t::object)) {
        c.state = string_of(*state, "Status");
        if (const auto it = state->find("Running"); it != state->end() && it->is_boolean()) {
            c.running = it->get<bool>();
        }
    }
    read_config(root, env_keys, c);
    read_networks(root, c);
    read_mounts(root, c);
    return c;
}

}  // namespace ngxauth::docker
