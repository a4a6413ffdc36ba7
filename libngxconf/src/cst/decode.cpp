// nginx's unescaping of a token (the copy loop at the end of ngx_conf_read_token).
#include "cst/doc_impl.hpp"

namespace ngxconf::detail {

quote_style quote_of(std::string_view raw) noexcept {
    if (!raw.empty() && raw[0] == '"') return quote_style::dbl;
    if (!raw.empty() && raw[0] == '\'') return quote_style::single;
    return quote_style::none;
}

std::string decode_token(std::string_view raw) {
    if (quote_of(raw) != quote_style::none) {
        raw.remove_prefix(1);
        if (!raw.empty()) raw.remove_suffix(1);
    }
    if (raw.find('\\') == std::string_view::npos) return std::string(raw);
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\\' && i + 1 < raw.size()) {
            switch (raw[i + 1]) {
                case '"':
                case '\'':
                case '\\':
                    out.push_back(raw[++i]);
                    continue;
                case 't':
                    out.push_back('\t');
                    ++i;
                    continue;
                case 'r':
                    out.push_back('\r');
                    ++i;
                    continue;
                case 'n':
                    out.push_back('\n');
                    ++i;
                    continue;
                default:
                    break;
            }
        }
        out.push_back(c);
    }
    return out;
}

std::string_view doc_impl::decoded_name(std::uint32_t id, std::string_view raw) const {
    if (!needs_decoding(raw)) return raw;
    // Nodes of an unordered_map never move: views of earlier answers stay valid.
    auto [at, added] = decoded_names.try_emplace(id);
    if (added) at->second = decode_token(raw);
    return at->second;
}

}  // namespace ngxconf::detail
