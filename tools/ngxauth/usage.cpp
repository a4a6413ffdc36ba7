// Command lines ngxauth refuses (usage.hpp).
#include "usage.hpp"

#include <cmath>
#include <string>
#include <string_view>

#include "ngxconf/swag/swag.hpp"

namespace ngxauth {
namespace {

struct known_words {
    std::vector<std::string> commands;
    std::vector<std::string> options;        // "--root", with dashes
    std::vector<std::string> with_value;     // those that take the next word as their value
};

void add_options(const CLI::App& app, known_words& k) {
    for (const CLI::Option* opt : app.get_options()) {
        for (const auto& name : opt->get_lnames()) {
            k.options.push_back("--" + name);
            if (opt->get_items_expected_min() > 0) k.with_value.push_back("--" + name);
        }
    }
}

known_words words_of(CLI::App& app) {
    known_words k;
    add_options(app, k);
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        k.commands.push_back(sub->get_name());
        add_options(*sub, k);
        for (CLI::App* inner : sub->get_subcommands([](CLI::App*) { return true; })) add_options(*inner, k);
    }
    return k;
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

bool wants_json(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--json") return true;
    }
    return false;
}

usage_failure refused_command_line(CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
    const known_words k = words_of(app);
    bool command_seen = false;
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--") break;
        if (word.starts_with("--")) {
            const std::string name = word.substr(0, word.find('='));
            if (!contains(k.options, name)) {
                return usage_failure("unknown option \"" + name + "\"",
                                     ngxconf::swag::close_matches(name, k.options, 3));
            }
            if (name == word && contains(k.with_value, name)) ++i;  // its value follows
            continue;
        }
        if (word.starts_with('-') || command_seen) continue;
        if (!contains(k.commands, word)) {
            return usage_failure("unknown command \"" + word + "\"",
                                 ngxconf::swag::close_matches(word, k.commands, 3));
        }
        command_seen = true;
    }
    return usage_failure(e.what());
}

CLI::Validator seconds(at_least min) {
    return CLI::Validator(
        [min](std::string& text) -> std::string {
            double v = 0;
            std::size_t used = 0;
            try {
                v = std::stod(text, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != text.size() || !std::isfinite(v)) {
                return "\"" + text + "\" is not a number of seconds";
            }
            if (min == at_least::zero && v < 0) return "must be 0 or more, not " + text;
            if (min == at_least::above_zero && v <= 0) return "must be more than 0, not " + text;
            return {};
        },
        min == at_least::zero ? "SECONDS >= 0" : "SECONDS > 0");
}

CLI::Validator port_number() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            const bool digits = !text.empty() && text.size() <= 5 &&
                                text.find_first_not_of("0123456789") == std::string::npos;
            if (!digits || std::stoi(text) < 1 || std::stoi(text) > 65535) {
                return "\"" + text + "\" is not a port (1 to 65535)";
            }
            return {};
        },
        "1-65535");
}

}  // namespace ngxauth
