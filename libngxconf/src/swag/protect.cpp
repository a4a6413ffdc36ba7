// protect: turn a provider's auth lines of an app on.
//
// Every check runs before the first edit: a refused protect leaves the workspace as it was.
// Server-level lines are turned on before location-level ones, so no step leaves a location
// asking a provider whose server-level endpoints are missing.
#include <algorithm>
#include <fstream>
#include <iterator>

#include "protect_check.hpp"

namespace ngxconf::swag::detail {
namespace {

// The conf carries no line of the provider at all, commented or not.
error no_lines(const std::string& label, provider p) {
    return error(diag_code::swag_no_auth_lines,
                 label + " has no " + std::string(name_of(p)) +
                     " line to enable, commented out or not (SWAG ships some confs without "
                     "auth lines on purpose)");
}

// -------------------------------------------------------------------- helpers

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        throw io_error(error_code::io_error, "open() \"" + p.string() + "\" failed",
                       source_region{p.string(), {}, {}});
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string where_line(std::uint32_t line) {
    return line ? " (line " + std::to_string(line) + ")" : std::string();
}

// The provider's files must exist before its include lines are turned on.
void require_provider_files(const context& ctx, provider p) {
    if (p == provider::basic) return;
    std::vector<std::string> missing, hints;
    for (const auto l : {level::server, level::location}) {
        const auto& i = info(p);
        const std::string name(l == level::server ? i.server_file : i.location_file);
        if (ctx.exists(ctx.root_file(name))) continue;
        missing.push_back(name);
        if (on_disk(ctx.root_file(name + ".sample"))) {
            hints.push_back("copy " + name + ".sample to " + name + " (SWAG does so at start-up)");
        }
    }
    if (missing.empty()) return;
    throw error(diag_code::swag_provider_files_missing,
                join(missing) + (missing.size() == 1 ? " is" : " are") + " missing in " +
                    ctx.where.root.string() + ": the " + std::string(name_of(p)) +
                    " lines would include a file that does not exist",
                std::move(hints));
}

// A line of another provider that is on.
struct other_line {
    provider p;
    directive d;
};

std::vector<other_line> others_on(const context& ctx, document& doc, provider p,
                                  bool server_level) {
    std::vector<other_line> out;
    // Location-level lines first: --replace turns them off before the server-level ones.
    for (const auto& row : provider_table()) {
        if (row.id == p) continue;
        for (const auto& loc : locations_in(doc.root())) {
            for (const auto& d : lines_in(loc.body(), row.id, level::location, ctx.container_root())) {
                if (line_on(d)) out.push_back({row.id, d});
            }
        }
    }
    for (const auto& row : provider_table()) {
        if (row.id == p || !server_level) continue;
        for (const auto& s : servers_of(doc)) {
            for (const auto& d : lines_in(s.body(), row.id, level::server, ctx.container_root())) {
                if (line_on(d)) out.push_back({row.id, d});
            }
        }
    }
    return out;
}

std::string describe_others(const std::vector<other_line>& others) {
    std::vector<std::string> parts;
    for (const auto& row : provider_table()) {
        std::vector<std::string> lines;
        for (const auto& o : others) {
            if (o.p == row.id) lines.push_back(std::to_string(line_of(o.d)));
        }
        if (!lines.empty()) {
            parts.push_back(std::string(row.name) + " (line" + (lines.size() > 1 ? "s " : " ") +
                            join(lines) + ")");
        }
    }
    return join(parts);
}

// -------------------------------------------------------------------- the plan

struct plan {
    struct toggle_step {
        fs::path file;
        directive d;
        bool on;
    };
    struct insert_step {
        fs::path file;
        block scope;
        provider p;
        level l;
    };
    std::vector<toggle_step> off;            // other providers' lines (replace)
    std::vector<toggle_step> server_on;      // p's server-level lines
    std::vector<insert_step> server_insert;  // where p's server-level line is missing
    std::vector<toggle_step> location_on;
    std::vector<insert_step> location_insert;
    std::vector<diagnostic> notes;
    std::vector<fs::path> files;  // the confs protected, for the "already protected" note
};

// Basic auth is a pair: the names missing from a location that has one of them.
std::vector<std::string> basic_missing(const std::vector<directive>& lines) {
    std::vector<std::string> missing;
    for (const std::string_view name : {"auth_basic", "auth_basic_user_file"}) {
        const bool has = std::any_of(lines.begin(), lines.end(),
                                     [&](const directive& d) { return d.name() == name; });
        if (!has) missing.emplace_back(name);
    }
    return missing;
}

// Plans p's location-level lines of one location that carries some of them.
void plan_location(const context& ctx, plan& pl, const fs::path& file, const directive& loc,
                   provider p, const protect_options& opts) {
    const auto lines = lines_in(loc.body(), p, level::location, ctx.container_root());
    if (p == provider::basic) {
        const auto missing = basic_missing(lines);
        if (!missing.empty()) {
            if (!opts.insert) {
                throw error(diag_code::swag_no_auth_lines,
                            describe_location(loc) + " has only half of basic auth (" +
                                join(missing) + " missing)",
                            {}, loc.region());
            }
            pl.location_insert.push_back({file, loc.body(), p, level::location});
        }
    }
    for (const auto& d : lines) pl.location_on.push_back({file, d, true});
}

// The locations protect --insert gives the location-level line.
std::vector<directive> insert_targets(const std::vector<directive>& locations) {
    std::vector<directive> out;
    for (const auto& loc : locations) {
        if (proxies(loc) && !open_on_purpose(loc)) out.push_back(loc);
    }
    return out;
}

// protect --insert never puts a provider's own portal behind itself (a login loop).
void refuse_own_portal(const context& ctx, const fs::path& file, provider p) {
    if (p == provider::basic) return;
    const std::string name = file.filename().string();
    bool own = name.starts_with(std::string(name_of(p)) + ".");
    if (p == provider::authentik) {
        own = own || name.starts_with("auth.");
        for (const auto& c : authentik_serving_confs(ctx)) own = own || c.path == file;
    }
    if (!own) return;
    throw error(diag_code::swag_no_auth_lines,
                file_label(ctx, file) + " serves " + std::string(name_of(p)) +
                    " itself: it has no " + std::string(name_of(p)) +
                    " lines on purpose, and inserting them would put the login page behind itself");
}

void plan_others(plan& pl, const fs::path& file,
                 const std::vector<other_line>& others, const protect_options& opts) {
    if (others.empty()) return;
    if (!opts.replace) {
        throw error(diag_code::swag_other_provider_enabled,
                    "already protected by another provider: " + describe_others(others),
                    {}, others.front().d.region());
    }
    for (const auto& o : others) pl.off.push_back({file, o.d, false});
}

void plan_subdomain(const context& ctx, plan& pl, document& doc, const fs::path& file,
                    const protect_options& opts) {
    const provider p = opts.with;
    const auto label = file_label(ctx, file);
    const auto servers = servers_of(doc);
    if (servers.empty()) {
        throw error(diag_code::swag_no_auth_lines, label + " has no server block to protect");
    }
    plan_others(pl, file, others_on(ctx, doc, p, true), opts);

    struct server_shape {
        directive server;
        std::vector<directive> server_lines;
        std::vector<directive> locations;
        std::vector<directive> carrying;
    };
    std::vector<server_shape> shapes;
    std::size_t total = 0;
    for (const auto& s : servers) {
        server_shape sh{s, lines_in(s.body(), p, level::server, ctx.container_root()),
                        locations_in(s.body()), {}};
        for (const auto& loc : sh.locations) {
            if (!lines_in(loc.body(), p, level::location, ctx.container_root()).empty()) {
                sh.carrying.push_back(loc);
            }
        }
        total += sh.server_lines.size() + sh.carrying.size();
        shapes.push_back(std::move(sh));
    }

    if (total == 0) {
        if (!opts.insert) {
            throw no_lines(label, p);
        }
        refuse_own_portal(ctx, file, p);
        std::size_t targets = 0;
        for (const auto& sh : shapes) {
            const auto locs = insert_targets(sh.locations);
            if (locs.empty()) continue;
            targets += locs.size();
            if (p != provider::basic) pl.server_insert.push_back({file, sh.server.body(), p, level::server});
            for (const auto& loc : locs) pl.location_insert.push_back({file, loc.body(), p, level::location});
        }
        if (targets == 0) {
            throw error(diag_code::swag_no_auth_lines,
                        label + " has no location to protect: none passes requests on, or all "
                                "are API / well-known endpoints that are left open on purpose");
        }
        return;
    }

    for (const auto& sh : shapes) {
        if (p != provider::basic) {
            if (sh.server_lines.empty() && !sh.carrying.empty()) {
                if (!opts.insert) {
                    throw error(diag_code::swag_no_auth_lines,
                                label + ": the server block" + where_line(line_of(sh.server)) +
                                    " has " + std::string(info(p).location_file) +
                                    " lines but no " + std::string(info(p).server_file) +
                                    " line; enabling them alone would break nginx",
                                {}, sh.server.region());
                }
                pl.server_insert.push_back({file, sh.server.body(), p, level::server});
            }
            for (const auto& d : sh.server_lines) pl.server_on.push_back({file, d, true});
        }
        for (const auto& loc : sh.carrying) plan_location(ctx, pl, file, loc, p, opts);
    }
}

void plan_subfolder(context& ctx, plan& pl, document& doc, const fs::path& file,
                    const protect_options& opts) {
    const provider p = opts.with;
    const auto label = file_label(ctx, file);
    const auto others = others_on(ctx, doc, p, false);
    plan_others(pl, file, others, opts);

    const auto locations = locations_in(doc.root());
    std::vector<directive> carrying;
    for (const auto& loc : locations) {
        if (!lines_in(loc.body(), p, level::location, ctx.container_root()).empty()) carrying.push_back(loc);
    }
    if (carrying.empty()) {
        if (!opts.insert) {
            throw no_lines(label, p);
        }
        refuse_own_portal(ctx, file, p);
        const auto locs = insert_targets(locations);
        if (locs.empty()) {
            throw error(diag_code::swag_no_auth_lines,
                        label + " has no location to protect: none passes requests on, or all "
                                "are API / well-known endpoints that are left open on purpose");
        }
        for (const auto& loc : locs) pl.location_insert.push_back({file, loc.body(), p, level::location});
    } else {
        for (const auto& loc : carrying) plan_location(ctx, pl, file, loc, p, opts);
    }
    if (p == provider::basic) return;

    // The server-level line of subfolder apps is shared: it lives in default.conf.
    const fs::path dc_path = ctx.default_conf();
    document* dc = ctx.existing(dc_path);
    if (!dc) {
        throw error(diag_code::swag_no_auth_lines,
                    "site-confs/default.conf not found: the server-level " +
                        std::string(info(p).server_file) + " line of subfolder apps lives there");
    }
    const auto servers = subfolder_servers(*dc);
    if (servers.empty()) {
        throw error(diag_code::swag_no_auth_lines,
                    "site-confs/default.conf has no server block that includes "
                    "proxy-confs/*.subfolder.conf: nowhere to enable " +
                        std::string(info(p).server_file));
    }
    for (const auto& s : servers) {
        const auto lines = lines_in(s.body(), p, level::server, ctx.container_root());
        if (lines.empty()) {
            if (!opts.insert) {
                throw error(diag_code::swag_no_auth_lines,
                            "site-confs/default.conf: the server block" + where_line(line_of(s)) +
                                " has no " + std::string(info(p).server_file) + " line to enable",
                            {}, s.region());
            }
            pl.server_insert.push_back({dc_path, s.body(), p, level::server});
        }
        for (const auto& d : lines) pl.server_on.push_back({dc_path, d, true});
    }
    // --replace: the replaced provider's shared line goes off once nothing else needs it.
    for (const auto& row : provider_table()) {
        if (row.id == p || row.id == provider::basic) continue;
        const bool replaced = std::any_of(others.begin(), others.end(),
                                          [&](const other_line& o) { return o.p == row.id; });
        if (!replaced) continue;
        const auto users = subfolder_users(ctx, row.id, file);
        if (!users.empty()) {
            pl.notes.push_back(make_diag(severity::info, diag_code::swag_default_conf_kept,
                                         "site-confs/default.conf keeps " +
                                             std::string(row.server_file) + " on: still used by " +
                                             join(users),
                                         dc_path));
            continue;
        }
        for (const auto& s : servers) {
            for (const auto& d : lines_in(s.body(), row.id, level::server, ctx.container_root())) {
                if (line_on(d)) pl.off.push_back({dc_path, d, false});
            }
        }
    }
}

void run_toggles(report& r, const std::vector<plan::toggle_step>& steps) {
    for (const auto& s : steps) {
        if (auto c = toggle(s.file, s.d, s.on)) r.changes.push_back(std::move(*c));
    }
}

void run_inserts(const context& ctx, report& r, const std::vector<plan::insert_step>& steps) {
    for (const auto& s : steps) {
        // Basic auth: a location may hold half of the pair; write only what is missing.
        if (s.p == provider::basic) {
            const auto have = lines_in(s.scope, s.p, s.l, ctx.container_root());
            if (!have.empty()) {
                const auto missing = basic_missing(have);
                node anchor = have.back();
                for (const auto& spec : lines_to_insert(s.p, s.l, ctx.container_root())) {
                    if (std::find(missing.begin(), missing.end(), spec.name) == missing.end()) continue;
                    const auto line = line_of(anchor);
                    const directive d = insert_directive(anchor, insert_at::after, spec.name, spec.args);
                    r.changes.push_back(inserted(s.file, line, d));
                    anchor = d;
                }
                continue;
            }
        }
        for (auto& c : insert_lines(s.file, s.scope, s.p, s.l, ctx.container_root())) {
            r.changes.push_back(std::move(c));
        }
    }
}

struct target {
    app_conf conf;
    document* doc = nullptr;
    std::optional<document> pending;  // an activated .sample, created once the plan holds
    fs::path sample;
    bool planned = false;  // false: skipped (no lines, the app's other conf is protected)
};

// The locations the model finds open on purpose, as one note per conf.
void note_open(const context& ctx, plan& pl, const conf_model& m) {
    std::vector<std::string> open;
    std::vector<related_region> where;
    for (const auto& l : m.locations) {
        if (l.state.verdict != location_verdict::open_on_purpose || !l.passes) continue;
        open.push_back(l.state.match + where_line(l.state.line));
        where.push_back({region_of(m.conf.path, l.state.line), "location " + l.state.match});
    }
    if (open.empty()) return;
    auto note = make_diag(severity::info, diag_code::swag_left_open_on_purpose,
                          file_label(ctx, m.conf.path) + ": left open on purpose (an endpoint SWAG " +
                              "leaves open): location " + join(open, ", location "),
                          m.conf.path);
    note.related = std::move(where);
    pl.notes.push_back(std::move(note));
}

// After the edits, every location of the planned confs that must ask for a login does; with
// --insert the missing lines are added first. Otherwise the edits are taken back and
// protect refuses, naming each location.
std::vector<conf_model> check_effective(context& ctx, std::vector<target>& targets,
                                        const protect_options& opts, report& r,
                                        const workspace_snapshot& before) {
    const auto models = [&] {
        std::vector<conf_model> out;
        for (auto& t : targets) {
            if (t.planned) out.push_back(model_of(ctx, t.conf, *t.doc));
        }
        return out;
    };
    auto ms = models();
    const auto broken = [](const std::vector<conf_model>& v) {
        return std::any_of(v.begin(), v.end(), [](const conf_model& m) { return !failing(m).empty(); });
    };
    if (!broken(ms)) return ms;
    if (opts.insert) {
        for (const auto& m : ms) {
            for (auto& c : insert_where_open(ctx, m, opts.with)) r.changes.push_back(std::move(c));
        }
        ms = models();
        if (!broken(ms)) return ms;
    }
    auto refused = refusal(ctx, ms, opts.with, opts.insert);
    restore(ctx, before);
    throw refused;
}

}  // namespace

report protect(context& ctx, std::string_view app, const protect_options& opts) {
    const app_query q = parse_app_query(app);
    std::vector<target> targets;
    for (auto& c : active_confs(ctx, q)) targets.push_back({std::move(c), nullptr, std::nullopt, {}});
    if (targets.empty()) {
        const auto samples = sample_confs(ctx, q);
        if (samples.empty()) {
            throw_app_not_found(ctx, q, false,
                                "no proxy-conf for \"" + q.name + "\" in " +
                                    ctx.proxy_confs().string() + " (looked for " + q.name +
                                    ".subdomain.conf and " + q.name + ".subfolder.conf)");
        }
        const fs::path active = fs::path(samples.front().path).replace_extension();
        if (!opts.from_sample) {
            throw_app_not_found(ctx, q, true,
                                "only proxy-confs/" + samples.front().path.filename().string() +
                                    " exists: " + active.filename().string() + " is not active");
        }
        target t{app_conf{q.name, samples.front().kind, active}, nullptr, std::nullopt,
                 samples.front().path};
        t.pending.emplace(parse(read_bytes(t.sample), active.string(), ctx.parse));
        targets.push_back(std::move(t));
        targets.back().doc = &*targets.back().pending;
    }
    require_provider_files(ctx, opts.with);
    require_provider_endpoints(ctx, opts.with);

    // One plan per conf. An app active both ways (APP.subdomain.conf and APP.subfolder.conf)
    // is protected where it has lines; a conf without lines is then only a note.
    plan pl;
    std::optional<error> no_lines;
    std::size_t planned = 0;
    for (auto& t : targets) {
        if (!t.doc) t.doc = ctx.existing(t.conf.path);
        plan one;
        try {
            if (t.conf.kind == app_kind::subdomain) {
                plan_subdomain(ctx, one, *t.doc, t.conf.path, opts);
            } else {
                plan_subfolder(ctx, one, *t.doc, t.conf.path, opts);
            }
        } catch (const error& e) {
            if (e.code() != diag_code::swag_no_auth_lines || targets.size() == 1) throw;
            if (!no_lines) no_lines.emplace(e);
            pl.notes.push_back(make_diag(severity::info, diag_code::swag_conf_skipped,
                                         std::string(e.description()) + ": left as is",
                                         t.conf.path));
            continue;
        }
        ++planned;
        t.planned = true;
        one.files.push_back(t.conf.path);
        const auto append = [](auto& to, auto& from) { to.insert(to.end(), from.begin(), from.end()); };
        append(pl.off, one.off);
        append(pl.server_on, one.server_on);
        append(pl.server_insert, one.server_insert);
        append(pl.location_on, one.location_on);
        append(pl.location_insert, one.location_insert);
        append(pl.notes, one.notes);
        append(pl.files, one.files);
    }
    if (planned == 0 && no_lines) throw *no_lines;

    const workspace_snapshot before = snapshot(ctx.ws);
    report r;
    run_toggles(r, pl.off);
    run_toggles(r, pl.server_on);
    run_inserts(ctx, r, pl.server_insert);
    run_toggles(r, pl.location_on);
    run_inserts(ctx, r, pl.location_insert);
    for (const auto& m : check_effective(ctx, targets, opts, r, before)) note_open(ctx, pl, m);
    // An activated .sample joins the workspace only once protect holds.
    std::vector<change> activated;
    for (auto& t : targets) {
        if (!t.pending) continue;
        t.doc = &ctx.ws.create(t.conf.path, std::move(*t.pending));
        activated.push_back(change{t.conf.path, 0, change_kind::activate, "",
                                   "copy of " + t.sample.filename().string()});
    }
    r.changes.insert(r.changes.begin(), activated.begin(), activated.end());
    if (!r.changed()) {
        for (const auto& f : pl.files) {
            r.notes.push_back(make_diag(severity::info, diag_code::swag_already_protected,
                                        "already protected by " + std::string(name_of(opts.with)) +
                                            ": " + file_label(ctx, f),
                                        f));
        }
    }
    r.notes.insert(r.notes.end(), pl.notes.begin(), pl.notes.end());
    return r;
}

}  // namespace ngxconf::swag::detail
