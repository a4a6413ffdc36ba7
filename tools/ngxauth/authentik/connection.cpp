// The Authentik connection: flags, $AUTHENTIK_TOKEN, the saved config file.
#include "connection.hpp"

#include <sys/stat.h>
#include <unistd.h>  // unsetenv

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "api_error.hpp"
#include "private_file.hpp"

namespace ngxauth::authentik {
namespace {

namespace fs = std::filesystem;
using ngxconf::diag_code;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr ? std::string(v) : std::string();
}

std::string trimmed_first_line(const std::string& s) {
    std::string line = s.substr(0, s.find('\n'));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
        line.pop_back();
    }
    return line;
}

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

// A file holding a secret must be the user's alone.
void require_private(const fs::path& file, const char* what) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        throw api_error(diag_code::authentik_token_missing,
                        std::string(what) + " " + file.string() + ": " + std::strerror(errno));
    }
    if ((st.st_mode & 077) != 0) {
        throw api_error(diag_code::authentik_token_file_unsafe,
                        std::string(what) + " " + file.string() +
                            " can be read by others; the API token must be yours alone",
                        {"chmod 600 " + file.string()});
    }
}

std::string read_all(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct saved {
    std::string url, token, ca_file;
};

std::optional<saved> read_config() {
    const auto path = config_path();
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    require_private(path, "the config file");
    const auto j = nlohmann::json::parse(read_all(path), nullptr, false);
    if (!j.is_object()) {
        throw api_error(diag_code::authentik_bad_response,
                        "the config file " + path.string() + " is not a JSON object",
                        {"run `ngxauth authentik login` again"}, 3);
    }
    saved s;
    s.url = j.value("url", "");
    s.token = j.value("token", "");
    s.ca_file = j.value("ca_file", "");
    return s;
}

}  // namespace

fs::path config_path() {
    if (auto p = env("NGXAUTH_CONFIG"); !p.empty()) return p;
    fs::path base = env("XDG_CONFIG_HOME");
    if (base.empty()) base = fs::path(env("HOME")) / ".config";
    return base / "ngxauth" / "authentik.json";
}

std::string read_token_file(const fs::path& file) {
    require_private(file, "the token file");
    auto token = trimmed_first_line(read_all(file));
    if (token.empty()) {
        throw api_error(diag_code::authentik_token_missing,
                        "the token file " + file.string() + " is empty");
    }
    return token;
}

std::optional<connection> resolve(const connection_options& o) {
    const auto config = read_config();
    connection c;
    c.url = without_trailing_slash(!o.url.empty() ? o.url : config ? config->url : "");
    if (c.url.empty()) return std::nullopt;
    // Read once, then gone from the environment: children never see it.
    const auto from_env = env("AUTHENTIK_TOKEN");
    ::unsetenv("AUTHENTIK_TOKEN");
    if (!o.token_file.empty()) {
        c.token = read_token_file(o.token_file);
    } else if (!from_env.empty()) {
        c.token = from_env;
    } else if (config && !config->token.empty()) {
        c.token = config->token;
    } else {
        throw api_error(diag_code::authentik_token_missing,
                        "no Authentik API token: give --authentik-token-file FILE, set "
                        "AUTHENTIK_TOKEN, or run `ngxauth authentik login`",
                        {"create a token in Authentik: Directory > Tokens and App passwords, "
                         "intent API"});
    }
    c.ca_file = !o.ca_file.empty() ? o.ca_file : config ? config->ca_file : "";
    c.insecure = o.insecure;
    c.timeout = o.timeout;
    return c;
}

void save_config(const connection& c) {
    const auto path = config_path();
    fs::create_directories(path.parent_path());
    nlohmann::json j{{"url", c.url}, {"token", c.token}};
    if (!c.ca_file.empty()) j["ca_file"] = fs::absolute(c.ca_file).string();
    (void)write_file(path, j.dump(2) + "\n", 0600);
}

}  // namespace ngxauth::authentik
