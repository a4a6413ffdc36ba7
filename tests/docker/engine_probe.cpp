// A command line over the Engine client's calls the CLI does not expose on its own, for
// tests/e2e/docker_engine_e2e.sh against a real daemon:
//   ngxauth_docker_probe HOST TIMEOUT exec CONTAINER EXEC_TIMEOUT ARGV...
//       the command's output on stdout, "exit_code=N" on stderr
//   ngxauth_docker_probe HOST TIMEOUT events COUNT SECONDS
//       a line "ACTION NAME" per container event; stops after COUNT events or SECONDS
//   ngxauth_docker_probe HOST TIMEOUT inspect NAME [ENV_KEY...]
//       "missing", or the name and each kept environment entry "KEY=VALUE", a line each
// A docker_error prints its code's name on stdout and its message on stderr, exit 7.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "docker/engine.hpp"

namespace {

using namespace ngxauth::docker;

int run_exec(const engine& e, const std::vector<std::string>& args) {
    if (args.size() < 3) return 2;
    const std::vector<std::string> argv(args.begin() + 2, args.end());
    const auto r = e.exec(args[0], argv, std::stod(args[1]));
    std::cout << r.output << std::flush;
    std::cerr << "exit_code=" << r.exit_code << "\n";
    return 0;
}

int run_events(const engine& e, const std::vector<std::string>& args) {
    if (args.size() != 2) return 2;
    const auto wanted = std::stoul(args[0]);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long>(std::stod(args[1]) * 1000));
    std::size_t seen = 0;
    e.events(
        [&](const event& ev) {
            std::cout << ev.action << " " << ev.name << std::endl;
            return ++seen < wanted;
        },
        [&] { return std::chrono::steady_clock::now() < deadline; });
    return 0;
}

int run_inspect(const engine& e, const std::vector<std::string>& args) {
    if (args.empty()) return 2;
    const std::vector<std::string> keys(args.begin() + 1, args.end());
    const auto c = e.inspect(args[0], keys);
    if (!c) {
        std::cout << "missing\n";
        return 0;
    }
    std::cout << c->name << "\n";
    for (const auto& [k, v] : c->env) std::cout << k << "=" << v << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() < 3) {
        std::cerr << "usage: ngxauth_docker_probe HOST TIMEOUT exec|events|inspect ARGS...\n";
        return 2;
    }
    try {
        engine_options o;
        o.where = parse_docker_host(args[0]);
        o.timeout_seconds = std::stod(args[1]);
        const auto e = engine::connect(o);
        const std::vector<std::string> rest(args.begin() + 3, args.end());
        if (args[2] == "exec") return run_exec(e, rest);
        if (args[2] == "events") return run_events(e, rest);
        if (args[2] == "inspect") return run_inspect(e, rest);
        return 2;
    } catch (const docker_error& e) {
        std::cout << ngxconf::to_string(e.code()) << std::endl;
        std::cerr << e.what() << "\n";
        return 7;
    }
}
