#pragma once
// Where the Authentik API is and how to authenticate to it: from the command line, the
// environment ($AUTHENTIK_TOKEN) or the config file `ngxauth authentik login` saved. The token
// is never taken from the command line, and it is removed from the environment once read so
// that no child process (--validate, --reload) inherits it.
#include <filesystem>
#include <optional>
#include <string>

namespace ngxauth::authentik {

// What the command line said (each empty when not given).
struct connection_options {
    std::string url;                 // --authentik-url
    std::string token_file;          // --authentik-token-file
    std::string ca_file;             // --ca-file
    bool insecure = false;           // --insecure
    double timeout = 10;             // --authentik-timeout SECONDS
};

struct connection {
    std::string url;      // "https://auth.example.com" (no trailing slash)
    std::string token;    // secret: never printed
    std::string ca_file;  // "" for the system's CAs
    bool insecure = false;
    double timeout = 10;
};

// ${NGXAUTH_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/ngxauth/authentik.json}
[[nodiscard]] std::filesystem::path config_path();

// The connection the options and the saved config give, or nullopt when neither names a URL
// (the Authentik half is then not run). Throws api_error: token_missing, token_file_unsafe.
[[nodiscard]] std::optional<connection> resolve(const connection_options& o);

// Writes the config file (0600, through a temporary file and a rename).
void save_config(const connection& c);

// A token file's contents, its first line; refused when group or others may read it.
[[nodiscard]] std::string read_token_file(const std::filesystem::path& file);

}  // namespace ngxauth::authentik
