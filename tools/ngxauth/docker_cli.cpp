// Docker for the commands (docker_cli.hpp).
#include "docker_cli.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <cstdlib>

#include "docker/checks.hpp"
#include "docker/tree_upstreams.hpp"

namespace ngxauth {

// engine_options_of: cmd_docker.cpp.

docker_view look_at_docker(const options& o, const std::filesystem::path& root,
                           const std::vector<std::string>& env_keys) {
    docker_view v;
    if (o.docker.off) return v;
    try {
        v.engine = docker::engine::connect(engine_options_of(o.docker));
        v.containers = v.engine->containers({}, env_keys);
    } catch (const docker::docker_error& e) {
        v.engine.reset();
        ngxconf::diagnostic d;
        d.level = ngxconf::severity::warning;
        d.code = e.code();
        d.message = std::string("Docker: ") + e.what();
        d.fix = "--no-docker: do not ask Docker";
        v.notes.push_back(std::move(d));
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

namespace ngxauth {
namespace {

std::string shell_quoted(std::string_view arg) {
    std::string out = "'";
    for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string self_path() {
    std::error_code ec;
    const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("ngxauth") : p.string();
}

// The shell command running `argv` in `container` through this binary's __docker-exec.
std::string exec_in(const options& o, const std::string& container, double timeout,
                    const std::vector<std::string>& argv) {
    std::string cmd = shell_quoted(self_path()) + " " + docker_exec_command;
    if (o.docker.host) cmd += " --docker-host " + shell_quoted(*o.docker.host);
    cmd += fmt::format(" --docker-timeout {} --exec-timeout {}", o.docker.timeout,
                       timeout > 0 ? timeout : 86400.0);
    cmd += " " + shell_quoted(container);
    for (const auto& a : argv) cmd += " " + shell_quoted(a);
    return cmd;
}

ngxconf::diagnostic note(ngxconf::severity level, ngxconf::diag_code code, std::string message) {
    return {level, code, std::move(message), {}, {}, {}};
}

}  // namespace

write_plan plan_write(const options& o, const std::filesystem::path& root) {
    using ngxconf::diag_code;
    using ngxconf::severity;
    write_plan p;
    const bool validate_auto = o.validate.empty() || o.validate == "auto";
    const bool reload_auto = o.reload == "auto";
    if (!validate_auto) p.validate_command = p.validate_shown = o.validate;
    if (!o.reload.empty() && !reload_auto) p.reload_command = p.reload_shown = o.reload;
    if (!validate_auto && !reload_auto) return p;

    const bool asked = o.validate == "auto" || reload_auto;
    if (o.docker.off && !asked) {
        p.notes.push_back(note(severity::warning, diag_code::docker_not_validated,
                               "nothing validated the change (no --validate CMD; --no-docker)"));
        return p;
    }
    if (o.docker.off) {
        throw docker::docker_error(diag_code::docker_unreachable,
                                   "--validate auto and --reload auto run nginx in SWAG's container; "
                                   "--no-docker turns Docker off");
    }
    auto view = look_at_docker(o, root, reload_auto ? std::vector<std::string>{"SWAG_AUTORELOAD"}
                                                    : std::vector<std::string>{});
    const bool usable = view.swag && view.swag->running && view.serves_root;
    if (!usable) {
        if (asked) {
            std::string why = view.notes.empty() ? "SWAG's container is not running"
                                                 : view.notes.front().message;
            throw docker::docker_error(view.notes.empty() || view.notes.front().code == diag_code::docker_swag_mount
                                           ? diag_code::docker_swag_missing
                                           : view.notes.front().code,
                                       "no running SWAG container serving " + root.string() +
                                           " for --validate/--reload auto: " + why);
        }
        const std::string why = view.notes.empty() ? "SWAG's container is not running"
                                                   : view.notes.front().message;
        p.notes.push_back(note(severity::warning, diag_code::docker_not_validated,
                               "nothing validated the change (no --validate CMD, and no SWAG "
                               "container to run nginx -t in: " + why + ")"));
        return p;
    }
    const auto& name = view.swag->name;
    if (validate_auto) {
        p.validate_command = exec_in(o, name, o.validate_timeout, {"nginx", "-c", "/config/nginx/nginx.conf", "-t"});
        p.validate_shown = "nginx -t in container " + name;
        p.in_container = true;
    }
    if (reload_auto) {
        const auto env = view.swag->env.find("SWAG_AUTORELOAD");
        if (env != view.swag->env.end() && env->second == "true") {
            p.notes.push_back(note(severity::info, diag_code::docker_swag_reloads,
                                   "SWAG_AUTORELOAD=true in container " + name +
                                       ": SWAG reloads nginx itself when a conf changes"));
        } else {
            p.reload_command = exec_in(o, name, o.docker.timeout * 6, {"nginx", "-c", "/config/nginx/nginx.conf", "-s", "reload"});
            p.reload_shown = "nginx -c /config/nginx/nginx.conf -s reload in container " + name;
        }
    }
    return p;
}

int docker_exec_main(int argc, char** argv) {
    docker_options d;
    double exec_timeout = 120;
    int i = 2;
    for (; i + 1 < argc; i += 2) {
        const std::string_view flag = argv[i];
        if (flag == "--docker-host") {
            d.host = argv[i + 1];
        } else if (flag == "--docker-timeout") {
            d.timeout = std::strtod(argv[i + 1], nullptr);
        } else if (flag == "--exec-timeout") {
            exec_timeout = std::strtod(argv[i + 1], nullptr);
        } else {
            break;
        }
    }
    if (i + 1 >= argc) {
        std::fputs("ngxauth __docker-exec: CONTAINER and a command needed\n", stderr);
        return 125;
    }
    try {
        const auto e = docker::engine::connect(engine_options_of(d));
        const auto r = e.exec(argv[i], std::vector<std::string>(argv + i + 1, argv + argc), exec_timeout);
        std::fwrite(r.output.data(), 1, r.output.size(), stdout);
        return r.exit_code;
    } catch (const std::exception& ex) {
        std::fprintf(stderr, "ngxauth: cannot run in container %s: %s\n", argv[i], ex.what());
        return 125;
    }
}

}  // namespace ngxauth
