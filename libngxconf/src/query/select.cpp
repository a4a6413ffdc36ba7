// The selector language of query.hpp: steps of `name[filters]` joined by ' ' (descendant)
// or '>' (child).
#include <ngxconf/error.hpp>
#include <ngxconf/query.hpp>

#include <unordered_set>
#include <string>

namespace ngxconf {
namespace {

struct filter {
    enum class op : std::uint8_t { equals, prefix, any_equals } what = op::equals;
    std::size_t index = 0;
    std::string value;
};
struct step {
    std::string name;  // "*" matches any
    std::vector<filter> filters;
    bool child = false;  // joined to the previous step by '>'
};

[[noreturn]] void bad(std::string_view sel, std::string_view why) {
    throw usage_error("invalid selector \"" + std::string(sel) + "\": " + std::string(why));
}

std::vector<step> compile(std::string_view sel) {
    std::vector<step> steps;
    std::size_t i = 0;
    bool child = false;
    auto skip_space = [&] {
        while (i < sel.size() && sel[i] == ' ') ++i;
    };
    skip_space();
    while (i < sel.size()) {
        if (sel[i] == '>') {
            if (steps.empty() || child) bad(sel, "'>' needs a step on each side");
            child = true;
            ++i;
            skip_space();
            continue;
        }
        step s;
        s.child = child;
        child = false;
        while (i < sel.size() && sel[i] != ' ' && sel[i] != '[' && sel[i] != '>') s.name += sel[i++];
        if (s.name.empty()) bad(sel, "a step needs a directive name or '*'");
        while (i < sel.size() && sel[i] == '[') {
            ++i;
            std::string body;
            bool quoted = false;
            while (i < sel.size() && (quoted || sel[i] != ']')) {
                if (sel[i] == '"') {
                    quoted = !quoted;
                    ++i;
                    continue;
                }
                if (quoted && sel[i] == '\\' && i + 1 < sel.size()) ++i;
                body += sel[i++];
            }
            if (i >= sel.size()) bad(sel, "missing ']'");
            ++i;
            filter f;
            const auto eq = body.find('=');
            const bool numbered = eq != std::string::npos && eq > 0 &&
                                  (body.find_first_not_of("0123456789^*") >= eq);
            if (!numbered) {
                f.value = body;
            } else {
                std::string lhs = body.substr(0, eq);
                f.value = body.substr(eq + 1);
                if (lhs == "*") {
                    f.what = filter::op::any_equals;
                } else {
                    if (lhs.back() == '^') {
                        f.what = filter::op::prefix;
                        lhs.pop_back();
                    }
                    if (lhs.empty() || lhs.find_first_not_of("0123456789") != std::string::npos) {
                        bad(sel, "filter index must be a number");
                    }
                    f.index = std::stoul(lhs);
                }
            }
            s.filters.push_back(std::move(f));
        }
        steps.push_back(std::move(s));
        skip_space();
    }
    if (steps.empty() || child) bad(sel, "empty selector or trailing '>'");
    return steps;
}

bool matches(const directive& d, const step& s) {
    if (s.name != "*" && d.name() != s.name) return false;
    for (const auto& f : s.filters) {
        switch (f.what) {
            case filter::op::equals:
                if (f.index >= d.arg_count() || d.arg(f.index) != f.value) return false;
                break;
            case filter::op::prefix:
                if (f.index >= d.arg_count() || d.arg(f.index).rfind(f.value, 0) != 0) return false;
                break;
            case filter::op::any_equals: {
                bool any = false;
                for (std::size_t i = 0; i < d.arg_count() && !any; ++i) any = d.arg(i) == f.value;
                if (!any) return false;
                break;
            }
        }
    }
    return true;
}

void search(const block& scope, const std::vector<step>& steps, std::size_t k, bool direct_only,
            const find_options& opts, std::vector<directive>& out) {
    for (node n : scope) {
        directive d = n.as_directive();
        if (!d) continue;
        const bool visible = d.enabled() || opts.include_disabled;
        if (visible && matches(d, steps[k])) {
            if (k + 1 == steps.size()) {
                out.push_back(d);
            } else if (block b = d.body()) {
                search(b, steps, k + 1, steps[k + 1].child, opts, out);
            }
        }
        if (!direct_only) {
            if (block b = d.body()) search(b, steps, k, false, opts, out);
        }
    }
}

}  // namespace

std::vector<directive> select(const block& scope, std::string_view selector, find_options opts) {
    const auto steps = compile(selector);
    std::vector<directive> out;
    search(scope, steps, 0, false, opts, out);
    // A directive reachable along two paths (nested matches of a descendant step) is
    // reported once, in document order of first discovery.
    std::vector<directive> unique;
    std::unordered_set<std::uint32_t> seen;
    for (const auto& d : out) {
        if (seen.insert(d.id()).second) unique.push_back(d);
    }
    return unique;
}

}  // namespace ngxconf
