#include "output.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <vector>

#include "authentik/api_error.hpp"
#include "docker/engine.hpp"
#include "ngxconf/error.hpp"
#include "ngxconf/json.hpp"
#include "ngxconf/save.hpp"
#include "ngxconf/swag/swag.hpp"

namespace ngxauth {

std::string style::wrap(std::string_view code, std::string_view s) const {
    if (!color_ || s.empty()) return std::string(s);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, s);
}

bool want_color(bool no_color_flag) {
    if (no_color_flag) return false;
    const char* no_color = std::getenv("NO_COLOR");
    if (no_color != nullptr && *no_color != '\0') return false;
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::string_view(term) == "dumb") return false;
    return ::isatty(STDOUT_FILENO) == 1;
}

void print_diff(std::string_view diff, const style& st) {
    std::string out;
    out.reserve(diff.size() + diff.size() / 8);
    while (!diff.empty()) {
        const auto nl = diff.find('\n');
        const auto line = diff.substr(0, nl == std::string_view::npos ? diff.size() : nl + 1);
        diff.remove_prefix(line.size());
        if (!st.color()) {
            out += line;
            continue;
        }
        // Colour the text, not the line end (a CR stays a CR, inside or outside the codes).
        auto body = line;
        std::string_view end;
        if (!body.empty() && body.back() == '\n') {
            end = body.substr(body.size() - 1);
            body.remove_suffix(1);
        }
        if (body.starts_with("+++") || body.starts_with("---") || body.starts_with("diff --git ")) {
            out += st.bold(body);
        } else if (body.starts_with("@@")) {
            out += st.cyan(body);
        } else if (body.starts_with("+")) {
            out += st.green(body);
        } else if (body.starts_with("-")) {
            out += st.red(body);
        } else {
            out += body;
        }
        out += end;
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    if (!out.empty() && out.back() != '\n') std::fputc('\n', stdout);
}

std::string display_path(const std::filesystem::path& file, const std::filesystem::path& root) {
    if (root.empty()) return file.string();
    std::error_code ec;
    const auto rel = file.lexically_relative(root);
    if (!rel.empty() && *rel.begin() != "..") return rel.string();
    // A relative root ("fixtures/swag") against absolute paths from the library.
    const auto abs_root = std::filesystem::absolute(root, ec);
    if (!ec) {
        const auto rel2 = file.lexically_relative(abs_root.lexically_normal());
        if (!rel2.empty() && *rel2.begin() != "..") return rel2.string();
    }
    return file.string();
}

namespace {

using ngxconf::diag_code;

// The flag that gets past a refusal, said the way the CLI spells it.
std::string hint_for(diag_code code) {
    switch (code) {
        case diag_code::swag_sample_only: return "run with --from-sample to activate it";
        case diag_code::swag_other_provider_enabled:
            return "run with --replace to switch the app to the new provider";
        case diag_code::swag_no_auth_lines: return "run with --insert to add the auth lines";
        case diag_code::swag_would_overwrite: return "run with --force to overwrite it";
        case diag_code::swag_root_not_found: return "give --root DIR or set NGXAUTH_ROOT";
        case diag_code::locked: return "another ngxauth run is editing this tree";
        case diag_code::modified_on_disk: return "the file changed while ngxauth ran; run it again";
        default: return "";
    }
}

// The codes of failures outside the configuration: files, locks, the --validate command.
bool is_io(const ngxconf::error& e) {
    switch (e.code()) {
        case diag_code::io_error:
        case diag_code::modified_on_disk:
        case diag_code::validation_failed:
        case diag_code::locked: return true;
        default:
            return dynamic_cast<const ngxconf::io_error*>(&e) != nullptr;
    }
}

struct failure {
    int code = exit_io;
    diag_code diag = diag_code::none;
    std::string message;
    std::string file;
    std::uint32_t line = 0;
    std::vector<std::string> suggestions;  // close names: "did you mean: a, b?"
    std::vector<std::string> hints;        // what to do instead
};

failure from_ngxconf(const ngxconf::error& e) {
    failure f;
    f.code = is_io(e) ? exit_io : exit_config;
    f.diag = e.code();
    f.message = std::string(e.description());
    if (f.message.empty()) f.message = e.what();
    f.file = e.where().file;
    f.line = e.where().begin.line;
    if (auto h = hint_for(e.code()); !h.empty()) f.hints.push_back(std::move(h));
    return f;
}

failure classify(std::exception_ptr ep) {
    try {
        std::rethrow_exception(ep);
    } catch (const ngxconf::interrupted_error& e) {
        failure f;
        f.code = 128 + e.signal_number();
        f.diag = e.code();
        f.message = fmt::format("interrupted by {}: every file is back as it was",
                                signal_name(e.signal_number()));
        return f;
    } catch (const authentik::api_error& e) {
        failure f;
        f.code = e.exit_code();
        f.diag = e.code();
        f.message = e.what();
        f.hints = e.hints();
        return f;
    } catch (const docker::docker_error& e) {
        failure f;
        f.code = exit_docker;
        f.diag = e.code();
        f.message = e.what();
        return f;
    } catch (const ngxconf::swag::error& e) {
        auto f = from_ngxconf(e);
        if (e.code() == diag_code::swag_app_not_found ||
            e.code() == diag_code::swag_invalid_app_name ||
            e.code() == diag_code::swag_root_not_found) {
            f.suggestions = e.suggestions();
        } else {
            f.hints.insert(f.hints.end(), e.suggestions().begin(), e.suggestions().end());
        }
        return f;
    } catch (const ngxconf::error& e) {
        return from_ngxconf(e);  // parse errors: exit 3; files, locks, --validate: exit 4
    } catch (const std::filesystem::filesystem_error& e) {
        failure f;
        f.code = exit_io;
        f.diag = diag_code::io_error;
        f.message = e.code().message();
        f.file = e.path1().string();
        return f;
    } catch (const usage_failure& e) {
        failure f;
        f.code = exit_usage;
        f.diag = diag_code::usage;
        f.message = e.what();
        f.suggestions = e.suggestions();
        return f;
    } catch (const ngxconf::usage_error& e) {
        failure f;
        f.code = exit_io;
        f.message = fmt::format("internal error: {}", e.what());
        return f;
    } catch (const std::exception& e) {
        failure f;
        f.code = exit_io;
        f.message = e.what();
        return f;
    }
}

}  // namespace

std::string json_strings(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) {
        if (!s.empty()) s += ',';
        s += ngxconf::json_quote(x);
    }
    return s;
}

std::string signal_name(int signal_number) {
    switch (signal_number) {
        case SIGINT: return "SIGINT";
        case SIGTERM: return "SIGTERM";
        case SIGHUP: return "SIGHUP";
        case SIGQUIT: return "SIGQUIT";
        default: return fmt::format("signal {}", signal_number);
    }
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string s;
    for (const auto& x : v) {
        if (!s.empty()) s += sep;
        s += x;
    }
    return s;
}

std::string json_diagnostic(const ngxconf::diagnostic& d, const std::filesystem::path& root) {
    const auto file = [&](const ngxconf::source_region& r) {
        return r.file.empty() ? std::string("null")
                              : ngxconf::json_quote(display_path(r.file, root));
    };
    std::string related;
    for (const auto& r : d.related) {
        related +=
            fmt::format("{}{{\"file\":{},\"line\":{},\"message\":{}}}", related.empty() ? "" : ",",
                        file(r.where), r.where.begin.line, ngxconf::json_quote(r.message));
    }
    // "fix" only when the finding has one (the Docker checks), so other reports keep their bytes.
    return fmt::format(
        "{{\"code\":{},\"severity\":{},\"message\":{},\"file\":{},\"line\":{},\"related\":[{}]{}}}",
        ngxconf::json_quote(ngxconf::to_string(d.code)),
        ngxconf::json_quote(ngxconf::to_string(d.level)), ngxconf::json_quote(d.message),
        file(d.where), d.where.begin.line, related,
        d.fix.empty() ? std::string() : ",\"fix\":" + ngxconf::json_quote(d.fix));
}

int report_failure(std::exception_ptr e, bool json, const std::vector<std::string>& recovered) {
    auto f = classify(std::move(e));
    // A validation command's output may end the message, often with a newline.
    while (!f.message.empty() && (f.message.back() == '\n' || f.message.back() == ' ')) {
        f.message.pop_back();
    }
    std::string where;
    if (!f.file.empty()) {
        where = f.line != 0 ? fmt::format("{}:{}: ", f.file, f.line) : fmt::format("{}: ", f.file);
    }
    std::fflush(stdout);
    fmt::print(stderr, "ngxauth: {}{}\n", where, f.message);
    if (!f.suggestions.empty()) {
        fmt::print(stderr, "ngxauth: did you mean: {}?\n", join(f.suggestions, ", "));
    }
    for (const auto& h : f.hints) fmt::print(stderr, "ngxauth: {}\n", h);
    if (json) {
        const auto sug = json_strings(f.suggestions);
        const auto hints = json_strings(f.hints);
        fmt::print(
            "{{\"ok\":false,\"exit_code\":{},\"error\":{{\"code\":{},\"severity\":\"error\","
            "\"message\":{},\"file\":{},\"line\":{},\"suggestions\":[{}],\"hints\":[{}]}},"
            "\"recovered\":[{}]}}\n",
            f.code, ngxconf::json_quote(ngxconf::to_string(f.diag)), ngxconf::json_quote(f.message),
            f.file.empty() ? "null" : ngxconf::json_quote(f.file), f.line, sug, hints,
            json_strings(recovered));
    }
    return f.code;
}

}  // namespace ngxauth
