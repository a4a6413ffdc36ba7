// unified_diff(): `diff -u` output, byte-exact for `patch`.
//
// Lines keep their line end (so a CR before the LF is part of the line and "x" without LF
// differs from "x\n", as in GNU diff). The common prefix and suffix are cut off, the middle is
// diffed by dtl (Wu-Manber-Myers O(NP)) over interned line numbers; every change run is then
// written as its deletions followed by its insertions, hunks are grouped as GNU diff does
// (changes at most 2*context unchanged lines apart share a hunk) and ranges are spelled as it
// does ("start" for one line, "start,count" otherwise, the preceding line for count 0).
#include <ngxconf/diff.hpp>

#include <dtl/dtl.hpp>

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ngxconf {

namespace {

std::vector<std::string_view> split_lines(std::string_view s) {
    std::vector<std::string_view> lines;
    while (!s.empty()) {
        const auto nl = s.find('\n');
        const auto len = nl == std::string_view::npos ? s.size() : nl + 1;
        lines.push_back(s.substr(0, len));
        s.remove_prefix(len);
    }
    return lines;
}

enum class op : std::uint8_t { common, del, add };

// The edit script of the middle parts a[0..na) -> b[0..nb), as runs of deletions then additions
// between common lines. Falls back to "delete all, add all" should dtl's script not be a valid
// one (it always is in the tests; the check keeps the output exact whatever happens).
void middle_script(const std::vector<int>& a, const std::vector<int>& b, std::vector<op>& out) {
    const auto fallback = [&] {
        out.insert(out.end(), a.size(), op::del);
        out.insert(out.end(), b.size(), op::add);
    };
    if (a.empty() || b.empty()) return fallback();
    dtl::Diff<int, std::vector<int>> d(a, b);
    d.compose();
    const auto ses = d.getSes().getSequence();
    std::vector<op> mid;
    mid.reserve(ses.size());
    std::size_t i = 0, j = 0, dels = 0, adds = 0;
    const auto flush = [&] {
        mid.insert(mid.end(), dels, op::del);
        mid.insert(mid.end(), adds, op::add);
        dels = adds = 0;
    };
    for (const auto& [elem, info] : ses) {
        switch (info.type) {
        case dtl::SES_COMMON:
            flush();
            if (i >= a.size() || j >= b.size() || a[i] != b[j]) return fallback();
            mid.push_back(op::common);
            ++i, ++j;
            break;
        case dtl::SES_DELETE:
            ++dels, ++i;
            break;
        case dtl::SES_ADD:
            ++adds, ++j;
            break;
        default:
            return fallback();
        }
    }
    flush();
    if (i != a.size() || j != b.size()) return fallback();
    out.insert(out.end(), mid.begin(), mid.end());
}

void put_range(std::string& out, std::size_t before, std::size_t count) {
    // `before`: lines of the file preceding the hunk.
    if (count == 1) {
        out += std::to_string(before + 1);
    } else if (count == 0) {
        out += std::to_string(before) + ",0";
    } else {
        out += std::to_string(before + 1) + "," + std::to_string(count);
    }
}

void put_line(std::string& out, char mark, std::string_view line) {
    out += mark;
    out += line;
    if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unified_diff(std::string_view old_bytes, std::string_view new_bytes,
                         std::string_view old_label, std::string_view new_label, int context) {
    if (old_bytes == new_bytes) return {};
    const std::size_t ctx = context > 0 ? static_cast<std::size_t>(context) : 0;
    const auto a = split_lines(old_bytes);
    const auto b = split_lines(new_bytes);

    std::size_t pre = 0;
    while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
    std::size_t suf = 0;
    while (suf < a.size() - pre && suf < b.size() - pre &&
           a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
        ++suf;
    }

    std::unordered_map<std::string_view, int> ids;
    const auto intern = [&](std::string_view line) {
        return ids.try_emplace(line, static_cast<int>(ids.size())).first->second;
    };
    std::vector<int> ma, mb;
    for (std::size_t i = pre; i < a.size() - suf; ++i) ma.push_back(intern(a[i]));
    for (std::size_t i = pre; i < b.size() - suf; ++i) mb.push_back(intern(b[i]));

    std::vector<op> ops(pre, op::common);
    middle_script(ma, mb, ops);
    ops.insert(ops.end(), suf, op::common);

    // Runs of changes [begin, end) in ops.
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    for (std::size_t k = 0; k < ops.size();) {
        if (ops[k] == op::common) {
            ++k;
            continue;
        }
        const auto start = k;
        while (k < ops.size() && ops[k] != op::common) ++k;
        runs.emplace_back(start, k);
    }

    std::string out;
    out += "--- ";
    out += old_label;
    out += "\n+++ ";
    out += new_label;
    out += '\n';

    // Line numbers before each op.
    std::vector<std::size_t> at_old(ops.size() + 1), at_new(ops.size() + 1);
    for (std::size_t k = 0; k < ops.size(); ++k) {
        at_old[k + 1] = at_old[k] + (ops[k] != op::add ? 1 : 0);
        at_new[k + 1] = at_new[k] + (ops[k] != op::del ? 1 : 0);
    }

    for (std::size_t r = 0; r < runs.size();) {
        auto last = r;
        while (last + 1 < runs.size() && runs[last + 1].first - runs[last].second <= 2 * ctx) ++last;
        const std::size_t first_common = r == 0 ? 0 : runs[r - 1].second;
        const std::size_t begin = std::max(first_common, runs[r].first >= ctx ? runs[r].first - ctx : 0);
        const std::size_t end = std::min(ops.size(), runs[last].second + ctx);

        out += "@@ -";
        put_range(out, at_old[begin], at_old[end] - at_old[begin]);
        out += " +";
        put_range(out, at_new[begin], at_new[end] - at_new[begin]);
        out += " @@\n";
        for (std::size_t k = begin; k < end; ++k) {
            switch (ops[k]) {
            case op::common: put_line(out, ' ', a[at_old[k]]); break;
            case op::del: put_line(out, '-', a[at_old[k]]); break;
            case op::add: put_line(out, '+', b[at_new[k]]); break;
            }
        }
        r = last + 1;
    }
    return out;
}

}  // namespace ngxconf
