// session: a workspace over SWAG's nginx folder; the operations live in their own files.
#include <algorithm>

#include "detail.hpp"

namespace ngxconf::swag {
namespace {

namespace fs = std::filesystem;

layout normalised(layout l) {
    std::error_code ec;
    fs::path a = fs::absolute(l.root, ec);
    if (ec) a = l.root;
    a = a.lexically_normal();
    if (a.has_relative_path() && a.filename().empty()) a = a.parent_path();
    l.root = std::move(a);
    while (l.container_root.size() > 1 && l.container_root.back() == '/') l.container_root.pop_back();
    return l;
}

workspace_options options_for(const layout& l, const parse_options& opts) {
    workspace_options w;
    w.prefix = l.root;
    w.mappings.push_back({l.container_root, l.root});
    w.parse = opts;
    return w;
}

}  // namespace

error::error(diag_code code, std::string message, std::vector<std::string> suggestions,
             source_region where)
    : ngxconf::error(code, std::move(message), std::move(where)),
      suggestions_(std::move(suggestions)) {}

std::string_view to_string(change_kind k) noexcept {
    switch (k) {
        case change_kind::enable: return "enable";
        case change_kind::disable: return "disable";
        case change_kind::set: return "set";
        case change_kind::insert: return "insert";
        case change_kind::create: return "create";
        case change_kind::activate: return "activate";
        case change_kind::remove: return "remove";
        case change_kind::deactivate: return "deactivate";
    }
    return "unknown";
}

session::session(layout where, parse_options opts)
    : layout_(normalised(std::move(where))), parse_(opts), ws_(options_for(layout_, opts)) {}

report session::protect(std::string_view app, const protect_options& opts) {
    detail::context ctx{layout_, ws_, parse_};
    return recorded(detail::protect(ctx, app, opts));
}

report session::unprotect(std::string_view app, provider with) {
    detail::context ctx{layout_, ws_, parse_};
    return recorded(detail::unprotect(ctx, app, with));
}

report session::switch_upstream(const upstream_target& target) {
    detail::context ctx{layout_, ws_, parse_};
    return recorded(detail::switch_upstream(ctx, target));
}

std::optional<upstream_target> session::upstream() {
    detail::context ctx{layout_, ws_, parse_};
    return detail::current_upstream(ctx);
}

report session::generate_auth_subdomain(const gen_options& opts) {
    detail::context ctx{layout_, ws_, parse_};
    return recorded(detail::generate_auth_subdomain(ctx, opts));
}

std::vector<app_status> session::status() {
    detail::context ctx{layout_, ws_, parse_};
    return detail::status(ctx);
}

std::vector<diagnostic> session::doctor() {
    detail::context ctx{layout_, ws_, parse_};
    return detail::doctor(ctx);
}

report session::recorded(report r) {
    const auto note = [this](const fs::path& file) {
        if (std::find(write_order_.begin(), write_order_.end(), file) == write_order_.end()) {
            write_order_.push_back(file);
        }
    };
    // A conf activated from its .sample is written once, with its lines: it takes its place
    // from its first edit (after default.conf's server-level line), not from the activation.
    for (const auto& c : r.changes) {
        if (c.what != change_kind::activate) note(c.file);
    }
    for (const auto& c : r.changes) note(c.file);
    return r;
}

std::string session::diff() const { return ws_.diff(write_order_); }
std::vector<file_change> session::pending_changes() const {
    return ws_.pending_changes(write_order_);
}
transaction_result session::save(const transaction_options& opts) {
    return ws_.save(opts, write_order_);
}
const layout& session::where() const noexcept { return layout_; }
workspace& session::files() noexcept { return ws_; }

}  // namespace ngxconf::swag
