#pragma once
// What protect wrote, read back from the transaction history (ngxconf/save.hpp), so that a
// later run's unprotect can give a conf exactly the bytes it had before protect.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detail.hpp"

namespace ngxconf::swag::detail {

// The bytes a conf had before the transaction that last touched it: nullopt in `before`
// when that transaction created the file (protect --from-sample activated it).
struct restore_point {
    std::optional<std::string> before;
};

// The restore point of `conf`, whose bytes are `now`, when the history vouches for it: the
// latest recorded transaction that touched the conf left exactly `now`, and before it the
// conf did not exist or had no auth line of any provider on. nullopt otherwise (no history,
// a damaged one, the conf edited since, or what was there before was already protected).
// The history's label is never looked at.
[[nodiscard]] std::optional<restore_point> restore_point_of(const context& ctx,
                                                            const fs::path& conf,
                                                            std::string_view now);

// Whether the latest recorded write of `file`, whose bytes are `now`, did nothing but add
// these lines (1-based, in `now`): taking them out again gives the bytes from before it.
[[nodiscard]] bool only_added(const context& ctx, const fs::path& file, std::string_view now,
                              const std::vector<std::uint32_t>& lines);

// Whether a document has a line of p on: location-level in any location, server-level in
// any server block.
[[nodiscard]] bool any_line_on(document& doc, provider p, std::string_view container_root);

// The changes, line by line, that turn `now` into `then`, for a report: a line commented
// out is `disable`, a line taken out `remove`, a line added `insert`, any other `set`. Line
// numbers are those of `now` (for insert: the line the new one follows).
[[nodiscard]] std::vector<change> line_changes(const fs::path& file, std::string_view now,
                                               std::string_view then);

}  // namespace ngxconf::swag::detail
