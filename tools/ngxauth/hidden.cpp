// The hidden commands (hidden.hpp).
#include "hidden.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cli_dump.hpp"
#include "docker_cli.hpp"
#include "ngxconf/swag/swag.hpp"

namespace ngxauth {
namespace {

namespace fs = std::filesystem;

// --root DIR or --root=DIR as the completion found it on the command line being typed.
std::optional<fs::path> root_argument(int argc, char** argv) {
    for (int i = 2; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (word == "--root" && i + 1 < argc && *argv[i + 1] != '\0') return fs::path(argv[i + 1]);
        if (word.starts_with("--root=") && word.size() > 7) return fs::path(word.substr(7));
    }
    return std::nullopt;
}

bool has_word(int argc, char** argv, std::string_view wanted) {
    for (int i = 2; i < argc; ++i) {
        if (argv[i] == wanted) return true;
    }
    return false;
}

using app_kinds = std::map<std::string, std::vector<std::string>>;

// The kinds (subdomain, subfolder) of each proxy-conf of ROOT whose name ends in
// .KIND`ending` (".conf": active, ".conf.sample": SWAG's sample), by app name.
void add_apps(app_kinds& apps, const fs::path& proxy_confs, std::string_view ending) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(proxy_confs, ec)) {
        const std::string file = entry.path().filename().string();
        for (const std::string_view kind : {"subdomain", "subfolder"}) {
            const std::string suffix = "." + std::string(kind) + std::string(ending);
            if (file.size() <= suffix.size() || !file.ends_with(suffix)) continue;
            const std::string app = file.substr(0, file.size() - suffix.size());
            // SWAG's _template.*.conf.sample are not apps (nor a copy of them).
            if (app.starts_with('_')) continue;
            auto& kinds = apps[app];
            if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.emplace_back(kind);
        }
    }
}

// Every name protect/unprotect/status accept for an app: APP, and APP.subdomain and
// APP.subfolder when it is there both ways. With --from-sample on the line being typed (the
// shells pass it on), the apps SWAG only has as .sample are offered too, which is what that
// flag activates. Nothing when there is no ROOT: a completion stays quiet.
int complete_apps(int argc, char** argv) {
    try {
        const auto where = ngxconf::swag::layout::detect(root_argument(argc, argv));
        const fs::path proxy_confs = where.root / "proxy-confs";
        app_kinds apps;
        add_apps(apps, proxy_confs, ".conf");
        if (has_word(argc, argv, "--from-sample")) {
            app_kinds samples;
            add_apps(samples, proxy_confs, ".conf.sample");
            apps.merge(samples);  // an active app keeps its active kinds
        }
        for (auto& [app, kinds] : apps) {
            std::cout << app << '\n';
            if (kinds.size() < 2) continue;
            std::sort(kinds.begin(), kinds.end());
            for (const auto& kind : kinds) std::cout << app << '.' << kind << '\n';
        }
    } catch (const std::exception&) {
        // No SWAG tree: no names.
    }
    return 0;
}

}  // namespace

std::optional<int> run_hidden_command(const CLI::App& app, int argc, char** argv) {
    if (ngxtools::wants_cli_dump(argc, argv)) {
        ngxtools::dump_cli(app, std::cout);
        return 0;
    }
    if (argc >= 2 && std::string_view(argv[1]) == "__complete-apps") return complete_apps(argc, argv);
    if (argc >= 2 && std::string_view(argv[1]) == docker_exec_command) return docker_exec_main(argc, argv);
    return std::nullopt;
}

}  // namespace ngxauth
