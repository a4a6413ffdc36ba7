// ngxconf: the developer tool. parse --json (crossplane), print, check, dump, select.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <algorithm>
#include <ngxconf/ngxconf.hpp>
#include <ngxconf/workspace.hpp>
#include <unistd.h>

#include "cli_dump.hpp"
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

// Errors in crossplane's words "MESSAGE in FILE:LINE": the payload's and the config's
// "status" become "failed" and their "errors" list them. For crossplane's check_ctx/check_args
// errors (its analyzer's; not "unknown directive", which it reports only when strict), the
// directives stay in "parsed" (crossplane drops them), and the line is nginx's (the `;` or
// `{` line). For the syntax errors of --all-errors, "parsed" is the recovered tree.
std::string with_errors(std::string json, const std::string& file,
                                  const std::vector<ngxconf::diagnostic>& found) {
    std::string top, config;
    for (const auto& d : found) {
        if (d.code == ngxconf::diag_code::directive_unknown) continue;
        const auto line = std::to_string(d.where.begin.line);
        const auto error = ngxconf::json_quote(d.message + " in " + file + ":" + line);
        const auto code = ngxconf::json_quote(ngxconf::to_string(d.code));
        top += (top.empty() ? "" : ",") + ("{\"file\":" + ngxconf::json_quote(file) + ",\"error\":" + error +
                                           ",\"line\":" + line + ",\"code\":" + code + "}");
        config += (config.empty() ? "" : ",") +
                  ("{\"error\":" + error + ",\"line\":" + line + ",\"code\":" + code + "}");
    }
    if (top.empty()) return json;
    const std::string ok = "\"status\":\"ok\",\"errors\":[]";
    const auto first = json.find(ok);
    if (first == std::string::npos) return json;
    json.replace(first, ok.size(), "\"status\":\"failed\",\"errors\":[" + top + "]");
    const auto second = json.find(ok, first);
    if (second != std::string::npos) {
        json.replace(second, ok.size(), "\"status\":\"failed\",\"errors\":[" + config + "]");
    }
    return json;
}

// --all-errors: the recovered tree and every syntax error (parse_recovering); 1 with any.
int cmd_parse_recovering(const std::string& file, const ngxconf::json_options& opt,
                         const ngxconf::parse_options& po) {
    const std::string name = file == "-" ? ngxconf_tool::stdin_name : file;
    try {
        const auto r = ngxconf_tool::parse_input_recovering(file, po);
        std::cout << with_errors(ngxconf::to_crossplane_json(r.doc, opt), name, r.errors) << '\n';
        for (const auto& e : r.errors) {
            std::cerr << name << ':' << e.where.begin.line << ':' << e.where.begin.column << ": "
                      << e.message << '\n';
        }
        return r.errors.empty() ? 0 : 1;
    } catch (const ngxconf::error& e) {
        std::cout << ngxconf::crossplane_failure_json(name, e, opt.bytes) << '\n';
        std::cerr << e.what() << '\n';
        return 1;
    }
}

int cmd_parse(const std::string& file, const ngxconf::json_options& opt,
              const ngxconf::parse_options& po,
              const std::optional<ngxconf::check_options>& directives) {
    try {
        const auto doc = ngxconf_tool::parse_input(file, po);
        auto json = ngxconf::to_crossplane_json(doc, opt);
        if (directives) {
            const std::string name = file == "-" ? ngxconf_tool::stdin_name : file;
            json = with_errors(std::move(json), name, ngxconf::check(doc, *directives));
        }
        std::cout << json << '\n';
        return 0;
    } catch (const ngxconf::error& e) {
        const std::string name = file == "-" ? ngxconf_tool::stdin_name : file;
        std::cout << ngxconf::crossplane_failure_json(name, e, opt.bytes) << '\n';
        std::cerr << e.what() << '\n';
        return 1;
    }
}

// crossplane's default: the file and every file its includes pull in, each a "config"
// entry; include directives list the entries they pulled in.
int cmd_parse_tree(const std::string& file, ngxconf::json_options opt,
                   const ngxconf::parse_options& po, const std::vector<std::string>& maps,
                   const std::string& prefix) {
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
        std::cout << ngxconf::crossplane_failure_json(file, e, opt.bytes) << '\n';
        std::cerr << e.what() << '\n';
        return 1;
    }
    const auto docs = ws.documents();
    auto index_of = [&](const ngxconf::document* d) {
        return static_cast<std::size_t>(std::find(docs.begin(), docs.end(), d) - docs.begin());
    };
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
        errors +=
            "{\"file\":" + ngxconf::json_quote(p.where.file, ngxconf::json_bytes::surrogateescape) +
            ",\"line\":" + (p.where.begin.line ? std::to_string(p.where.begin.line) : "null") +
            ",\"error\":" + ngxconf::json_quote(p.message, opt.bytes) +
            ",\"code\":" + ngxconf::json_quote(ngxconf::to_string(p.code)) + "}";
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

// "a,b,,c" -> {"a", "b", "c"}.
std::vector<std::string> split_list(const std::string& list) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= list.size()) {
        const auto comma = std::min(list.find(',', from), list.size());
        if (comma > from) out.push_back(list.substr(from, comma - from));
        from = comma + 1;
    }
    return out;
}

// Everything the command line sets (one subcommand runs, so they share the variables).
struct tool_args {
    bool lenient = false;
    std::uint32_t max_depth = ngxconf::parse_options{}.max_depth;
    std::string file;
    std::vector<std::string> files;
    bool json = false, comments = false, follow = false, spans = false, all_errors = false;
    std::string bytes = "replace";
    std::vector<std::string> maps;
    std::string prefix;
    ngxconf_tool::select_request select;
    std::string nginx, context = "main", modules;
};

struct subcommands {
    CLI::App *parse, *print, *check, *dump, *select;
};

CLI::App* add_command(CLI::App& app, const char* name, const char* help, tool_args& args) {
    auto* sub = app.add_subcommand(name, help);
    sub->add_flag("--no-length-limit", args.lenient, "accept words over nginx's 4096-byte limit");
    sub->add_option("--max-depth", args.max_depth, "deepest nesting of { accepted (default 256)");
    return sub;
}

void add_directive_options(CLI::App* sub, tool_args& args) {
    sub->add_option("--nginx", args.nginx,
                     "also nginx's directive check against that version's table: 1.22 or 1.26")
        ->check(CLI::IsMember({"1.22", "1.22.1", "1.26", "1.26.3"}));
    sub->add_option("--context", args.context,
                    "where FILE's directives are read: main (default), http, server, location, "
                    "if, limit_except, upstream, events, stream, stream_server, mail, ...");
    sub->add_option("--modules", args.modules,
                    "comma-separated modules or sources nginx has (default: every one of the "
                    "table), e.g. nginx,http-lua,-stream");
}

subcommands add_commands(CLI::App& app, tool_args& args) {
    const char* file_help = "a file, or - for standard input";
    auto* parse = add_command(app, "parse", "Parse FILE; with --json print crossplane JSON", args);
    parse->add_flag("--json", args.json, "crossplane-compatible JSON (the default output)");
    parse->add_flag("--include-comments", args.comments, "include comments and disabled directives");
    parse->add_flag("--follow-includes", args.follow,
                    "also parse every file the includes pull in (crossplane's default)");
    parse->add_option("--map", args.maps, "NGINX_PREFIX=HOST_PREFIX for absolute include paths, "
                                          "e.g. /config=/docker/swag/config");
    parse->add_option("--prefix", args.prefix,
                      "base of relative include paths (default: FILE's folder)");
    parse->add_option("--bytes", args.bytes,
                      "bytes that are not UTF-8: replace (U+FFFD, as crossplane) or "
                      "surrogateescape (U+DC00+byte, recoverable)")
        ->check(CLI::IsMember({"replace", "surrogateescape"}));
    parse->add_flag("--spans", args.spans,
                    "also byte offsets, lines and columns of each directive, name and argument");
    parse->add_flag("--all-errors", args.all_errors,
                    "a tree and every syntax error even when FILE does not parse (for editors)");
    add_directive_options(parse, args);
    parse->add_option("FILE", args.file, file_help)->required();

    auto* print = add_command(app, "print", "Print FILE re-printed from its tree", args);
    print->add_option("FILE", args.file, file_help)->required();

    auto* check = add_command(app, "check", "Report syntax errors as FILE:LINE:COL: message", args);
    check->add_flag("--json", args.json, "one JSON object: {\"ok\", \"diagnostics\": [...]}");
    check->add_flag("--all-errors", args.all_errors,
                    "every syntax error of each file, not only the first (nginx's)");
    add_directive_options(check, args);
    check->add_option("FILE", args.files, file_help)->required();

    auto* dump = add_command(app, "dump", "Print the syntax tree of FILE", args);
    dump->add_option("FILE", args.file, file_help)->required();

    auto* select = add_command(app, "select",
                               "Print the directives SELECTOR matches as FILE:LINE:COL: text; "
                               "exit 0 matched, 1 none, 2 error", args);
    select->add_flag("--json", args.select.json,
                     "one JSON array of crossplane directives with file and region");
    select->add_flag("--include-disabled", args.select.include_disabled,
                     "match commented-out directives too");
    select->add_option("SELECTOR", args.select.selector, "e.g. 'server > location[0=/] > include'")
        ->required();
    select->add_option("FILE", args.select.files, file_help)->required();
    return {parse, print, check, dump, select};
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ngxconf - lossless nginx configuration parser (developer tool)"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(NGXCONF_VERSION));
    tool_args args;
    const auto cmd = add_commands(app, args);
    if (ngxtools::wants_cli_dump(argc, argv)) {
        ngxtools::dump_cli(app, std::cout);  // for the man page and the completions
        return 0;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    const auto po = read_only_options(args.lenient, args.max_depth);
    std::optional<ngxconf::check_options> directives;
    if (!args.nginx.empty()) {
        const auto ctx = ngxconf::check_context_named(args.context);
        if (!ctx) {
            std::cerr << "ngxconf: unknown --context " << args.context << '\n';
            return 2;
        }
        directives = ngxconf::check_options{*ngxconf::nginx_version_named(args.nginx), *ctx,
                                            split_list(args.modules)};
    }
    if (*cmd.parse) {
        if ((directives || args.all_errors) && args.follow) {
            std::cerr << "ngxconf: --nginx and --all-errors read one file; they do not combine "
                         "with --follow-includes\n";
            return 2;
        }
        if (directives && args.all_errors) {
            std::cerr << "ngxconf: --nginx checks a file that parses; it does not combine with "
                         "--all-errors\n";
            return 2;
        }
        ngxconf::json_options opt{.include_comments = args.comments, .spans = args.spans};
        if (args.bytes == "surrogateescape") opt.bytes = ngxconf::json_bytes::surrogateescape;
        if (args.follow) return cmd_parse_tree(args.file, opt, po, args.maps, args.prefix);
        return args.all_errors ? cmd_parse_recovering(args.file, opt, po)
                               : cmd_parse(args.file, opt, po, directives);
    }
    if (*cmd.print) return cmd_print(args.file, po);
    if (*cmd.check) {
        return ngxconf_tool::cmd_check(
            {.files = args.files, .parse = po, .json = args.json, .all_errors = args.all_errors,
             .directives = directives});
    }
    if (*cmd.dump) return cmd_dump(args.file, po);
    if (*cmd.select) {
        args.select.parse = po;
        return ngxconf_tool::cmd_select(args.select);
    }
    return 2;
}
