// The selector language of query.hpp: steps of `name[filters]` joined by ' ' (descendant)
// or '>' (child).
#include <ngxconf/error.hpp>
#include <ngxconf/query.hpp>

#include <algorithm>
#include <cstdint>
#include <string>

#include "cst/id_walk.hpp"

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

// Which steps a directive ends a match of, as a bit set over the steps: bit k is set when
// the directive matches step k and, unless k == 0, some ancestor (the parent, for a '>'
// step) has bit k - 1. A directive is selected when it has the bit of the last step.
class step_sets {
public:
    explicit step_sets(std::size_t steps) : words_((steps + 63) / 64) {}

    // The bits of `d`, whose ancestors' union is `above` and whose parent's bits are `parent`.
    void compute(const directive& d, const std::vector<step>& steps, const std::uint64_t* above,
                 const std::uint64_t* parent, std::uint64_t* out) const {
        for (std::size_t w = 0; w < words_; ++w) out[w] = 0;
        for (std::size_t k = 0; k < steps.size(); ++k) {
            if (k > 0 && !has(steps[k].child ? parent : above, k - 1)) continue;
            if (matches(d, steps[k])) out[k / 64] |= std::uint64_t{1} << (k % 64);
        }
    }
    static bool has(const std::uint64_t* bits, std::size_t k) {
        return (bits[k / 64] >> (k % 64)) & 1u;
    }
    [[nodiscard]] std::size_t words() const { return words_; }

private:
    std::size_t words_;
};

// One preorder walk over the records. `levels` holds, per open block, the union of its
// ancestors' bits and its owner's bits (2 x words each): memory on the heap, linear in depth.
void search(const block& scope, const std::vector<step>& steps, const find_options& opts,
            std::vector<directive>& out) {
    detail::doc_impl& doc = detail::doc_access::of(scope.owner());
    const step_sets sets(steps.size());
    const std::size_t w = sets.words();
    std::vector<std::uint64_t> levels(2 * w, 0);  // the scope: nothing matched above it
    std::vector<std::uint64_t> mine(w);
    const std::size_t last = steps.size() - 1;
    detail::walk_ids(doc, scope.id(), [&](walk_event e, std::uint32_t id) {
        if (e == walk_event::leave) {
            levels.resize(levels.size() - 2 * w);
            return walk_action::descend;
        }
        const detail::item& it = doc.items[id];
        if (it.kind != node_kind::directive) return walk_action::skip_children;
        const std::uint64_t* above = levels.data() + levels.size() - 2 * w;
        const directive d = doc.handle<directive>(id);
        if (!(it.flags & detail::f_disabled) || opts.include_disabled) {
            sets.compute(d, steps, above, above + w, mine.data());
        } else {
            std::fill(mine.begin(), mine.end(), 0);
        }
        if (step_sets::has(mine.data(), last)) out.push_back(d);
        if ((it.flags & detail::f_block) && !(it.flags & detail::f_lua)) {
            const std::size_t at = levels.size();
            levels.resize(at + 2 * w);
            for (std::size_t i = 0; i < w; ++i) {
                levels[at + i] = levels[at - 2 * w + i] | mine[i];
                levels[at + w + i] = mine[i];
            }
        }
        return walk_action::descend;
    });
}

}  // namespace

std::vector<directive> select(const block& scope, std::string_view selector, find_options opts) {
    const auto steps = compile(selector);
    std::vector<directive> out;
    search(scope, steps, opts, out);
    return out;
}

}  // namespace ngxconf
