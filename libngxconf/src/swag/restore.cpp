// restore: unprotect's way back to the bytes before protect, across runs (see restore.hpp).
#include "restore.hpp"

#include <algorithm>
#include <cstdint>

namespace ngxconf::swag::detail {
namespace {

// Larger files get one whole-file change instead of a line diff (the table is n*m).
constexpr std::size_t max_diff_cells = std::size_t{16} << 20;

std::string key_of(const fs::path& p) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(fs::absolute(p, ec), ec);
    return (ec ? p.lexically_normal() : c).string();
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        out.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

std::string shown(std::string_view line) {
    if (line.ends_with('\r')) line.remove_suffix(1);
    return std::string(line);
}

// Whether `then` is `now` with a '#' (and maybe one space after it) put in.
bool commented_out(std::string_view now, std::string_view then) {
    const auto hash = then.find('#');
    if (hash == std::string_view::npos) return false;
    const std::string plain =
        std::string(then.substr(0, hash)) + std::string(then.substr(hash + 1));
    if (plain == now) return true;
    return then.substr(hash + 1).starts_with(' ') &&
           std::string(then.substr(0, hash)) + std::string(then.substr(hash + 2)) == now;
}

// One run of lines between unchanged ones: indices into the old and the new lines.
struct run {
    std::vector<std::size_t> gone;   // lines of `now`
    std::vector<std::size_t> added;  // lines of `then`
};

void flush(std::vector<change>& out, run& r, std::size_t consumed, const fs::path& file,
           const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
    const std::size_t paired = std::min(r.gone.size(), r.added.size());
    for (std::size_t k = 0; k < r.gone.size(); ++k) {
        const auto line = static_cast<std::uint32_t>(r.gone[k] + 1);
        if (k >= paired) {
            out.push_back(change{file, line, change_kind::remove, shown(a[r.gone[k]]), ""});
            continue;
        }
        const auto& now = a[r.gone[k]];
        const auto& then = b[r.added[k]];
        out.push_back(change{file, line,
                             commented_out(now, then) ? change_kind::disable : change_kind::set,
                             shown(now), shown(then)});
    }
    for (std::size_t k = paired; k < r.added.size(); ++k) {
        out.push_back(change{file, static_cast<std::uint32_t>(consumed), change_kind::insert, "",
                             shown(b[r.added[k]])});
    }
    r = run{};
}

}  // namespace

std::vector<change> line_changes(const fs::path& file, std::string_view now,
                                 std::string_view then) {
    const auto a = split_lines(now);
    const auto b = split_lines(then);
    const std::size_t n = a.size(), m = b.size();
    if ((n + 1) * (m + 1) > max_diff_cells) return {change{file, 0, change_kind::set, "", ""}};
    // lcs[i * (m + 1) + j]: the longest common subsequence of a[i..] and b[j..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& {
        return lcs[i * (m + 1) + j];
    };
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        }
    }
    std::vector<change> out;
    run r;
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            flush(out, r, i, file, a, b);
            ++i;
            ++j;
        } else if (j >= m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
            r.gone.push_back(i++);
        } else {
            r.added.push_back(j++);
        }
    }
    flush(out, r, i, file, a, b);
    // A change of the last line's end alone (a final newline) has no line of its own.
    if (out.empty() && now != then) out.push_back(change{file, 0, change_kind::set, "", ""});
    return out;
}

bool any_line_on(document& doc, provider p, std::string_view container_root) {
    for (const auto& loc : locations_in(doc.root())) {
        for (const auto& d : lines_in(loc.body(), p, level::location, container_root)) {
            if (line_on(d)) return true;
        }
    }
    for (const auto& s : servers_of(doc)) {
        for (const auto& d : lines_in(s.body(), p, level::server, container_root)) {
            if (line_on(d)) return true;
        }
    }
    return false;
}

namespace {

// The latest recorded write of `file`, when it left exactly `now` there.
std::optional<history_file> last_write(const context& ctx, const fs::path& file,
                                       std::string_view now) {
    std::vector<history_entry> history;
    try {
        history = read_history(ctx.where.root);
    } catch (const ngxconf::error&) {
        return std::nullopt;  // a damaged history vouches for nothing
    }
    const std::string key = key_of(file);
    for (auto e = history.rbegin(); e != history.rend(); ++e) {
        const auto f = std::find_if(e->files.begin(), e->files.end(),
                                    [&](const history_file& h) { return key_of(h.path) == key; });
        if (f == e->files.end()) continue;
        if (!f->after || *f->after != now) return std::nullopt;  // changed since
        return *f;
    }
    return std::nullopt;
}

}  // namespace

std::optional<restore_point> restore_point_of(const context& ctx, const fs::path& conf,
                                              std::string_view now) {
    const auto f = last_write(ctx, conf, now);
    if (!f) return std::nullopt;
    if (!f->before) return restore_point{std::nullopt};
    try {
        document before = parse(*f->before, conf.string(), ctx.parse);
        for (const auto& row : provider_table()) {
            if (any_line_on(before, row.id, ctx.container_root())) return std::nullopt;
        }
    } catch (const ngxconf::error&) {
        return std::nullopt;
    }
    return restore_point{f->before};
}

bool only_added(const context& ctx, const fs::path& file, std::string_view now,
                const std::vector<std::uint32_t>& lines) {
    const auto f = last_write(ctx, file, now);
    if (!f || !f->before) return false;
    std::string without;
    std::uint32_t line = 1;
    std::size_t pos = 0;
    while (pos < now.size()) {
        std::size_t end = now.find('\n', pos);
        end = end == std::string_view::npos ? now.size() : end + 1;
        if (std::find(lines.begin(), lines.end(), line) == lines.end()) {
            without += now.substr(pos, end - pos);
        }
        ++line;
        pos = end;
    }
    return without == *f->before;
}

}  // namespace ngxconf::swag::detail
