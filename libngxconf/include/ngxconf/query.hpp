#pragma once
// Finding directives. Free functions over a block; results are handles in document order.
// Disabled (commented-out) directives are skipped unless include_disabled is set.
#include <functional>
#include <string_view>
#include <vector>

#include "ngxconf/export.hpp"
#include "ngxconf/node.hpp"

namespace ngxconf {

struct find_options {
    bool recursive = false;         // look into nested blocks too
    bool include_disabled = false;  // also match commented-out directives (`#include ...;`)
};

// Example: find_first(doc.root(), "server") -> the first top-level `server` block, or null.
[[nodiscard]] NGXCONF_API directive find_first(const block& scope, std::string_view name,
                                               find_options opts = {});
[[nodiscard]] NGXCONF_API std::vector<directive> find_all(const block& scope, std::string_view name,
                                                          find_options opts = {});
// Every directive for which `pred` holds (composable C++ predicates).
[[nodiscard]] NGXCONF_API std::vector<directive> find_if(
    const block& scope, const std::function<bool(const directive&)>& pred, find_options opts = {});
// Calls fn for every directive of the scope, depth-first, in document order.
NGXCONF_API void for_each_directive(const block& scope,
                                    const std::function<void(const directive&)>& fn,
                                    find_options opts = {});

// The same over a read-only scope (from a `const document&`): read-only results.
[[nodiscard]] NGXCONF_API const_directive find_first(const const_block& scope, std::string_view name,
                                         find_options opts = {});
[[nodiscard]] NGXCONF_API std::vector<const_directive> find_all(const const_block& scope,
                                                    std::string_view name, find_options opts = {});
[[nodiscard]] NGXCONF_API std::vector<const_directive> find_if(
    const const_block& scope, const std::function<bool(const const_directive&)>& pred,
    find_options opts = {});
NGXCONF_API void for_each_directive(const const_block& scope,
                        const std::function<void(const const_directive&)>& fn,
                        find_options opts = {});

// A tiny selector language, CSS-like:
//   step       := name | "*"  followed by zero or more [filters]
//   filter     := [value]        first argument equals value
//               | [N=value]      argument N (0-based) equals value
//               | [N^=prefix]    argument N starts with prefix
//               | [*=value]      some argument equals value
//   a b        b anywhere inside a (descendant);  a > b  b directly inside a (child)
// Values are compared with the decoded arguments; quote a value containing ']' or spaces
// with double quotes. The first step matches at any depth below `scope`.
// Example: select(doc.root(), "location set[$upstream_authentik]")
//          select(doc.root(), "server > location[0=~] > include[/config/nginx/proxy.conf]")
// Throws usage_error on a malformed selector.
[[nodiscard]] NGXCONF_API std::vector<directive> select(const block& scope, std::string_view selector,
                                            find_options opts = {});
[[nodiscard]] NGXCONF_API std::vector<const_directive> select(const const_block& scope,
                                                  std::string_view selector,
                                                  find_options opts = {});

// Predicate helpers for find_if.
[[nodiscard]] NGXCONF_API std::function<bool(const directive&)> named(std::string_view name);
[[nodiscard]] NGXCONF_API std::function<bool(const directive&)> arg_equals(std::size_t i,
                                                                           std::string_view value);

// The blocks enclosing a node, innermost first, up to (not including) the root.
[[nodiscard]] NGXCONF_API std::vector<directive> ancestors(const node& n);
[[nodiscard]] NGXCONF_API std::vector<const_directive> ancestors(const const_node& n);

}  // namespace ngxconf
