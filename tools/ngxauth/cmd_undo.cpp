// undo [ID]: revert the last (or the given) recorded transaction as a new transaction, with
// --dry-run, --check, --validate and --reload like any other write.
#include <fmt/core.h>

#include "commands.hpp"
#include "ngxconf/diff.hpp"
#include "ngxconf/save.hpp"

namespace ngxauth {
namespace {

// The diff of the undo: each file from what it holds now (what the transaction left) to what
// the undo gives it.
std::string undo_diff(const std::vector<ngxconf::file_change>& changes) {
    std::string out;
    for (const auto& c : changes) {
        const std::string name = c.path.string();
        const std::string after = c.remove ? std::string() : c.bytes;
        out += ngxconf::unified_diff(c.expected.value_or(std::string()), after,
                                     c.expected ? name : std::string("/dev/null"),
                                     c.remove ? std::string("/dev/null") : name);
    }
    return out;
}

}  // namespace

int cmd_undo(const options& o, std::optional<std::uint64_t> id) {
    const auto root = ngxconf::swag::layout::detect(o.root).root;
    if (!id) {
        const auto entries = ngxconf::read_history(root);
        if (!entries.empty()) id = entries.back().id;
    }
    pending_write w;
    w.root = root;
    if (id) w.changes = ngxconf::undo_changes(root, *id);
    w.diff = [&w] { return undo_diff(w.changes); };
    w.save = [&w](const ngxconf::transaction_options& t) { ngxconf::apply_changes(w.changes, t); };
    const std::string subject = id ? std::to_string(*id) : std::string();
    return finish_write({}, w, o,
                        {"undo", subject, "no recorded change to undo",
                         fmt::format("transaction {} is undone", subject)});
}

}  // namespace ngxauth
