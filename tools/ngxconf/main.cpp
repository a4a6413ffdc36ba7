// ngxconf: the developer tool. parse --json (crossplane), print, check, dump.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <algorithm>
#include <ngxconf/ngxconf.hpp>
#include <ngxconf/workspace.hpp>
#include <unistd.h>

namespace {

// The read-only commands map the file: a short run that never writes it back.
ngxconf::parse_options read_only_options(bool lenient) {
    ngxconf::parse_options po;
    po.nginx_length_limit = !lenient;
    po.map_file = true;
    return po;
}

int cmd_parse(const std::string& file, bool include_comments, bool lenient) {
    const auto po = read_only_options(lenient);
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

// crossplane's default: the file and every file its includes pull in, each a "config"
// entry; include directives list the entries they pulled in.
int cmd_parse_tree(const std::string& file, bool include_comments, bool lenient,
                   const std::vector<std::string>& maps, const std::string& prefix) {
    ngxconf::workspace_options wo;
    wo.parse.nginx_length_limit = !lenient;
    wo.prefix = prefix;
    for (const auto& m : maps) {
        const auto eq = m.find('=');
        if (eq == std::string::npos) {
            std::cerr << "ngxconf: --map wants NGINX_PREFIX=HOST_PREFIX, got " << m << '\n';
            return 2;
        }
        wo.mappings.push_back({m.substr(0, eq), m.substr(eq + 1)});
    }
    ngxconf::workspace ws(std::move(wo));
    try {
        ws.load(file);
    } catch (const ngxconf::error& e) {
        std::cout << ngxconf::crossplane_failure_json(file, e) << '\n';
        std::cerr << e.what() << '\n';
        return 1;
    }
    const auto docs = ws.documents();
    auto index_of = [&](const ngxconf::document* d) {
        return static_cast<std::size_t>(std::find(docs.begin(), docs.end(), d) - docs.begin());
    };
    ngxconf::json_options opt{.include_comments = include_comments};
    opt.includes_of = [&](const ngxconf::const_directive& inc) {
        std::vector<std::size_t> out;
        for (const auto& p : ws.resolve_include(inc)) {
            if (const auto* d = ws.find(p)) out.push_back(index_of(d));
        }
        return out;
    };
    std::string errors;
    for (const auto& p : ws.problems()) {
        std::cerr << p.message << '\n';
        if (!errors.empty()) errors += ',';
        errors += "{\"file\":" + ngxconf::json_quote(p.where.file) + ",\"line\":" +
                  (p.where.begin.line ? std::to_string(p.where.begin.line) : "null") +
                  ",\"error\":" + ngxconf::json_quote(p.message) + "}";
    }
    std::string out = std::string("{\"status\":\"") + (errors.empty() ? "ok" : "failed") +
                      "\",\"errors\":[" + errors + "],\"config\":[";
    for (std::size_t i = 0; i < docs.size(); ++i) {
        if (i) out += ',';
        out += ngxconf::to_crossplane_config(*docs[i], opt);
    }
    std::cout << out << "]}\n";
    return errors.empty() ? 0 : 1;
}

int cmd_print(const std::string& file, bool lenient) {
    const auto po = read_only_options(lenient);
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
    const auto po = read_only_options(lenient);
    int rc = 0;
    for (const auto& f : files) {
        try {
            const auto doc = ngxconf::parse_file(f, po);
            // Advice never changes the exit code: the file is valid syntax.
            for (const auto& d : ngxconf::validate(doc)) {
                std::cerr << f << ':' << d.where.begin.line << ':' << d.where.begin.column
                          << ": warning: " << d.message << " [" << ngxconf::to_string(d.code) << "]\n";
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
        std::cout << ngxconf::dump_tree(ngxconf::parse_file(file, read_only_options(false)));
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
    bool follow = false;
    std::vector<std::string> maps;
    std::string prefix;
    parse->add_flag("--follow-includes", follow,
                    "also parse every file the includes pull in (crossplane's default)");
    parse->add_option("--map", maps, "NGINX_PREFIX=HOST_PREFIX for absolute include paths, "
                                     "e.g. /config=/docker/swag/config");
    parse->add_option("--prefix", prefix, "base of relative include paths (default: FILE's folder)");
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
    if (*parse) {
        return follow ? cmd_parse_tree(file, comments, lenient, maps, prefix)
                      : cmd_parse(file, comments, lenient);
    }
    if (*print) return cmd_print(file, lenient);
    if (*check) return cmd_check(files, lenient);
    if (*dump) return cmd_dump(file);
    return 2;
}
