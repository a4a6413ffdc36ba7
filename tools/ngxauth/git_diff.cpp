// git_diff(): the --dry-run patch, as `git diff` writes it, with paths relative to ROOT so that
// `cd ROOT && patch -p1 < FILE` and `git apply FILE` both take it.
#include <fmt/core.h>

#include "commands.hpp"
#include "ngxconf/diff.hpp"

namespace ngxauth {
namespace {

// `prefix` + `path` as git prints a name: in double quotes with C escapes when it holds a
// quote, a backslash, a control byte or a byte above ASCII (git's core.quotePath default).
std::string git_quoted(std::string_view prefix, std::string_view path) {
    const std::string name = std::string(prefix) + std::string(path);
    bool quote = false;
    for (unsigned char c : name) quote = quote || c < 0x20 || c >= 0x7f || c == '"' || c == '\\';
    if (!quote) return name;
    std::string out = "\"";
    for (unsigned char c : name) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\a': out += "\\a"; break;
            case '\b': out += "\\b"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\v': out += "\\v"; break;
            case '\f': out += "\\f"; break;
            case '\r': out += "\\r"; break;
            default:
                if (c < 0x20 || c >= 0x7f) {
                    out += fmt::format("\\{:03o}", c);
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

}  // namespace

std::string git_diff(const std::vector<ngxconf::file_change>& changes,
                     const std::filesystem::path& root) {
    std::string out;
    for (const auto& c : changes) {
        const std::string rel = c.path.lexically_proximate(root).generic_string();
        const std::string a = git_quoted("a/", rel), b = git_quoted("b/", rel);
        // git ends a ---/+++ name holding a space with a tab, so that patch reads it whole.
        const std::string tab = rel.find(' ') != std::string::npos ? "\t" : "";
        out += fmt::format("diff --git {} {}\n", a, b);
        if (c.remove) {
            out += "deleted file mode 100644\n";
        } else if (!c.expected) {
            out += "new file mode 100644\n";
        }
        out += ngxconf::unified_diff(c.expected.value_or(std::string()), c.remove ? std::string() : c.bytes,
                                     c.expected ? a + tab : std::string("/dev/null"),
                                     c.remove ? std::string("/dev/null") : b + tab);
    }
    return out;
}

}  // namespace ngxauth
