// ngxconf check: syntax errors (exit 1) and validate() advice, as lines or one JSON object.
#include <iostream>
#include <utility>

#include <ngxconf/check.hpp>
#include <ngxconf/json.hpp>
#include <ngxconf/validate.hpp>

#include "commands.hpp"
#include "input.hpp"

namespace ngxconf_tool {
namespace {

std::string number_or_null(std::uint32_t n) { return n ? std::to_string(n) : "null"; }

std::string diagnostic_json(const std::string& file, const ngxconf::diagnostic& d) {
    const auto& at = d.where.begin;
    return "{\"file\":" + ngxconf::json_quote(d.where.file.empty() ? file : d.where.file) +
           ",\"line\":" + number_or_null(at.line) + ",\"column\":" + number_or_null(at.column) +
           ",\"severity\":" + ngxconf::json_quote(ngxconf::to_string(d.level)) +
           ",\"code\":" + ngxconf::json_quote(ngxconf::to_string(d.code)) +
           ",\"message\":" + ngxconf::json_quote(d.message) + "}";
}

void print_diagnostic(const std::string& file, const ngxconf::diagnostic& d) {
    std::cerr << file << ':' << d.where.begin.line << ':' << d.where.begin.column << ": "
              << ngxconf::to_string(d.level) << ": " << d.message << " ["
              << ngxconf::to_string(d.code) << "]\n";
}

}  // namespace

int cmd_check(const std::vector<std::string>& files, const ngxconf::parse_options& po, bool json,
              const std::optional<ngxconf::check_options>& directives) {
    int rc = 0;
    std::vector<std::pair<std::string, ngxconf::diagnostic>> found;
    for (const auto& f : files) {
        const std::string name = f == "-" ? stdin_name : f;
        try {
            const auto doc = parse_input(f, po);
            // Advice never changes the exit code: the file is valid syntax.
            for (auto& d : ngxconf::validate(doc)) {
                if (!json) print_diagnostic(name, d);
                found.emplace_back(name, std::move(d));
            }
            if (directives) {
                for (auto& d : ngxconf::check(doc, *directives)) {
                    if (!json) print_diagnostic(name, d);
                    found.emplace_back(name, std::move(d));
                    rc = 1;
                }
            }
        } catch (const ngxconf::error& e) {
            if (!json) std::cerr << e.what() << '\n';
            found.emplace_back(name, e.to_diagnostic());
            rc = 1;
        }
    }
    if (json) {
        std::string out = std::string("{\"ok\":") + (rc == 0 ? "true" : "false") +
                          ",\"diagnostics\":[";
        for (std::size_t i = 0; i < found.size(); ++i) {
            if (i) out += ',';
            out += diagnostic_json(found[i].first, found[i].second);
        }
        std::cout << out << "]}\n";
    }
    return rc;
}

}  // namespace ngxconf_tool
