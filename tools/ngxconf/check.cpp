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

using found_list = std::vector<std::pair<std::string, ngxconf::diagnostic>>;

// The advice and directive check of a file that parsed; true when the check found errors.
bool check_document(const ngxconf::document& doc, const std::string& name,
                    const check_request& req, found_list& found) {
    bool failed = false;
    // Advice never changes the exit code: the file is valid syntax.
    for (auto& d : ngxconf::validate(doc)) {
        if (!req.json) print_diagnostic(name, d);
        found.emplace_back(name, std::move(d));
    }
    if (req.directives) {
        for (auto& d : ngxconf::check(doc, *req.directives)) {
            if (!req.json) print_diagnostic(name, d);
            found.emplace_back(name, std::move(d));
            failed = true;
        }
    }
    return failed;
}

// --all-errors: every syntax error, each as the strict parse prints its first
// (FILE:LINE:COL: message); the other checks only for a file without one.
bool check_recovering(const std::string& file, const std::string& name, const check_request& req,
                      found_list& found) {
    const auto r = parse_input_recovering(file, req.parse);
    for (const auto& e : r.errors) {
        if (!req.json) {
            std::cerr << name << ':' << e.where.begin.line << ':' << e.where.begin.column << ": "
                      << e.message << '\n';
        }
        found.emplace_back(name, e);
    }
    if (!r.errors.empty()) return true;
    return check_document(r.doc, name, req, found);
}

}  // namespace

int cmd_check(const check_request& req) {
    int rc = 0;
    found_list found;
    for (const auto& f : req.files) {
        const std::string name = f == "-" ? stdin_name : f;
        try {
            const bool failed = req.all_errors ? check_recovering(f, name, req, found)
                                               : check_document(parse_input(f, req.parse), name, req, found);
            if (failed) rc = 1;
        } catch (const ngxconf::error& e) {
            if (!req.json) std::cerr << e.what() << '\n';
            found.emplace_back(name, e.to_diagnostic());
            rc = 1;
        }
    }
    if (req.json) {
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
