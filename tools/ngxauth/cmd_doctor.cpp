// doctor: what in the tree stands between the user and working Authentik SSO.
#include <fmt/core.h>

#include <algorithm>

#include "commands.hpp"
#include "ngxconf/json.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;

std::string_view level_name(swag::finding::level l) {
    switch (l) {
        case swag::finding::level::ok: return "ok";
        case swag::finding::level::info: return "info";
        case swag::finding::level::warning: return "warning";
        case swag::finding::level::error: return "error";
    }
    return "info";
}

}  // namespace

// Exit 0 unless a finding is an error (then 3: the tree's state needs fixing).
int cmd_doctor(const options& o) {
    swag::session s(swag::layout::detect(o.root));
    const auto findings = s.doctor();
    const auto& root = s.where().root;
    const bool any_error =
        std::any_of(findings.begin(), findings.end(),
                    [](const swag::finding& f) { return f.severity == swag::finding::level::error; });

    if (o.json) {
        std::string out = "[";
        for (std::size_t i = 0; i < findings.size(); ++i) {
            const auto& f = findings[i];
            out += fmt::format("{}\n  {{\"level\":{},\"message\":{},\"file\":{},\"line\":{}}}",
                               i ? "," : "", ngxconf::json_quote(level_name(f.severity)),
                               ngxconf::json_quote(f.message),
                               f.file.empty() ? "null"
                                              : ngxconf::json_quote(display_path(f.file, root)),
                               f.line);
        }
        out += findings.empty() ? "]\n" : "\n]\n";
        fmt::print("{}", out);
        return any_error ? exit_config : exit_ok;
    }

    for (const auto& f : findings) {
        const auto name = level_name(f.severity);
        std::string label = fmt::format("{:<8}", name);
        switch (f.severity) {
            case swag::finding::level::ok: label = o.out.green(label); break;
            case swag::finding::level::info: label = o.out.dim(label); break;
            case swag::finding::level::warning: label = o.out.yellow(label); break;
            case swag::finding::level::error: label = o.out.red(label); break;
        }
        std::string where;
        std::string_view message = f.message;
        if (!f.file.empty()) {
            const auto file = display_path(f.file, root);
            where = f.line != 0 ? fmt::format("{}:{}: ", file, f.line) : fmt::format("{}: ", file);
            // Some messages name their file already: say it once.
            if (message.starts_with(file + ": ")) message.remove_prefix(file.size() + 2);
        }
        fmt::print("{}{}{}\n", label, where, message);
    }
    if (findings.empty()) fmt::print("{}\n", o.out.green("no findings"));
    return any_error ? exit_config : exit_ok;
}

}  // namespace ngxauth
