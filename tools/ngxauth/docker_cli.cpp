// Docker for the commands (docker_cli.hpp).
#include "docker_cli.hpp"

#include "docker/checks.hpp"
#include "docker/tree_upstreams.hpp"

namespace ngxauth {

docker::engine_options engine_options_of(const docker_options& o) {
    docker::engine_options e;
    if (o.host) e.where = docker::parse_docker_host(*o.host);
    e.timeout_seconds = o.timeout;
    return e;
}

docker_view look_at_docker(const options& o, const std::filesystem::path& root,
                           const std::vector<std::string>& env_keys) {
    docker_view v;
    if (o.docker.off) return v;
    try {
        v.engine = docker::engine::connect(engine_options_of(o.docker));
        v.containers = v.engine->containers({}, env_keys);
    } catch (const docker::docker_error& e) {
        v.engine.reset();
        v.notes.push_back({ngxconf::severity::warning, e.code(),
                           std::string("Docker: ") + e.what() + " (--no-docker: do not ask)", {}, {}, {}});
        return v;
    }
    const auto found = docker::locate_swag(v.containers, o.docker.swag_container, root);
    if (found.swag) v.swag = *found.swag;
    v.serves_root = found.serves_root;
    if (found.finding) v.notes.push_back(*found.finding);
    return v;
}

std::vector<ngxconf::diagnostic> docker_findings(const options& o, ngxconf::swag::session& s) {
    const auto view = look_at_docker(o, s.where().root, {docker::trusted_proxy_key});
    auto out = view.notes;
    if (!view.swag) return out;
    const auto apps = s.status();
    for (auto& f : docker::check_apps(*view.swag, view.containers, docker::app_upstreams(apps))) {
        out.push_back(std::move(f));
    }
    for (auto& f : docker::check_auth(*view.swag, view.containers,
                                      docker::auth_upstreams(s.where().root, apps))) {
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace ngxauth
