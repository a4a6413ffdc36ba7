// Finding SWAG's container among those the Engine listed (locate.hpp).
#include "locate.hpp"

#include <algorithm>
#include <string>

namespace ngxauth::docker {
namespace {

namespace fs = std::filesystem;

// The repository part of an image reference: no digest, no tag (a ':' after the last '/' is
// a tag; one before it belongs to a registry's port).
std::string_view repository_of(std::string_view image) {
    image = image.substr(0, image.find('@'));
    const auto slash = image.rfind('/');
    const auto colon = image.rfind(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
        image = image.substr(0, colon);
    }
    return image;
}

fs::path normal(const fs::path& p) {
    std::error_code ec;
    auto c = fs::weakly_canonical(p, ec);
    if (ec) c = p.lexically_normal();
    auto s = c.string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

// "/docker/swag/config -> /config" for messages, or "no /config mount".
std::string config_mount_text(const container& c) {
    for (const auto& m : c.mounts) {
        if (m.destination == "/config" || m.destination == "/config/nginx") {
            return m.source + " at " + m.destination;
        }
    }
    return "no bind mount at /config";
}

bool matches_wanted(const container& c, std::string_view wanted) {
    if (c.name == wanted) return true;
    return wanted.size() >= 4 && c.id.compare(0, wanted.size(), wanted) == 0;
}

}  // namespace

bool image_is(std::string_view image, std::string_view repository) {
    const auto repo = repository_of(image);
    if (repo == repository) return true;
    return repo.size() > repository.size() && repo.ends_with(repository) &&
           repo[repo.size() - repository.size() - 1] == '/';
}

std::optional<fs::path> host_path_of(const container& c, std::string_view container_path) {
    const mount* best = nullptr;
    const std::string_view path = container_path;
    for (const auto& m : c.mounts) {
        std::string_view dest = m.destination;
        while (dest.size() > 1 && dest.ends_with('/')) dest.remove_suffix(1);
        const bool holds = path == dest || (path.starts_with(dest) && path.size() > dest.size() &&
                                            (dest == "/" || path[dest.size()] == '/'));
        if (holds && (!best || dest.size() > best->destination.size())) best = &m;
    }
    if (!best) return std::nullopt;
    const auto rest = fs::path(std::string(path)).lexically_relative(best->destination);
    return rest.empty() || rest == "." ? fs::path(best->source) : fs::path(best->source) / rest;
}

bool serves_tree(const container& c, const fs::path& root) {
    const auto host = host_path_of(c, "/config/nginx");
    return host && normal(*host) == normal(root);
}

swag_found locate_swag(const std::vector<container>& all, std::string_view wanted,
                       const fs::path& root) {
    using ngxconf::diag_code;
    using ngxconf::severity;
    std::vector<const container*> candidates;
    for (const auto& c : all) {
        const bool pick = wanted.empty()
                              ? image_is(c.image, "linuxserver/swag")
                              : matches_wanted(c, wanted);
        if (pick) candidates.push_back(&c);
    }
    swag_found out;
    if (candidates.empty()) {
        out.finding = wanted.empty()
            ? finding(severity::info, diag_code::docker_swag_missing,
                      "no SWAG container (image lscr.io/linuxserver/swag) among the Engine's "
                      "containers; the container checks are skipped",
                      "name it with --swag-container NAME")
            : finding(severity::warning, diag_code::docker_swag_missing,
                      "--swag-container " + std::string(wanted) + " names no container",
                      "docker ps -a lists them");
        return out;
    }
    const auto rank = [&](const container* c) {
        return (c->running ? 2 : 0) + (serves_tree(*c, root) ? 1 : 0);
    };
    // stable: the first listed wins a tie.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](const container* a, const container* b) { return rank(a) > rank(b); });
    out.swag = candidates.front();
    out.serves_root = serves_tree(*out.swag, root);
    if (!out.serves_root) {
        const auto host = host_path_of(*out.swag, "/config/nginx");
        out.finding = finding(
            severity::warning, diag_code::docker_swag_mount,
            "SWAG's container " + out.swag->name + " has " + config_mount_text(*out.swag) +
                (host ? ", so its /config/nginx is " + host->string() : std::string()) +
                ", not the tree ngxauth edits (" + root.string() + ")",
            host ? "run ngxauth with --root " + host->string() + ", or name the right container with --swag-container"
                 : "mount the folder holding " + root.string() + " at /config, or --swag-container NAME");
    }
    return out;
}

ngxconf::diagnostic finding(ngxconf::severity level, ngxconf::diag_code code, std::string message,
                            std::string fix, const std::filesystem::path& file, std::uint32_t line) {
    ngxconf::diagnostic d;
    d.level = level;
    d.code = code;
    d.message = std::move(message);
    if (!fix.empty()) d.message += ": " + fix;
    d.fix = std::move(fix);
    if (!file.empty()) d.where.file = file.string();
    d.where.begin.line = line;
    return d;
}

}  // namespace ngxauth::docker
