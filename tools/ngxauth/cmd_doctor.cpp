// doctor: what in the tree stands between the user and working Authentik SSO; with an
// Authentik URL (given or saved), also what stands between nginx and Authentik's objects.
#include <fmt/core.h>

#include <algorithm>

#include "authentik/audit.hpp"
#include "authentik_cli.hpp"
#include "commands.hpp"
#include "directives.hpp"
#include "docker_cli.hpp"
#include "ngxconf/json.hpp"

namespace ngxauth {

std::vector<ngxconf::diagnostic> authentik_findings(const options& o, ngxconf::swag::session& s) {
    const auto conn = authentik::resolve(o.authentik);
    if (!conn) return {};
    auto c = make_client(*conn);
    return authentik::audit(c, s.status(), outpost_for(s.where(), o.outpost));
}

std::string findings_json(const std::vector<ngxconf::diagnostic>& findings,
                          const std::filesystem::path& root) {
    std::string out;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        auto object = json_diagnostic(findings[i], root);
        // "level" is the severity under its earlier name.
        object.insert(1, fmt::format("\"level\":{},",
                                     ngxconf::json_quote(ngxconf::to_string(findings[i].level))));
        out += fmt::format("{}\n  {}", i ? "," : "", object);
    }
    return out + (findings.empty() ? "" : "\n");
}

namespace {

constexpr std::size_t line_width = 99;  // a finding's lines stay under 100 columns
constexpr std::size_t label_width = 8;

// `text` in lines of at most `first` columns (the first line) and `width` (the others), broken
// at spaces; a word longer than a line stands alone.
std::vector<std::string> wrapped(std::string_view text, std::size_t first, std::size_t width) {
    std::vector<std::string> lines(1);
    std::size_t room = first;
    while (!text.empty()) {
        const auto sp = text.find(' ');
        const auto word = text.substr(0, sp);
        text.remove_prefix(sp == std::string_view::npos ? text.size() : sp + 1);
        auto& line = lines.back();
        if (!line.empty() && line.size() + 1 + word.size() > room) {
            lines.emplace_back();
            room = width;
        }
        if (!lines.back().empty()) lines.back() += ' ';
        lines.back() += word;
    }
    return lines;
}

// The longest start of `text` that ends at a clause (before ": ", "; ", ". ", ", ") and
// fits in `room` columns; at least the words that fit.
std::string first_clauses(std::string_view text, std::size_t room) {
    std::size_t cut = 0;
    for (std::string_view sep : {": ", "; ", ". ", ", "}) {
        for (auto at = text.find(sep); at != std::string_view::npos && at <= room;
             at = text.find(sep, at + 1)) {
            cut = std::max(cut, at);
        }
    }
    if (cut >= room / 2) return std::string(text.substr(0, cut));
    return wrapped(text, room, room).front();
}

}  // namespace

void print_findings(const std::vector<ngxconf::diagnostic>& findings,
                    const std::filesystem::path& root, const style& st, bool verbose) {
    using ngxconf::severity;
    for (const auto& f : findings) {
        std::string label = fmt::format("{:<{}}", ngxconf::to_string(f.level), label_width);
        switch (f.level) {
            case severity::ok: label = st.green(label); break;
            case severity::info: label = st.dim(label); break;
            case severity::warning: label = st.yellow(label); break;
            case severity::error: label = st.red(label); break;
        }
        std::string where;
        if (!f.where.file.empty()) {
            const auto file = display_path(f.where.file, root);
            const auto line = f.where.begin.line;
            where = line != 0 ? fmt::format("{}:{}: ", file, line) : fmt::format("{}: ", file);
        }
        const std::size_t used = label_width + where.size();
        const std::size_t first = line_width > used + 20 ? line_width - used : 20;
        auto lines = wrapped(f.message, first, line_width - label_width);
        // Without -v one line: up to the last clause that fits, the rest is the explanation.
        if (!verbose && lines.size() > 1) lines = {first_clauses(f.message, first - 5) + " (-v)"};
        fmt::print("{}{}{}\n", label, where, lines[0]);
        for (std::size_t i = 1; i < lines.size(); ++i) {
            fmt::print("{:<{}}{}\n", "", label_width, lines[i]);
        }
    }
}

// Exit 0 unless a finding is an error (then 3: the tree's state needs fixing).
int cmd_doctor(const options& o) {
    namespace swag = ngxconf::swag;
    swag::session s(swag::layout::detect(o.root));
    auto findings = s.doctor();
    const auto& root = s.where().root;
    std::size_t checked = 0;
    const auto directive = tree_directive_errors(root, o.nginx, &checked);
    findings.push_back({directive.empty() ? ngxconf::severity::ok : ngxconf::severity::info,
                        ngxconf::diag_code::swag_directive_table,
                        fmt::format("nginx {} directive table: {} file{} checked, {} directive error{}",
                                    ngxconf::to_string(o.nginx), checked, checked == 1 ? "" : "s",
                                    directive.size(), directive.size() == 1 ? "" : "s"),
                        {}, {}, {}});
    findings.insert(findings.end(), directive.begin(), directive.end());
    for (auto& f : authentik_findings(o, s)) findings.push_back(std::move(f));
    // The containers behind the conf (nothing under --no-docker; a note when Docker or SWAG's
    // container is not there).
    for (auto& f : docker_findings(o, s)) findings.push_back(std::move(f));
    const bool any_error =
        std::any_of(findings.begin(), findings.end(), [](const ngxconf::diagnostic& f) {
            return f.level == ngxconf::severity::error;
        });

    if (o.json) {
        fmt::print("{{\"ok\":{},\"findings\":[{}],\"recovered\":[{}]}}\n",
                   any_error ? "false" : "true", findings_json(findings, root),
                   json_strings(o.recovered));
        return any_error ? exit_config : exit_ok;
    }
    print_findings(findings, root, o.out, o.verbose);
    if (findings.empty()) fmt::print("{}\n", o.out.green("no findings"));
    return any_error ? exit_config : exit_ok;
}

}  // namespace ngxauth
