#pragma once
// What ngxauth prints and how it ends: colour, diffs, paths, error messages, exit codes.
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/diagnostic.hpp"

namespace ngxauth {

// A command line ngxauth refuses (exit 2, code usage.invalid); `suggestions` are the close
// names of an unknown command or option.
class usage_failure : public std::runtime_error {
public:
    explicit usage_failure(const std::string& message, std::vector<std::string> suggestions = {})
        : std::runtime_error(message), suggestions_(std::move(suggestions)) {}
    [[nodiscard]] const std::vector<std::string>& suggestions() const noexcept { return suggestions_; }

private:
    std::vector<std::string> suggestions_;
};

// The strings of v with sep between them.
[[nodiscard]] std::string join(const std::vector<std::string>& v, std::string_view sep);

// The documented exit codes (also in --help and the README).
enum exit_code : int {
    exit_ok = 0,       // done, or nothing to do
    exit_pending = 1,  // --check: changes would be made
    exit_usage = 2,    // bad command line
    exit_config = 3,   // parse error or SWAG state (app not found, other provider, ...)
    exit_io = 4,       // read/write/lock failure, or the --validate command failed;
                       // verify: an app could not be checked
    exit_open = 5,     // verify: an app answered without asking for a login
    exit_api = 6,      // Authentik's API failed (authentik.* codes)
    exit_docker = 7,   // the Docker Engine failed or refused (docker.* codes)
};

// ANSI colour, on only when asked for; every helper returns its text unchanged when off.
class style {
public:
    explicit style(bool color = false) : color_(color) {}
    [[nodiscard]] bool color() const noexcept { return color_; }
    [[nodiscard]] std::string bold(std::string_view s) const { return wrap("1", s); }
    [[nodiscard]] std::string dim(std::string_view s) const { return wrap("2", s); }
    [[nodiscard]] std::string red(std::string_view s) const { return wrap("31", s); }
    [[nodiscard]] std::string green(std::string_view s) const { return wrap("32", s); }
    [[nodiscard]] std::string yellow(std::string_view s) const { return wrap("33", s); }
    [[nodiscard]] std::string cyan(std::string_view s) const { return wrap("36", s); }

private:
    [[nodiscard]] std::string wrap(std::string_view code, std::string_view s) const;
    bool color_;
};

// Colour only when stdout is a terminal, --no-color was not given and NO_COLOR is unset or
// empty (https://no-color.org).
[[nodiscard]] bool want_color(bool no_color_flag);

// Prints a unified diff to stdout, coloured per line when the style says so.
void print_diff(std::string_view diff, const style& st);

// `file` relative to `root` when it lies inside it ("proxy-confs/dockge.subdomain.conf"),
// else as given.
[[nodiscard]] std::string display_path(const std::filesystem::path& file,
                                       const std::filesystem::path& root);

// One diagnostic as a JSON object: "code" (its stable name), "severity", "message", "file"
// (relative to root when inside it; null when none), "line" (0: none), "related".
[[nodiscard]] std::string json_diagnostic(const ngxconf::diagnostic& d,
                                          const std::filesystem::path& root);

// The elements of a JSON array of strings (without the brackets).
[[nodiscard]] std::string json_strings(const std::vector<std::string>& v);

// "SIGTERM" for SIGTERM (the four signals a transaction guards, else "signal N").
[[nodiscard]] std::string signal_name(int signal_number);

// Prints the exception `e` to stderr as "ngxauth: FILE:LINE: message" (plus suggestions and
// hints), and with --json also a {"error": ...} object on stdout (with "recovered": the files
// an interrupted run left, put back first); returns the exit code. A signal that stopped a
// transaction (ngxconf::interrupted_error) is one line and exit 128 + N.
[[nodiscard]] int report_failure(std::exception_ptr e, bool json,
                                 const std::vector<std::string>& recovered = {});

}  // namespace ngxauth
