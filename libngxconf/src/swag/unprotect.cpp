// unprotect: the exact reverse of protect (protect.cpp).
//
// When the transaction history shows that protect wrote the conf as it is now, the conf gets
// its bytes from before back (a conf protect activated is removed again); otherwise the lines
// are switched off. Location-level lines go off before the server-level ones; default.conf's
// shared line of a subfolder app goes off only when nothing else uses it, and is never
// restored wholesale (other apps share it).
#include <algorithm>

#include "detail.hpp"
#include "restore.hpp"

namespace ngxconf::swag::detail {
namespace {

// Turns a line off; a line this session inserted goes again, so protect + unprotect in one
// session leaves no trace.
void switch_off(report& r, const fs::path& file, const directive& d) {
    if (!d.enabled()) return;
    if (!line_of(d)) {
        // The "# enable for ..." comment protect --insert wrote above it goes too.
        const comment above = d.prev_sibling().as_comment();
        const auto& rows = provider_table();
        if (above && !line_of(above) && std::any_of(rows.begin(), rows.end(), [&](const auto& row) {
                return is_enable_comment(above, row.id);
            })) {
            r.changes.push_back(change{file, 0, change_kind::remove, line_text(above), ""});
            remove(above);
        }
        std::string before = line_text(d);
        remove(d);
        r.changes.push_back(change{file, 0, change_kind::remove, std::move(before), ""});
        return;
    }
    if (auto c = toggle(file, d, false)) r.changes.push_back(std::move(*c));
}

// Gives the conf its bytes from before protect when the history vouches for them; false when
// it does not (then the lines are switched off instead).
bool restore(context& ctx, report& r, const fs::path& file, document& doc, provider with) {
    if (!any_line_on(doc, with, ctx.container_root())) return false;
    const std::string now = to_string(doc);
    const auto point = restore_point_of(ctx, file, now);
    if (!point) return false;
    if (!point->before) {
        ctx.ws.remove(file);
        r.changes.push_back(change{file, 0, change_kind::deactivate, "", ""});
        return true;
    }
    auto changes = line_changes(file, now, *point->before);
    ctx.ws.replace(file, parse(*point->before, file.string(), ctx.parse));
    r.changes.insert(r.changes.end(), changes.begin(), changes.end());
    return true;
}

void switch_off_conf(context& ctx, report& r, const app_conf& c, document& doc, provider with) {
    for (const auto& loc : locations_in(doc.root())) {
        for (const auto& d : lines_in(loc.body(), with, level::location, ctx.container_root())) {
            switch_off(r, c.path, d);
        }
    }
    if (c.kind != app_kind::subdomain) return;
    for (const auto& s : servers_of(doc)) {
        for (const auto& d : lines_in(s.body(), with, level::server, ctx.container_root())) {
            switch_off(r, c.path, d);
        }
    }
}

// default.conf's shared server-level lines, once no app uses them: taken out when the
// latest recorded write of default.conf did nothing but add them (protect --insert), else
// commented out.
void switch_off_shared(context& ctx, report& r, document& dc, const std::vector<directive>& on) {
    const fs::path file = ctx.default_conf();
    const std::string now = to_string(dc);
    std::vector<std::uint32_t> lines;
    for (const auto& d : on) lines.push_back(line_of(d));
    const bool unedited = now == dc.source();  // line numbers are those of `now`
    if (unedited && only_added(ctx, file, now, lines)) {
        for (const auto& d : on) {
            r.changes.push_back(change{file, line_of(d), change_kind::remove, line_text(d), ""});
            remove(d);
        }
        return;
    }
    for (const auto& d : on) switch_off(r, file, d);
}

// Another provider whose location-level line is on in the conf (unprotect says which).
std::optional<provider> provider_on(const context& ctx, const fs::path& file, provider with) {
    document* doc = ctx.existing(file);
    if (!doc) return std::nullopt;
    for (const auto& row : provider_table()) {
        if (row.id == with) continue;
        bool on = false;
        for (const auto& loc : locations_in(doc->root())) {
            for (const auto& d : lines_in(loc.body(), row.id, level::location, ctx.container_root())) {
                on = on || line_on(d);
            }
        }
        if (on) return row.id;
    }
    return std::nullopt;
}

}  // namespace

report unprotect(context& ctx, std::string_view app, provider with) {
    const app_query q = parse_app_query(app);
    const auto confs = active_confs(ctx, q);
    if (confs.empty()) {
        const auto samples = sample_confs(ctx, q);
        if (!samples.empty()) {
            throw_app_not_found(ctx, q, true,
                                "only proxy-confs/" + samples.front().path.filename().string() +
                                    " exists: nothing to unprotect");
        }
        throw_app_not_found(ctx, q, false,
                            "no proxy-conf for \"" + q.name + "\" in " + ctx.proxy_confs().string());
    }
    report r;
    std::vector<fs::path> untouched;
    for (const auto& c : confs) {
        document* doc = ctx.existing(c.path);
        const std::size_t before = r.changes.size();
        if (!restore(ctx, r, c.path, *doc, with)) switch_off_conf(ctx, r, c, *doc, with);
        if (c.kind == app_kind::subfolder && with != provider::basic) {
            if (document* dc = ctx.existing(ctx.default_conf())) {
                std::vector<directive> on;
                for (const auto& s : subfolder_servers(*dc)) {
                    for (const auto& d : lines_in(s.body(), with, level::server, ctx.container_root())) {
                        if (d.enabled()) on.push_back(d);
                    }
                }
                if (!on.empty()) {
                    const auto users = subfolder_users(ctx, with, c.path);
                    if (users.empty()) {
                        switch_off_shared(ctx, r, *dc, on);
                    } else {
                        r.notes.push_back(make_diag(
                            severity::info, diag_code::swag_default_conf_kept,
                            "site-confs/default.conf keeps " + std::string(info(with).server_file) +
                                " on: still used by " + join(users),
                            ctx.default_conf()));
                    }
                }
            }
        }
        if (r.changes.size() == before) untouched.push_back(c.path);
    }
    if (!r.changed()) {
        for (const auto& f : untouched) {
            r.notes.push_back(make_diag(
                severity::info, diag_code::swag_not_protected_by,
                "not protected by " + std::string(name_of(with)) + ": " + file_label(ctx, f), f));
            if (const auto other = provider_on(ctx, f, with)) {
                r.notes.push_back(make_diag(severity::info, diag_code::swag_other_provider_enabled,
                                            file_label(ctx, f) + ": " + std::string(name_of(*other)) +
                                                " is on; unprotect it with --provider " +
                                                std::string(name_of(*other)),
                                            f));
            }
        }
    }
    return r;
}

}  // namespace ngxconf::swag::detail
