// find_first / find_all / find_if / for_each_directive: depth-first walks in document order.
#include <ngxconf/query.hpp>

#include "cst/id_walk.hpp"

namespace ngxconf {
namespace {

// Calls fn(directive) for each directive below scope; fn returns false to stop the walk.
// Walks the records: a handle is made only for the directives fn sees.
template <class Fn>
void walk_directives(const block& scope, const find_options& opts, Fn&& fn) {
    detail::doc_impl& d = detail::doc_access::of(scope.owner());
    detail::walk_ids(d, scope.id(), [&](walk_event e, std::uint32_t id) {
        if (e == walk_event::leave) return walk_action::descend;
        const detail::item& it = d.items[id];
        if (it.kind != node_kind::directive) return walk_action::skip_children;
        const bool visible = !(it.flags & detail::f_disabled) || opts.include_disabled;
        if (visible && !fn(d.handle<directive>(id))) return walk_action::stop;
        return opts.recursive ? walk_action::descend : walk_action::skip_children;
    });
}

}  // namespace

directive find_first(const block& scope, std::string_view name, find_options opts) {
    directive found;
    walk_directives(scope, opts, [&](const directive& d) {
        if (d.name() != name) return true;
        found = d;
        return false;
    });
    return found;
}

std::vector<directive> find_all(const block& scope, std::string_view name, find_options opts) {
    std::vector<directive> out;
    walk_directives(scope, opts, [&](const directive& d) {
        if (d.name() == name) out.push_back(d);
        return true;
    });
    return out;
}

std::vector<directive> find_if(const block& scope,
                               const std::function<bool(const directive&)>& pred,
                               find_options opts) {
    std::vector<directive> out;
    walk_directives(scope, opts, [&](const directive& d) {
        if (pred(d)) out.push_back(d);
        return true;
    });
    return out;
}

void for_each_directive(const block& scope, const std::function<void(const directive&)>& fn,
                        find_options opts) {
    walk_directives(scope, opts, [&](const directive& d) {
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
