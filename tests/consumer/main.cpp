// Parses a configuration through the installed library, edits nothing, prints it back and
// checks the bytes are identical, then catches a parse_error by type. Exit 0 when all holds.
#include <iostream>
#include <ngxconf/ngxconf.hpp>
#include <string>

int main() {
    const std::string text =
        "## Version 2024/01/01\r\n"
        "server {\n"
        "    listen 443 ssl;\n"
        "#    listen 443 quic;\n"
        "\tserver_name  'app.*' ; # name\n"
        "    location / { return 200 \"ok\\\"\"; }\n"
        "}";
    auto result = ngxconf::try_parse(text, "consumer.conf");
    if (!result) {
        std::cerr << "consumer: parse failed: " << result.error().what() << '\n';
        return 1;
    }
    const auto& doc = result.value();
    const std::string printed = ngxconf::to_string(doc);
    if (printed != text) {
        std::cerr << "consumer: printed bytes differ:\n"
                  << ngxconf::json_quote(printed) << "\n" << ngxconf::json_quote(text) << '\n';
        return 1;
    }
    const auto server = ngxconf::find_first(doc.root(), "server");
    if (!server || ngxconf::find_all(server.body(), "listen").size() != 1) {
        std::cerr << "consumer: query failed\n";
        return 1;
    }
    // An exception thrown inside a shared library is caught here by its own type (its
    // typeinfo is exported, one object on both sides).
    try {
        (void)ngxconf::parse("server {\n}\n}\n");
        std::cerr << "consumer: no parse_error for a stray '}'\n";
        return 1;
    } catch (const ngxconf::parse_error& e) {
        if (e.code() != ngxconf::error_code::unexpected_close_brace || e.where().begin.line != 3) {
            std::cerr << "consumer: wrong parse_error: " << e.what() << '\n';
            return 1;
        }
    }
    std::cout << "consumer: " << printed.size() << " bytes printed back identical\n";
    return 0;
}
