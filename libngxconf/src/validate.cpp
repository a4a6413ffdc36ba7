// validate(): advice on documents that parse.
#include <ngxconf/query.hpp>
#include <ngxconf/validate.hpp>

#include <array>
#include <string_view>

namespace ngxconf {
namespace {

// Directives SWAG confs comment in and out; a near miss of one of these is a typo.
constexpr std::array<std::string_view, 24> well_known = {
    "add_header", "auth_basic", "auth_basic_user_file", "auth_request", "auth_request_set",
    "client_max_body_size", "error_page", "include", "listen", "location",
    "proxy_buffering", "proxy_pass", "proxy_redirect", "proxy_set_header", "proxy_ssl_server_name",
    "resolver", "return", "rewrite", "server_name", "set", "ssl_certificate", "ssl_certificate_key",
    "http2", "quic"};

// Levenshtein distance, stopping early above 1.
bool one_edit_apart(std::string_view a, std::string_view b) {
    if (a == b) return false;
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > 1) return false;
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    if (a.size() == b.size()) return a.substr(i + 1) == b.substr(i + 1);  // one substitution
    return a.substr(i) == b.substr(i + 1);                                // one insertion
}

}  // namespace

std::vector<diagnostic> validate(const document& doc) noexcept {
    std::vector<diagnostic> out;
    try {
        // What will be printed, not the bytes first read: the BOM can only sit in the
        // first node's text.
        const const_node first = doc.root().first_child();
        if (first && std::string_view(first.text()).substr(0, 3) == "\xEF\xBB\xBF") {
            const auto at = first.position();
            out.push_back({severity::warning, diag_code::bom,
                           "the file starts with a UTF-8 byte order mark; nginx reads it as part "
                           "of the first directive's name",
                           {doc.source_name(), at, at}, {}, "remove the first three bytes"});
        }
        for_each_directive(
            doc.root(),
            [&](const const_directive& d) {
                if (d.enabled()) return;
                for (const auto known : well_known) {
                    if (one_edit_apart(d.name(), known)) {
                        const auto at = d.name_position();
                        out.push_back({severity::warning, diag_code::suspicious_disabled_name,
                                       "commented-out \"" + std::string(d.name()) +
                                           "\": did you mean " + std::string(known) + "?",
                                       {doc.source_name(), at, at}, {}, std::string(known)});
                        break;
                    }
                }
            },
            {.recursive = true, .include_disabled = true});
    } catch (...) {
        // Advice is best effort: a failure here must not hide the document from the caller.
    }
    return out;
}

}  // namespace ngxconf
