// find_first / find_all / find_if / for_each_directive: depth-first walks in document order.
#include <ngxconf/query.hpp>

#include "cst/doc_impl.hpp"

namespace ngxconf {
namespace {

// Calls fn(directive) for each directive below scope; fn returns false to stop the walk.
template <class Fn>
bool walk(const block& scope, const find_options& opts, Fn&& fn) {
    for (node n : scope) {
        directive d = n.as_directive();
        if (!d) continue;
        if (d.enabled() || opts.include_disabled) {
            if (!fn(d)) return false;
        }
        if (opts.recursive) {
            if (block b = d.body()) {
                if (!walk(b, opts, fn)) return false;
            }
        }
    }
    return true;
}

}  // namespace

directive find_first(const block& scope, std::string_view name, find_options opts) {
    directive found;
    walk(scope, opts, [&](const directive& d) {
        if (d.name() != name) return true;
        found = d;
        return false;
    });
    return found;
}

std::vector<directive> find_all(const block& scope, std::string_view name, find_options opts) {
    std::vector<directive> out;
    walk(scope, opts, [&](const directive& d) {
        if (d.name() == name) out.push_back(d);
        return true;
    });
    return out;
}

std::vector<directive> find_if(const block& scope,
                               const std::function<bool(const directive&)>& pred,
                               find_options opts) {
    std::vector<directive> out;
    walk(scope, opts, [&](const directive& d) {
        if (pred(d)) out.push_back(d);
        return true;
    });
    return out;
}

void for_each_directive(const block& scope, const std::function<void(const directive&)>& fn,
                        find_options opts) {
    walk(scope, opts, [&](const directive& d) {
        fn(d);
        return true;
    });
}

std::function<bool(const directive&)> named(std::string_view name) {
    return [n = std::string(name)](const directive& d) { return d.name() == n; };
}

std::function<bool(const directive&)> arg_equals(std::size_t i, std::string_view value) {
    return [i, v = std::string(value)](const directive& d) {
        return i < d.arg_count() && d.arg(i) == v;
    };
}

std::vector<directive> ancestors(const node& n) {
    std::vector<directive> out;
    for (block b = n.parent(); b && !b.is_root(); b = b.parent()) out.push_back(b.owner_directive());
    return out;
}

}  // namespace ngxconf
