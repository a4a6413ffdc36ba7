#pragma once
// The real nginx as a test oracle: is a configuration fragment syntactically valid, and if not,
// which message and line does nginx report? Used by tests/nginx_oracle_test.cpp (fixtures) and
// meant for differential testing (random fragments): compare oracle::nginx_oracle::check()
// with oracle::library_check() through oracle::agree().
//
// A check writes the fragment as frag.conf into the oracle's own temporary folder, wraps it in
// a main configuration of ours that includes it where its directives are valid (main, http,
// server or location level), and runs `nginx -t -q -p DIR/ -c DIR/main.conf -e stderr`. Every
// path nginx would touch (pid, error log, temp paths) lies inside DIR, the access log is off and
// `nginx -t` opens no listening socket, so neither root nor port 80 is needed.
//
// Not thread-safe: one oracle runs one nginx at a time. Use one oracle per thread.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ngxconf/document.hpp>

namespace oracle {

// Where the fragment is included in the wrapper configuration.
enum class conf_context : std::uint8_t { main, http, server, location };
[[nodiscard]] std::string_view to_string(conf_context c) noexcept;
[[nodiscard]] std::optional<conf_context> context_from_name(std::string_view name) noexcept;

// What nginx (or the library) said about a fragment.
struct verdict {
    bool ok = false;
    std::string message;      // nginx's words, without " in FILE:LINE"; empty when ok
    std::uint32_t line = 0;   // line within the fragment; 0 when unknown or ok
    // nginx only: the error was reported for the fragment file (not our wrapper, nor a
    // message without position such as `unknown "x" variable`).
    bool in_fragment = true;
    std::string raw;          // nginx: its whole stderr; library: error::what()
};

// "ok" or "LINE: message" (with a note when nginx blamed another file).
[[nodiscard]] std::string describe(const verdict& v);

// Both accept, or both reject with the same message in the fragment at the same line.
[[nodiscard]] bool agree(const verdict& nginx, const verdict& library);

// The library's verdict: ngxconf::try_parse on the fragment bytes.
[[nodiscard]] verdict library_check(std::string_view fragment,
                                    const ngxconf::parse_options& options = {});

// nginx names a directive it does not know by its reading of the first word (quotes removed,
// escapes decoded): `unknown directive "X"` in the fragment gives X, any other verdict nothing.
[[nodiscard]] std::optional<std::string> unknown_directive_name(const verdict& nginx);

// The names (directive::name()) of the library's directives nginx may blame at `line` of the
// fragment (nginx gives the line of the `;` or `{` after the name): those whose name starts by
// that line and whose successor starts on it or later. Each name is cut at its first NUL
// byte, as nginx prints it (a C string). Empty when the fragment does not parse.
[[nodiscard]] std::vector<std::string> library_names_at(std::string_view fragment,
                                                        std::uint32_t line);
// The modules of the oracle's nginx (Debian 1.22.1's build, without the dynamic modules it
// does not load; ndk and lua when `lua`), as ngxconf::check_options::modules.
[[nodiscard]] std::vector<std::string> oracle_modules(bool lua);

// The library's verdict including nginx's directive check: the syntax verdict when the
// fragment does not parse, else the first ngxconf::check() diagnostic (1.22 table, the
// fragment read in `where`), else ok.
[[nodiscard]] verdict library_directive_check(std::string_view fragment, conf_context where, bool lua);

// Whether a message is one of ngx_conf_handler's own (ngxconf::check's five).
[[nodiscard]] bool directive_message(std::string_view m);

// Parses nginx's stderr of a failed `nginx -t`: the first [emerg] (or [alert]/[crit]) line,
// in either form nginx writes it:
//   nginx: [emerg] MESSAGE in FILE:LINE
//   2024/01/01 00:00:00 [emerg] 123#123: MESSAGE in FILE:LINE
// `fragment_path` is the file whose errors count as in_fragment.
[[nodiscard]] verdict parse_nginx_stderr(std::string_view err, std::string_view fragment_path);

struct oracle_options {
    // The nginx binary; empty: $NGXCONF_NGINX, else `nginx` on PATH, else /usr/sbin/nginx.
    std::filesystem::path nginx;
    // Load ndk + lua (OpenResty's *_by_lua_block) when their .so files are found in nginx's
    // --modules-path (Debian: libnginx-mod-http-lua, /usr/lib/nginx/modules).
    bool load_lua = true;
    // Parent of the oracle's temporary folder; empty: std::filesystem::temp_directory_path().
    std::filesystem::path temp_parent;
    // Leave the temporary folder behind (for debugging a verdict by hand).
    bool keep_files = false;
    // Seconds before a hanging nginx is killed (its verdict is then "not ok").
    int timeout_seconds = 30;
};

class nginx_oracle {
public:
    // An oracle over a working nginx, or nullopt (why_not says why) when there is none.
    [[nodiscard]] static std::optional<nginx_oracle> find(const oracle_options& opts = {},
                                                          std::string* why_not = nullptr);

    nginx_oracle(nginx_oracle&&) noexcept;
    nginx_oracle& operator=(nginx_oracle&&) noexcept;
    nginx_oracle(const nginx_oracle&) = delete;
    nginx_oracle& operator=(const nginx_oracle&) = delete;
    ~nginx_oracle();

    // nginx's verdict on `fragment` included at `where`.
    [[nodiscard]] verdict check(std::string_view fragment, conf_context where) const;

    [[nodiscard]] const std::filesystem::path& binary() const noexcept { return nginx_; }
    // "nginx/1.22.1" (the first line of `nginx -v`).
    [[nodiscard]] const std::string& version() const noexcept { return version_; }
    [[nodiscard]] bool lua_loaded() const noexcept { return !lua_modules_.empty(); }
    // Why lua is not loaded (modules not found, or nginx failed with them); empty when it is.
    [[nodiscard]] const std::string& lua_problem() const noexcept { return lua_problem_; }
    [[nodiscard]] const std::filesystem::path& work_dir() const noexcept { return dir_; }

private:
    nginx_oracle() = default;
    [[nodiscard]] std::string wrapper(conf_context where) const;
    void remove_work_dir() noexcept;

    std::filesystem::path nginx_;
    std::string version_;
    std::string lua_modules_;  // load_module lines, empty when lua is not loaded
    std::string lua_problem_;
    std::filesystem::path dir_;
    bool keep_files_ = false;
    int timeout_seconds_ = 30;
};

// A fixture's header, its first line: "# context: location  needs: lua".
struct fixture_header {
    conf_context context = conf_context::location;
    bool needs_lua = false;
};
[[nodiscard]] fixture_header read_fixture_header(std::string_view text);

}  // namespace oracle
