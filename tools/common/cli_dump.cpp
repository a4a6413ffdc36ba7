// The command line as JSON (cli_dump.hpp).
#include "cli_dump.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ngxtools {
namespace {

std::string json_quoted(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (u < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + '"';
}

std::string list_of(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + json_quoted(items[i]);
    return out + ']';
}

std::vector<std::string> names_of(const CLI::Option& opt) {
    std::vector<std::string> names;
    for (const auto& s : opt.get_snames()) names.push_back("-" + s);
    for (const auto& l : opt.get_lnames()) names.push_back("--" + l);
    return names;
}

std::string option_json(const CLI::Option& opt) {
    // A flag expects no value (CLI11 gives flags a type size but an expected count of 0).
    const bool takes_value = opt.get_items_expected_max() > 0;
    return "{\"names\":" + list_of(names_of(opt)) +
           ",\"positional\":" + json_quoted(opt.get_positional() ? opt.get_name(true) : "") +
           ",\"type\":" + json_quoted(takes_value ? opt.get_type_name() : "") +
           ",\"description\":" + json_quoted(opt.get_description()) +
           ",\"default\":" + json_quoted(opt.get_default_str()) +
           ",\"takes_value\":" + (takes_value ? "true" : "false") +
           ",\"required\":" + (opt.get_required() ? "true" : "false") +
           ",\"multiple\":" + (opt.get_items_expected_max() > 1 ? "true" : "false") + '}';
}

std::string command_json(const CLI::App& cmd, const std::vector<std::string>& path) {
    std::string opts;
    for (const CLI::Option* opt : cmd.get_options()) {
        if (opt->get_group().empty()) continue;  // hidden
        opts += (opts.empty() ? "" : ",") + option_json(*opt);
    }
    return "{\"path\":" + list_of(path) + ",\"description\":" + json_quoted(cmd.get_description()) +
           ",\"fallthrough\":" + (cmd.get_fallthrough() ? "true" : "false") + ",\"options\":[" +
           opts + "]}";
}

}  // namespace

bool wants_cli_dump(int argc, char** argv) {
    return argc == 2 && std::string_view(argv[1]) == "--dump-cli";
}

void dump_cli(const CLI::App& app, std::ostream& out) {
    // Depth first with an explicit stack, subcommands in the order they were added.
    std::vector<std::pair<const CLI::App*, std::vector<std::string>>> todo{{&app, {}}};
    std::string commands;
    while (!todo.empty()) {
        auto [cmd, path] = std::move(todo.back());
        todo.pop_back();
        commands += (commands.empty() ? "" : ",") + command_json(*cmd, path);
        const auto subs = cmd->get_subcommands([](const CLI::App*) { return true; });
        for (auto it = subs.rbegin(); it != subs.rend(); ++it) {
            auto sub_path = path;
            sub_path.push_back((*it)->get_name());
            todo.emplace_back(*it, std::move(sub_path));
        }
    }
    out << "{\"name\":" << json_quoted(app.get_name()) << ",\"description\":"
        << json_quoted(app.get_description()) << ",\"footer\":" << json_quoted(app.get_footer())
        << ",\"commands\":[" << commands << "]}\n";
}

}  // namespace ngxtools
