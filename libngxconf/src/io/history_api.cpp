// read_history() and undo_changes(): the public face of the history (history.hpp).
#include <ngxconf/save.hpp>

#include "io/fs_util.hpp"
#include "io/history.hpp"

namespace ngxconf {

namespace fs = std::filesystem;
using namespace detail::io;

std::vector<history_entry> read_history(const fs::path& state_dir) {
    return read_history_of(state_folder(state_dir));
}

namespace {

// The file must still hold what the transaction left.
void check_unchanged_since(const history_file& f) {
    const auto cur = read_current(resolve_target(f.path));
    const bool same = cur ? (f.after && cur->bytes == *f.after) : !f.after;
    if (!same) {
        throw plain_error(
            error_code::modified_on_disk,
            "\"" + f.path.string() + "\" was changed on disk since the transaction to undo",
            f.path);
    }
}

}  // namespace

std::vector<file_change> undo_changes(const fs::path& state_dir, std::uint64_t id) {
    for (const auto& h : read_history(state_dir)) {
        if (h.id != id) continue;
        std::vector<file_change> out;
        for (const auto& f : h.files) {
            check_unchanged_since(f);
            file_change c{f.path, f.before.value_or(std::string()), f.after, !f.before};
            out.push_back(std::move(c));
        }
        return out;
    }
    throw plain_error(error_code::io_error,
                      "no transaction " + std::to_string(id) + " in the history of \"" +
                          state_dir.string() + "\"",
                      state_dir);
}

}  // namespace ngxconf
