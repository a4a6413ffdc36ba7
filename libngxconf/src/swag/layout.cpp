// layout::detect: where SWAG's nginx folder is on this machine.
#include <cstdlib>
#include <optional>

#include "detail.hpp"

namespace ngxconf::swag {
namespace {

namespace fs = std::filesystem;

// Why `root` is not a SWAG nginx folder, or "" when it is one.
std::string why_not(const fs::path& root) {
    std::error_code ec;
    if (!fs::exists(root, ec)) return "does not exist";
    if (!fs::is_directory(root, ec)) return "is not a directory";
    if (!fs::is_directory(root / "proxy-confs", ec)) return "has no proxy-confs/ folder";
    return {};
}

fs::path normal(const fs::path& p) {
    std::error_code ec;
    fs::path a = fs::absolute(p, ec);
    if (ec) a = p;
    a = a.lexically_normal();
    // "/x/y/" -> "/x/y": the file name part must not be empty
    if (a.has_relative_path() && a.filename().empty()) a = a.parent_path();
    return a;
}

// The SWAG nginx folder near a wrong one: ROOT/nginx or ROOT/config/nginx (a level or two
// too high: the folder mounted as /config, or SWAG's own), ROOT/.. (the proxy-confs/ folder
// itself, or a folder in ROOT).
std::optional<fs::path> nearby_root(const fs::path& given) {
    const fs::path root = normal(given);
    for (const fs::path& p : {root / "nginx", root / "config" / "nginx", root.parent_path()}) {
        if (p != root && why_not(p).empty()) return p;
    }
    return std::nullopt;
}

}  // namespace

layout layout::detect(const std::optional<fs::path>& explicit_root) {
    std::vector<std::pair<std::string, fs::path>> tried;  // {where from, path}
    if (explicit_root) {
        tried.emplace_back("--root", *explicit_root);
    } else if (const char* env = std::getenv("NGXAUTH_ROOT"); env && *env) {
        tried.emplace_back("$NGXAUTH_ROOT", env);
    } else {
        tried.emplace_back("default", "/config/nginx");
        tried.emplace_back("default", "/docker/swag/config/nginx");
    }
    std::string message = "no SWAG nginx folder (one holding proxy-confs/) found; looked at ";
    bool first = true;
    std::vector<std::string> hints;  // SWAG folders near a wrong one
    for (const auto& [from, path] : tried) {
        if (path.empty()) {
            throw error(diag_code::swag_root_not_found, from + " is empty: name the SWAG nginx folder");
        }
        const std::string why = why_not(path);
        if (why.empty()) {
            layout out;
            out.root = normal(path);
            return out;
        }
        message += (first ? "" : ", ") + path.string() + " (" + from + ": " + why + ")";
        first = false;
        if (auto near = nearby_root(path)) hints.push_back(near->string());
    }
    throw error(diag_code::swag_root_not_found, std::move(message), std::move(hints));
}

}  // namespace ngxconf::swag
