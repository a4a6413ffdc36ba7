// doctor: what in the tree stands between the user and working Authentik SSO.
#include <fmt/core.h>

#include <algorithm>

#include "commands.hpp"
#include "ngxconf/json.hpp"

namespace ngxauth {

// Exit 0 unless a finding is an error (then 3: the tree's state needs fixing).
int cmd_doctor(const options& o) {
    namespace swag = ngxconf::swag;
    using ngxconf::severity;
    swag::session s(swag::layout::detect(o.root));
    const auto findings = s.doctor();
    const auto& root = s.where().root;
    const bool any_error =
        std::any_of(findings.begin(), findings.end(),
                    [](const ngxconf::diagnostic& f) { return f.level == severity::error; });

    if (o.json) {
        // The envelope of every --json output; "level" is the severity under its earlier name.
        std::string out = fmt::format("{{\"ok\":{},\"findings\":[", any_error ? "false" : "true");
        for (std::size_t i = 0; i < findings.size(); ++i) {
            auto object = json_diagnostic(findings[i], root);
            object.insert(1,
                          fmt::format("\"level\":{},",
                                      ngxconf::json_quote(ngxconf::to_string(findings[i].level))));
            out += fmt::format("{}\n  {}", i ? "," : "", object);
        }
        out += fmt::format("{}],\"recovered\":[{}]}}\n", findings.empty() ? "" : "\n",
                           json_strings(o.recovered));
        fmt::print("{}", out);
        return any_error ? exit_config : exit_ok;
    }

    for (const auto& f : findings) {
        std::string label = fmt::format("{:<8}", ngxconf::to_string(f.level));
        switch (f.level) {
            case severity::ok: label = o.out.green(label); break;
            case severity::info: label = o.out.dim(label); break;
            case severity::warning: label = o.out.yellow(label); break;
            case severity::error: label = o.out.red(label); break;
        }
        std::string where;
        if (!f.where.file.empty()) {
            const auto file = display_path(f.where.file, root);
            const auto line = f.where.begin.line;
            where = line != 0 ? fmt::format("{}:{}: ", file, line) : fmt::format("{}: ", file);
        }
        fmt::print("{}{}{}\n", label, where, f.message);
    }
    if (findings.empty()) fmt::print("{}\n", o.out.green("no findings"));
    return any_error ? exit_config : exit_ok;
}

}  // namespace ngxauth
