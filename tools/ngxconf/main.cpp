// ngxconf: the developer tool. parse --json (crossplane), print, check, dump, select.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <algorithm>
#include <ngxconf/ngxconf.hpp>
#include <ngxconf/workspace.hpp>
#include <unistd.h>

#include "commands.hpp"
#include "input.hpp"

namespace {

// The read-only commands map the file: a short run that never writes it back.
ngxconf::parse_options read_only_options(bool lenient, std::uint32_t max_depth) {
    ngxconf::parse_options po;
    po.nginx_length_limit = !lenient;
    po.map_file = true;
    po.max_depth = max_depth;
    return po;
}

int cmd_parse(const std::string& file, bool include_comments, const ngxconf::parse_options& po) {
    try {
        const auto doc = ngxconf_tool::parse_input(file, po);
        std::cout << ngxconf::to_crossplane_json(doc, {.include_comments = include_comments})
                  << '\n';
        return 0;
    } catch (const ngxconf::error& e) {
        const std::string name = file == "-" ? ngxconf_tool::stdin_name : file;
        std::cout << ngxconf::crossplane_failure_json(name, e) << '\n';
        std::cerr << e.what() << '\n';
        return 1;
    }
}

// crossplane's default: the file and every file its includes pull in, each a "config"
// entry; include directives list the entries they pulled in.
int cmd_parse_tree(const std::string& file, bool include_comments, const ngxconf::parse_options& po,
                   const std::vector<std::string>& maps, const std::string& prefix) {
    if (file == "-") {
        // Includes resolve against files on disk; a tree has no place to start from stdin.
        std::cerr << "ngxconf: --follow-includes needs a file path, not -\n";
        return 2;
    }
    ngxconf::workspace_options wo;
    wo.parse = po;
    wo.parse.map_file = false;  // a workspace keeps its documents' bytes
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
    opt.includes_of = [&](const ngxconf::directive& inc) {
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

int cmd_print(const std::string& file, const ngxconf::parse_options& po) {
    try {
        const auto doc = ngxconf_tool::parse_input(file, po);
        std::cout.flush();
        ngxconf::write_to_fd(doc, STDOUT_FILENO);
        return 0;
    } catch (const ngxconf::error& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
}

int cmd_dump(const std::string& file, const ngxconf::parse_options& po) {
    try {
        std::cout << ngxconf::dump_tree(ngxconf_tool::parse_input(file, po));
        return 0;
    } catch (const ngxconf::error& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
}

// The options every subcommand shares (one subcommand runs, so they share the variables).
struct common_flags {
    bool lenient = false;
    std::uint32_t max_depth = ngxconf::parse_options{}.max_depth;
};

CLI::App* add_command(CLI::App& app, const char* name, const char* help, common_flags& common,
                      bool length_limit = true) {
    auto* sub = app.add_subcommand(name, help);
    if (length_limit) {
        sub->add_flag("--no-length-limit", common.lenient,
                      "accept words over nginx's 4096-byte limit");
    }
    sub->add_option("--max-depth", common.max_depth,
                    "deepest nesting of { accepted (default 256)");
    return sub;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ngxconf - lossless nginx configuration parser (developer tool)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(NGXCONF_VERSION));
    common_flags common;
    std::string file;
    std::vector<std::string> files;
    bool json = false, comments = false;
    const char* file_help = "a file, or - for standard input";

    auto* parse = add_command(app, "parse", "Parse FILE; with --json print crossplane JSON", common);
    parse->add_flag("--json", json, "crossplane-compatible JSON (the default output)");
    parse->add_flag("--include-comments", comments, "include comments and disabled directives");
    bool follow = false;
    std::vector<std::string> maps;
    std::string prefix;
    parse->add_flag("--follow-includes", follow,
                    "also parse every file the includes pull in (crossplane's default)");
    parse->add_option("--map", maps, "NGINX_PREFIX=HOST_PREFIX for absolute include paths, "
                                     "e.g. /config=/docker/swag/config");
    parse->add_option("--prefix", prefix, "base of relative include paths (default: FILE's folder)");
    parse->add_option("FILE", file, file_help)->required();

    auto* print = add_command(app, "print", "Print FILE re-printed from its tree", common);
    print->add_option("FILE", file, file_help)->required();

    auto* check = add_command(app, "check", "Report syntax errors as FILE:LINE:COL: message", common);
    check->add_flag("--json", json, "one JSON object: {\"ok\", \"diagnostics\": [...]}");
    check->add_option("FILE", files, file_help)->required();

    auto* dump = add_command(app, "dump", "Print the syntax tree of FILE", common, false);
    dump->add_option("FILE", file, file_help)->required();

    ngxconf_tool::select_request sel;
    auto* select_cmd = add_command(app, "select",
                               "Print the directives SELECTOR matches as FILE:LINE:COL: text; "
                               "exit 0 matched, 1 none, 2 error", common);
    select_cmd->add_flag("--json", sel.json, "one JSON array of crossplane directives with file and region");
    select_cmd->add_flag("--include-disabled", sel.include_disabled,
                     "match commented-out directives too");
    select_cmd->add_option("SELECTOR", sel.selector, "e.g. 'server > location[0=/] > include'")
        ->required();
    select_cmd->add_option("FILE", sel.files, file_help)->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    const auto po = read_only_options(common.lenient, common.max_depth);
    if (*parse) {
        return follow ? cmd_parse_tree(file, comments, po, maps, prefix)
                      : cmd_parse(file, comments, po);
    }
    if (*print) return cmd_print(file, po);
    if (*check) return ngxconf_tool::cmd_check(files, po, json);
    if (*dump) return cmd_dump(file, po);
    if (*select_cmd) {
        sel.parse = po;
        return ngxconf_tool::cmd_select(sel);
    }
    return 2;
}
