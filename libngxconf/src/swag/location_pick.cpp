// Which location nginx picks for a URI (ngx_http_core_find_location, without nested
// locations): what the auth subrequest of auth_request reaches decides whether an app is
// protected or answers its own auth check.
// GCC 12's middle end warns inside <regex> (std::function moved into the NFA's states) when
// sanitizers change its inlining: a false positive in the library header (GCC bug 105562).
// The pragma stays on for this file, as the warning is reported where <regex> is instantiated.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>

#include "model.hpp"

namespace ngxconf::swag::detail {
namespace {

enum class match_kind : std::uint8_t { prefix, no_regex, exact, regex, regex_caseless, named };

struct location_pattern {
    match_kind kind = match_kind::prefix;
    std::string text;
};

// `location = /x`, `location =/x`, `location ^~ /x`, `location ~* re`, `location @name`.
location_pattern pattern_of(const directive& loc) {
    location_pattern p;
    if (loc.arg_count() == 2) {
        const std::string mod = loc.arg(0);
        p.text = loc.arg(1);
        if (mod == "=") p.kind = match_kind::exact;
        else if (mod == "^~") p.kind = match_kind::no_regex;
        else if (mod == "~") p.kind = match_kind::regex;
        else if (mod == "~*") p.kind = match_kind::regex_caseless;
        return p;
    }
    if (loc.arg_count() != 1) return {match_kind::named, {}};  // not a location nginx accepts
    std::string name = loc.arg(0);
    if (name.starts_with('@')) return {match_kind::named, name};
    if (name.starts_with('=')) return {match_kind::exact, name.substr(1)};
    if (name.starts_with("^~")) return {match_kind::no_regex, name.substr(2)};
    if (name.starts_with("~*")) return {match_kind::regex_caseless, name.substr(2)};
    if (name.starts_with('~')) return {match_kind::regex, name.substr(1)};
    return {match_kind::prefix, std::move(name)};
}

// PCRE patterns of SWAG's confs are ECMAScript-compatible; one that std::regex cannot read is
// taken as not matching (the verdict then errs towards "open", never towards "protected").
bool regex_matches(const location_pattern& p, std::string_view uri) {
    try {
        auto flags = std::regex::ECMAScript;
        if (p.kind == match_kind::regex_caseless) flags |= std::regex::icase;
        const std::regex re(p.text, flags);
        return std::regex_search(uri.begin(), uri.end(), re);
    } catch (const std::regex_error&) {
        return false;
    }
}

}  // namespace

std::string named_location(const directive& loc) {
    const location_pattern p = pattern_of(loc);
    return p.kind == match_kind::named ? p.text : std::string();
}

const placed* pick_location(std::string_view uri, const std::vector<placed>& locations) {
    const placed* longest = nullptr;
    std::size_t longest_len = 0;
    bool longest_no_regex = false;
    for (const auto& l : locations) {
        const location_pattern p = pattern_of(l.d);
        if (p.kind == match_kind::exact && p.text == uri) return &l;
        if (p.kind != match_kind::prefix && p.kind != match_kind::no_regex) continue;
        if (!uri.starts_with(p.text) || (longest && p.text.size() <= longest_len)) continue;
        longest = &l;
        longest_len = p.text.size();
        longest_no_regex = p.kind == match_kind::no_regex;
    }
    if (longest && longest_no_regex) return longest;
    for (const auto& l : locations) {
        const location_pattern p = pattern_of(l.d);
        if (p.kind != match_kind::regex && p.kind != match_kind::regex_caseless) continue;
        if (regex_matches(p, uri)) return &l;
    }
    return longest;
}

}  // namespace ngxconf::swag::detail
