#pragma once
// The files a remote proxy outpost runs from: compose.yaml (the proxy image pinned to the
// server's version) and .env (where Authentik is and the outpost's token; 0600).
#include <filesystem>
#include <string>
#include <vector>

namespace ngxauth::authentik {

struct kit {
    std::string name;            // the outpost's name (the container's)
    std::string version;         // the server's version: ghcr.io/goauthentik/proxy:VERSION
    std::string authentik_host;  // AUTHENTIK_HOST
    std::string token;           // AUTHENTIK_TOKEN (secret)
};

[[nodiscard]] std::string compose_yaml(const kit& k);
[[nodiscard]] std::string env_file(const kit& k);

// Writes DIR/compose.yaml (0644) and DIR/.env (0600); the names of the files it changed.
std::vector<std::string> write_kit(const std::filesystem::path& dir, const kit& k);

}  // namespace ngxauth::authentik
