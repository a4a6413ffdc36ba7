// The remote outpost's compose.yaml and .env (kit.hpp).
#include "kit.hpp"

#include <fmt/core.h>

#include <vector>

#include "private_file.hpp"

namespace ngxauth::authentik {
namespace {

// A YAML double-quoted scalar: only the characters YAML escapes there.
std::string yaml_quote(const std::string& s) {
    std::string out = "\"";
    for (const char ch : s) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
    }
    return out + "\"";
}

}  // namespace

std::string compose_yaml(const kit& k) {
    return fmt::format(
        "# The authentik proxy outpost {name}, written by `ngxauth outpost create`.\n"
        "# Start it with `docker compose up -d` in this folder; the token is in .env.\n"
        "services:\n"
        "  outpost:\n"
        "    image: {image}\n"
        "    container_name: {name_q}\n"
        "    restart: unless-stopped\n"
        "    env_file: .env\n"
        "    ports:\n"
        "      - \"9000:9000\"\n"
        "      - \"9443:9443\"\n",
        fmt::arg("name", k.name), fmt::arg("name_q", yaml_quote(k.name)),
        fmt::arg("image", yaml_quote("ghcr.io/goauthentik/proxy:" + k.version)));
}

std::string env_file(const kit& k) {
    return fmt::format("AUTHENTIK_HOST={}\nAUTHENTIK_INSECURE=false\nAUTHENTIK_TOKEN={}\n",
                       k.authentik_host, k.token);
}

std::vector<std::string> write_kit(const std::filesystem::path& dir, const kit& k) {
    std::filesystem::create_directories(dir);
    std::vector<std::string> changed;
    if (write_file(dir / "compose.yaml", compose_yaml(k), 0644)) changed.emplace_back("compose.yaml");
    if (write_file(dir / ".env", env_file(k), 0600)) changed.emplace_back(".env");
    return changed;
}

}  // namespace ngxauth::authentik
