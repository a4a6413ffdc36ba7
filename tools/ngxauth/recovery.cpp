// recover_first(): before anything else, every command puts back what an interrupted run
// (killed, power lost) left half-written, and says so: recovery is never silent.
#include <fmt/core.h>

#include <cstdio>

#include "commands.hpp"
#include "ngxconf/error.hpp"
#include "ngxconf/save.hpp"

namespace ngxauth {

void recover_first(options& o) {
    const auto where = ngxconf::swag::layout::detect(o.root);
    std::vector<std::filesystem::path> files;
    try {
        files = ngxconf::recover_interrupted(where.root);
    } catch (const ngxconf::error& e) {
        // Another run holds the lock: its own transaction recovers the tree first.
        if (e.code() != ngxconf::diag_code::locked) throw;
    }
    for (const auto& f : files) {
        o.recovered.push_back(display_path(f, where.root));
        fmt::print(stderr, "ngxauth: an interrupted run was rolled back: {} is back as it was\n",
                   o.recovered.back());
    }
    std::fflush(stderr);
}

}  // namespace ngxauth
