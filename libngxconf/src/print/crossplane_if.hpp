#pragma once
#include <string>
#include <vector>

namespace ngxconf::detail {
// crossplane's reading of `if (...)` arguments (its parser's _prepare_if_args): only when the
// first argument starts with '(' and the last ends with ')', those two characters go, with the
// blanks next to them (Python's str.strip whitespace); then the first and the last argument are
// dropped if that left them empty. Anything else is left as nginx gave it.
void strip_if_parens(std::vector<std::string>& args);
}  // namespace ngxconf::detail
