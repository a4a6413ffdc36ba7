// The read-only overloads of query.hpp: the mutable walks, with results given back as const
// handles (nothing is edited; see detail::unconst).
#include <ngxconf/query.hpp>

#include "cst/doc_impl.hpp"

namespace ngxconf {
namespace {

block open(const const_block& scope) { return detail::unconst<block>(scope); }

std::vector<const_directive> to_const(const std::vector<directive>& v) {
    return {v.begin(), v.end()};
}

}  // namespace

const_directive find_first(const const_block& scope, std::string_view name, find_options opts) {
    return find_first(open(scope), name, opts);
}

std::vector<const_directive> find_all(const const_block& scope, std::string_view name,
                                      find_options opts) {
    return to_const(find_all(open(scope), name, opts));
}

std::vector<const_directive> find_if(const const_block& scope,
                                     const std::function<bool(const const_directive&)>& pred,
                                     find_options opts) {
    return to_const(find_if(
        open(scope), [&](const directive& d) { return pred(d); }, opts));
}

void for_each_directive(const const_block& scope,
                        const std::function<void(const const_directive&)>& fn, find_options opts) {
    for_each_directive(
        open(scope), [&](const directive& d) { fn(d); }, opts);
}

std::vector<const_directive> select(const const_block& scope, std::string_view selector,
                                    find_options opts) {
    return to_const(select(open(scope), selector, opts));
}

std::vector<const_directive> ancestors(const const_node& n) {
    return to_const(ancestors(detail::unconst<node>(n)));
}

}  // namespace ngxconf
