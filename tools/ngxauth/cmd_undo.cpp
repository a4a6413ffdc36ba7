// undo [ID]: revert the last (or the given) recorded transaction as a new transaction, with
// --dry-run, --check, --validate and --reload like any other write.
#include <fmt/core.h>

#include "commands.hpp"
#include "ngxconf/save.hpp"

namespace ngxauth {

int cmd_undo(const options& o, std::optional<std::uint64_t> id) {
    const auto root = ngxconf::swag::layout::detect(o.root).root;
    if (!id) {
        const auto entries = ngxconf::read_history(root);
        if (!entries.empty()) id = entries.back().id;
    }
    pending_write w;
    w.root = root;
    if (id) w.changes = ngxconf::undo_changes(root, *id);
    w.save = [&w](const ngxconf::transaction_options& t) { ngxconf::apply_changes(w.changes, t); };
    const std::string subject = id ? std::to_string(*id) : std::string();
    return finish_write({}, w, o,
                        {"undo", subject, "no recorded change to undo",
                         fmt::format("transaction {} is undone", subject)});
}

}  // namespace ngxauth
