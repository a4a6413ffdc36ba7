// Names as people read them: close matches for "did you mean", and the order of a listing.
#include <algorithm>

#include "detail.hpp"

namespace ngxconf::swag {
namespace {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::vector<std::string> close_matches(std::string_view typed, const std::vector<std::string>& names,
                                       std::size_t limit) {
    const std::string t = detail::lower(typed);
    const std::size_t max_distance = t.size() <= 3 ? 1 : t.size() <= 6 ? 2 : 3;
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto& name : names) {
        const std::string n = detail::lower(name);
        std::size_t score = edit_distance(t, n);
        const bool prefix = t.size() >= 3 && (n.starts_with(t) || t.starts_with(n));
        if (score > max_distance && !prefix) continue;
        if (prefix) score = std::min<std::size_t>(score, max_distance);
        scored.emplace_back(score, name);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (auto& s : scored) {
        if (out.size() == limit) break;
        out.push_back(std::move(s.second));
    }
    return out;
}

namespace detail {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool natural_less(std::string_view a, std::string_view b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (is_digit(a[i]) && is_digit(b[j])) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && is_digit(a[ie])) ++ie;
            while (je < b.size() && is_digit(b[je])) ++je;
            // By value: fewer significant digits first, then digit by digit.
            std::string_view x = a.substr(i, ie - i), y = b.substr(j, je - j);
            while (x.size() > 1 && x.front() == '0') x.remove_prefix(1);
            while (y.size() > 1 && y.front() == '0') y.remove_prefix(1);
            if (x.size() != y.size()) return x.size() < y.size();
            if (x != y) return x < y;
            i = ie;
            j = je;
            continue;
        }
        if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

}  // namespace detail

bool natural_less(std::string_view a, std::string_view b) noexcept {
    return detail::natural_less(a, b);
}

}  // namespace ngxconf::swag
