#include "nginx_oracle.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <ngxconf/check.hpp>
#include <ngxconf/error.hpp>
#include <ngxconf/json.hpp>
#include <ngxconf/query.hpp>

extern char** environ;

namespace oracle {
namespace {

namespace fs = std::filesystem;

bool is_executable(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

fs::path find_nginx(const fs::path& given) {
    if (!given.empty()) return is_executable(given) ? given : fs::path{};
    if (const char* env = std::getenv("NGXCONF_NGINX"); env && *env) {
        return is_executable(env) ? fs::path(env) : fs::path{};
    }
    if (const char* path = std::getenv("PATH")) {
        std::string_view rest = path;
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const auto dir = rest.substr(0, colon);
            if (!dir.empty() && is_executable(fs::path(dir) / "nginx")) return fs::path(dir) / "nginx";
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
    // Debian keeps nginx in /usr/sbin, which is not on every user's PATH.
    for (const char* p : {"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"}) {
        if (is_executable(p)) return p;
    }
    return {};
}

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const fs::path& p, std::string_view bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw std::runtime_error("cannot write " + p.string());
}

struct run_result {
    int exit_code = -1;  // -1: did not exit normally (signal, timeout, spawn failure)
    std::string output;  // stdout and stderr together
};

// Runs argv[0] with stdin from /dev/null and stdout+stderr into `capture`.
run_result run(const std::vector<std::string>& argv, const fs::path& capture, int timeout_s) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, capture.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    run_result r;
    if (rc != 0) {
        r.output = "cannot run " + argv[0] + ": " + std::strerror(rc);
        return r;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    int status = 0;
    for (;;) {
        const pid_t w = ::waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            r.output = read_all(capture) + "\n(killed after " + std::to_string(timeout_s) + " s)";
            return r;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    r.output = read_all(capture);
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    return r;
}

// A double-quoted nginx string for a path (escapes '"' and '\').
std::string quoted(const fs::path& p) {
    std::string out = "\"";
    for (const char c : p.string()) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + '"';
}

// The value of `--name=` in `nginx -V` output (up to the next blank), or empty.
std::string configure_arg(std::string_view v, std::string_view name) {
    const std::string key = "--" + std::string(name) + "=";
    const auto at = v.find(key);
    if (at == std::string_view::npos) return {};
    auto value = v.substr(at + key.size());
    return std::string(value.substr(0, value.find_first_of(" \n'")));
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

}  // namespace

std::string_view to_string(conf_context c) noexcept {
    switch (c) {
        case conf_context::main: return "main";
        case conf_context::http: return "http";
        case conf_context::server: return "server";
        case conf_context::location: return "location";
    }
    return "?";
}

std::optional<conf_context> context_from_name(std::string_view name) noexcept {
    for (auto c : {conf_context::main, conf_context::http, conf_context::server,
                   conf_context::location}) {
        if (to_string(c) == name) return c;
    }
    return std::nullopt;
}

std::string describe(const verdict& v) {
    if (v.ok) return "accepted";
    std::string out = v.line ? "line " + std::to_string(v.line) + ": " : std::string("no line: ");
    out += ngxconf::json_quote(v.message);
    if (!v.in_fragment) out += " (not reported in the fragment: " + ngxconf::json_quote(v.raw) + ")";
    return out;
}

bool agree(const verdict& nginx, const verdict& library) {
    if (nginx.ok || library.ok) return nginx.ok == library.ok;
    return nginx.in_fragment && nginx.message == library.message && nginx.line == library.line;
}

verdict library_check(std::string_view fragment, const ngxconf::parse_options& options) {
    verdict v;
    auto r = ngxconf::try_parse(fragment, "frag.conf", options);
    if (r) {
        v.ok = true;
        return v;
    }
    const auto& e = r.error();
    v.message = std::string(e.description());
    v.line = e.where().begin.line;
    v.raw = e.what();
    return v;
}

std::optional<std::string> unknown_directive_name(const verdict& nginx) {
    constexpr std::string_view head = "unknown directive \"";
    const std::string_view m = nginx.message;
    if (nginx.ok || !nginx.in_fragment || m.size() <= head.size() || m.rfind(head, 0) != 0 ||
        m.back() != '"') {
        return std::nullopt;
    }
    return std::string(m.substr(head.size(), m.size() - head.size() - 1));
}

std::vector<std::string> library_names_at(std::string_view fragment, std::uint32_t line) {
    std::vector<std::string> out;
    auto r = ngxconf::try_parse(fragment, "frag.conf");
    if (!r) return out;
    std::vector<std::pair<std::uint32_t, std::string>> all;  // (name line, name), in order
    ngxconf::for_each_directive(
        r.value().root(),
        [&](const ngxconf::directive& d) {
            const auto name = d.name();
            all.emplace_back(d.name_position().line, std::string(name.substr(0, name.find('\0'))));
        },
        {.recursive = true});
    // nginx reports at the line of the terminator, which lies between the directive's name
    // and the next directive's name: every directive that starts by `line` and is followed by
    // none that starts before it may be the one.
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].first <= line && (i + 1 == all.size() || all[i + 1].first >= line)) {
            out.push_back(all[i].second);
        }
    }
    return out;
}

std::vector<std::string> oracle_modules(bool lua) {
    // `nginx -V` of Debian's 1.22.1 lists mail, stream, geoip, image_filter, perl and xslt as
    // dynamic modules the oracle's wrapper does not load; degradation is not built.
    std::vector<std::string> m = {"nginx", "-mail", "-mail_*", "-stream", "-stream_*",
                                  "-http_geoip", "-http_image_filter", "-http_perl",
                                  "-http_xslt", "-google_perftools", "-http_degradation"};
    if (lua) {
        m.emplace_back("http-lua");
        m.emplace_back("http-ndk");
    }
    return m;
}

verdict library_directive_check(std::string_view fragment, conf_context where, bool lua) {
    auto r = ngxconf::try_parse(fragment, "frag.conf");
    if (!r) return library_check(fragment);
    static constexpr ngxconf::check_context contexts[] = {
        ngxconf::check_context::main, ngxconf::check_context::http,
        ngxconf::check_context::http_server, ngxconf::check_context::http_location};
    const auto found = ngxconf::check(r.value(), {ngxconf::nginx_version::v1_22,
                                           contexts[static_cast<int>(where)], oracle_modules(lua)});
    verdict v;
    v.ok = found.empty();
    if (!v.ok) {
        v.message = found.front().message;
        v.line = found.front().where.begin.line;
        v.raw = v.message;
    }
    return v;
}

bool directive_message(std::string_view m) {
    auto ends = [m](std::string_view tail) {
        return m.size() >= tail.size() && m.substr(m.size() - tail.size()) == tail;
    };
    return m.rfind("unknown directive \"", 0) == 0 || ends("\" directive is not allowed here") ||
           m.rfind("invalid number of arguments in \"", 0) == 0 || ends("\" has no opening \"{\"") ||
           ends("\" is not terminated by \";\"");
}

verdict parse_nginx_stderr(std::string_view err, std::string_view fragment_path) {
    verdict v;
    v.raw = std::string(err);
    v.in_fragment = false;
    std::size_t tag = std::string_view::npos;
    std::size_t tag_len = 0;
    for (std::string_view t : {"[emerg] ", "[alert] ", "[crit] "}) {
        const auto at = err.find(t);
        if (at < tag) {
            tag = at;
            tag_len = t.size();
        }
    }
    if (tag == std::string_view::npos) {
        v.message = std::string(err);
        while (!v.message.empty() && v.message.back() == '\n') v.message.pop_back();
        return v;
    }
    auto rest = err.substr(tag + tag_len);
    // The error-log form puts "PID#TID: " before the message.
    if (const auto hash = rest.find('#'); hash != std::string_view::npos && hash > 0 &&
                                          all_digits(rest.substr(0, hash))) {
        const auto colon = rest.find(": ", hash);
        if (colon != std::string_view::npos && all_digits(rest.substr(hash + 1, colon - hash - 1))) {
            rest.remove_prefix(colon + 2);
        }
    }
    // " in FRAGMENT:LINE" first: a message may echo fragment bytes, a newline included.
    const std::string in_frag = " in " + std::string(fragment_path) + ":";
    if (const auto at = rest.find(in_frag); !fragment_path.empty() && at != std::string_view::npos) {
        auto digits = rest.substr(at + in_frag.size());
        digits = digits.substr(0, digits.find_first_not_of("0123456789"));
        if (all_digits(digits)) {
            v.message = std::string(rest.substr(0, at));
            v.line = static_cast<std::uint32_t>(std::stoul(std::string(digits)));
            v.in_fragment = true;
            return v;
        }
    }
    // Another file (our wrapper) or no position at all: one line of message.
    auto line = rest.substr(0, rest.find('\n'));
    if (const auto at = line.rfind(" in "); at != std::string_view::npos) {
        const auto where = line.substr(at + 4);
        const auto colon = where.rfind(':');
        if (colon != std::string_view::npos && all_digits(where.substr(colon + 1))) {
            v.line = static_cast<std::uint32_t>(std::stoul(std::string(where.substr(colon + 1))));
            line = line.substr(0, at);
        }
    }
    v.message = std::string(line);
    return v;
}

std::optional<nginx_oracle> nginx_oracle::find(const oracle_options& opts, std::string* why_not) {
    auto fail = [&](std::string why) -> std::optional<nginx_oracle> {
        if (why_not) *why_not = std::move(why);
        return std::nullopt;
    };
    nginx_oracle o;
    o.nginx_ = find_nginx(opts.nginx);
    if (o.nginx_.empty()) {
        if (!opts.nginx.empty()) return fail("not an executable: " + opts.nginx.string());
        if (const char* env = std::getenv("NGXCONF_NGINX"); env && *env) {
            return fail(std::string("NGXCONF_NGINX=") + env + " is not an executable");
        }
        return fail("no nginx on PATH nor in /usr/sbin (install nginx, or set NGXCONF_NGINX)");
    }
    o.keep_files_ = opts.keep_files;
    o.timeout_seconds_ = opts.timeout_seconds;

    std::error_code ec;
    const fs::path parent = opts.temp_parent.empty() ? fs::temp_directory_path(ec) : opts.temp_parent;
    std::string tmpl = (parent / "ngxconf-oracle.XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
        return fail("mkdtemp " + tmpl + ": " + std::strerror(errno));
    }
    o.dir_ = tmpl;

    const auto v = run({o.nginx_.string(), "-V"}, o.dir_ / "nginx.out", o.timeout_seconds_);
    if (v.exit_code != 0) return fail(o.nginx_.string() + " -V failed: " + v.output);
    const auto version_at = v.output.find("nginx/");
    if (version_at != std::string::npos) {
        o.version_ = v.output.substr(version_at, v.output.find_first_of(" \n", version_at) - version_at);
    }
    if (opts.load_lua) {
        fs::path modules = configure_arg(v.output, "modules-path");
        if (modules.empty()) modules = fs::path(configure_arg(v.output, "prefix")) / "modules";
        const auto ndk = modules / "ndk_http_module.so";
        const auto lua = modules / "ngx_http_lua_module.so";
        if (fs::exists(ndk, ec) && fs::exists(lua, ec)) {
            o.lua_modules_ = "load_module " + quoted(ndk) + ";\nload_module " + quoted(lua) + ";\n";
        } else {
            o.lua_problem_ = "no ndk_http_module.so and ngx_http_lua_module.so in " + modules.string();
        }
    } else {
        o.lua_problem_ = "not requested";
    }
    // The wrapper must accept an empty fragment; if lua is what breaks it (Debian's module
    // needs lua-resty-core), go on without lua rather than with no oracle at all.
    auto probe = o.check("", conf_context::location);
    if (!probe.ok && o.lua_loaded()) {
        o.lua_problem_ = "nginx fails with the lua module loaded: " + probe.raw;
        o.lua_modules_.clear();
        probe = o.check("", conf_context::location);
    }
    if (!probe.ok) return fail(o.nginx_.string() + " -t rejects an empty fragment: " + probe.raw);
    return o;
}

nginx_oracle::nginx_oracle(nginx_oracle&& other) noexcept
    : nginx_(std::move(other.nginx_)),
      version_(std::move(other.version_)),
      lua_modules_(std::move(other.lua_modules_)),
      lua_problem_(std::move(other.lua_problem_)),
      dir_(std::exchange(other.dir_, {})),
      keep_files_(other.keep_files_),
      timeout_seconds_(other.timeout_seconds_) {}

nginx_oracle& nginx_oracle::operator=(nginx_oracle&& other) noexcept {
    if (this != &other) {
        remove_work_dir();
        nginx_ = std::move(other.nginx_);
        version_ = std::move(other.version_);
        lua_modules_ = std::move(other.lua_modules_);
        lua_problem_ = std::move(other.lua_problem_);
        dir_ = std::exchange(other.dir_, {});
        keep_files_ = other.keep_files_;
        timeout_seconds_ = other.timeout_seconds_;
    }
    return *this;
}

nginx_oracle::~nginx_oracle() { remove_work_dir(); }

void nginx_oracle::remove_work_dir() noexcept {
    if (dir_.empty() || keep_files_) return;
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
}

std::string nginx_oracle::wrapper(conf_context where) const {
    const auto d = [&](const char* name) { return quoted(dir_ / name); };
    const std::string include = "include " + d("frag.conf") + ";\n";
    std::string c = "# written by ngxconf's nginx oracle (tests/nginx_oracle.cpp)\n";
    c += lua_modules_;
    c += "pid " + d("nginx.pid") + ";\n";
    c += "error_log stderr;\n";
    c += "events {}\n";
    if (where == conf_context::main) return c + include;
    c += "http {\n";
    c += "access_log off;\n";
    c += "client_body_temp_path " + d("client_body_temp") + ";\n";
    c += "proxy_temp_path " + d("proxy_temp") + ";\n";
    c += "fastcgi_temp_path " + d("fastcgi_temp") + ";\n";
    c += "uwsgi_temp_path " + d("uwsgi_temp") + ";\n";
    c += "scgi_temp_path " + d("scgi_temp") + ";\n";
    if (where == conf_context::http) return c + include + "}\n";
    // `nginx -t` parses `listen` but binds nothing: no port is ever opened.
    c += "server {\nlisten 127.0.0.1:8080;\nserver_name oracle.test;\n";
    if (where == conf_context::server) return c + include + "}\n}\n";
    return c + "location / {\n" + include + "}\n}\n}\n";
}

verdict nginx_oracle::check(std::string_view fragment, conf_context where) const {
    const auto frag = dir_ / "frag.conf";
    const auto main_conf = dir_ / "main.conf";
    write_all(frag, fragment);
    write_all(main_conf, wrapper(where));
    const auto r = run({nginx_.string(), "-t", "-q", "-p", dir_.string() + "/", "-c",
                        main_conf.string(), "-e", "stderr"},
                       dir_ / "nginx.out", timeout_seconds_);
    if (r.exit_code == 0) {
        verdict v;
        v.ok = true;
        v.raw = r.output;
        return v;
    }
    return parse_nginx_stderr(r.output, frag.string());
}

fixture_header read_fixture_header(std::string_view text) {
    fixture_header h;
    auto first = text.substr(0, text.find('\n'));
    if (first.empty() || first[0] != '#') return h;
    auto word_after = [&](std::string_view key) -> std::string_view {
        const auto at = first.find(key);
        if (at == std::string_view::npos) return {};
        auto rest = first.substr(at + key.size());
        rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
        return rest.substr(0, rest.find_first_of(" \t\r"));
    };
    if (const auto ctx = word_after("context:"); !ctx.empty()) {
        const auto c = context_from_name(ctx);
        if (!c) throw std::invalid_argument("unknown context \"" + std::string(ctx) + "\"");
        h.context = *c;
    }
    h.needs_lua = word_after("needs:") == "lua";
    return h;
}

}  // namespace oracle
