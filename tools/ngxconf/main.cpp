// ngxconf: the developer tool. parse --json (crossplane), print, check, dump.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <ngxconf/ngxconf.hpp>
#include <unistd.h>

namespace {

int cmd_parse(const std::string& file, bool include_comments, bool lenient) {
    ngxconf::parse_options po;
    po.nginx_length_limit = !lenient;
    try {
        const auto doc = ngxconf::parse_file(file, po);
        std::cout << ngxconf::to_crossplane_json(doc, {.include_comments = include_comments})
                  << '\n';
        return 0;
    } catch (const ngxconf::error& e) {
        std::cout << ngxconf::crossplane_failure_json(file, e) << '\n';
        std::cerr << e.what() << '\n';
        return 1;
    }
}

int cmd_print(const std::string& file, bool lenient) {
    ngxconf::parse_options po;
    po.nginx_length_limit = !lenient;
    try {
        const auto doc = ngxconf::parse_file(file, po);
        std::cout.flush();
        ngxconf::write_to_fd(doc, STDOUT_FILENO);
        return 0;
    } catch (const ngxconf::error& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
}

int cmd_check(const std::vector<std::string>& files, bool lenient) {
    ngxconf::parse_options po;
    po.nginx_length_limit = !lenient;
    int rc = 0;
    for (const auto& f : files) {
        try {
            const auto doc = ngxconf::parse_file(f, po);
            // Advice never changes the exit code: the file is valid syntax.
            for (const auto& d : ngxconf::validate(doc)) {
                std::cerr << f << ':' << d.where.begin.line << ':' << d.where.begin.column
                          << ": warning: " << d.message << " [" << d.code << "]\n";
            }
        } catch (const ngxconf::error& e) {
            std::cerr << e.what() << '\n';
            rc = 1;
        }
    }
    return rc;
}

int cmd_dump(const std::string& file) {
    try {
        std::cout << ngxconf::dump_tree(ngxconf::parse_file(file));
        return 0;
    } catch (const ngxconf::error& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ngxconf - lossless nginx configuration parser (developer tool)"};
    app.require_subcommand(1);
    std::string file;
    std::vector<std::string> files;
    bool json = false, comments = false, lenient = false;

    auto* parse = app.add_subcommand("parse", "Parse FILE; with --json print crossplane JSON");
    parse->add_flag("--json", json, "crossplane-compatible JSON (the default output)");
    parse->add_flag("--include-comments", comments, "include comments and disabled directives");
    parse->add_flag("--no-length-limit", lenient, "accept words over nginx's 4096-byte limit");
    parse->add_option("FILE", file)->required();

    auto* print = app.add_subcommand("print", "Print FILE re-printed from its tree");
    print->add_flag("--no-length-limit", lenient, "accept words over nginx's 4096-byte limit");
    print->add_option("FILE", file)->required();

    auto* check = app.add_subcommand("check", "Report syntax errors as FILE:LINE:COL: message");
    check->add_flag("--no-length-limit", lenient, "accept words over nginx's 4096-byte limit");
    check->add_option("FILE", files)->required();

    auto* dump = app.add_subcommand("dump", "Print the syntax tree of FILE");
    dump->add_option("FILE", file)->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    if (*parse) return cmd_parse(file, comments, lenient);
    if (*print) return cmd_print(file, lenient);
    if (*check) return cmd_check(files, lenient);
    if (*dump) return cmd_dump(file);
    return 2;
}
