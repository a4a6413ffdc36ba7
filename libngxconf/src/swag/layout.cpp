// layout::detect: where SWAG's nginx folder is on this machine.
#include <cstdlib>

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
    for (const auto& [from, path] : tried) {
        const std::string why = why_not(path);
        if (why.empty()) {
            layout out;
            out.root = normal(path);
            return out;
        }
        message += (first ? "" : ", ") + path.string() + " (" + from + ": " + why + ")";
        first = false;
    }
    throw error(diag_code::swag_root_not_found, std::move(message));
}

}  // namespace ngxconf::swag
