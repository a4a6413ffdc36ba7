#pragma once
// Generating new configuration text that reads like a hand-written SWAG file.
#include <string>
#include <string_view>
#include <vector>

#include "ngxconf/document.hpp"
#include "ngxconf/export.hpp"

namespace ngxconf {

// Writes canonical text (SWAG house style: `{` on the directive's line, one indent unit per
// level, one space between arguments, values spelled by spell_value) and parses it, so the
// document it builds is exactly what a later parse of the saved file gives.
//
// Example:
//   auto doc = config_builder()
//       .comment("## Version 2026/11/28")
//       .open("server").directive("listen", {"443", "ssl"})
//       .open("location", {"/"}).directive("proxy_pass", {"http://app:80"}).close()
//       .close().build("auth.subdomain.conf");
class NGXCONF_API config_builder {
public:
    explicit config_builder(text_style style = {});

    config_builder& directive(std::string_view name, const std::vector<std::string>& args = {});
    // `name args {` ... until the matching close().
    config_builder& open(std::string_view name, const std::vector<std::string>& args = {});
    config_builder& close();
    // A whole-line comment: `text` is written after "# " unless it starts with '#'.
    config_builder& comment(std::string_view text);
    config_builder& blank_line();

    // The canonical text so far (every block must be closed).
    [[nodiscard]] std::string text() const;
    // Parses text(); throws usage_error if a block is still open.
    [[nodiscard]] document build(std::string source_name = {}) const;

private:
    void line(std::string_view body);
    text_style style_;
    std::string out_;
    int depth_ = 0;
};

// Rewrites the formatting of the nodes of `scope` (recursively) to the canonical layout:
// indentation depth x style.indent_unit, single spaces between arguments, no blanks before
// ';', one newline after each node. Comments keep their text; blank lines stay. With
// `generated_only`, only nodes the library created are touched (Roslyn's elastic trivia):
// parsed formatting is never rewritten behind the caller's back.
NGXCONF_API void reformat(const block& scope, bool generated_only = true);

}  // namespace ngxconf
