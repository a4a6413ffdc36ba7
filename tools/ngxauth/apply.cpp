// finish(): the one path by which a change-making command shows, checks or writes its edits.
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <vector>

#include "commands.hpp"
#include "directives.hpp"
#include "docker_cli.hpp"
#include "ngxconf/json.hpp"
#include "ngxconf/signal_guard.hpp"
#include "transaction.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;

std::string_view past_tense(swag::change_kind what) {
    switch (what) {
        case swag::change_kind::enable: return "enabled";
        case swag::change_kind::disable: return "disabled";
        case swag::change_kind::set: return "changed";
        case swag::change_kind::insert: return "inserted";
        case swag::change_kind::create: return "created";
        case swag::change_kind::activate: return "activated";
        case swag::change_kind::remove: return "removed";
        case swag::change_kind::deactivate: return "deactivated";
    }
    return "changed";
}

// One line per file: "proxy-confs/dockge.subdomain.conf: enabled lines 22, 41".
std::vector<std::string> summary_lines(const swag::report& r,
                                       const std::vector<ngxconf::file_change>& pending,
                                       const std::filesystem::path& root, const style& st) {
    // file -> what -> lines, in the order the report names the files; within a file the
    // kinds of change in the alphabetical order of their names.
    struct by_name {
        bool operator()(swag::change_kind a, swag::change_kind b) const {
            return swag::to_string(a) < swag::to_string(b);
        }
    };
    std::vector<std::string> order;
    std::map<std::string, std::map<swag::change_kind, std::vector<std::uint32_t>, by_name>> by_file;
    for (const auto& c : r.changes) {
        const auto key = display_path(c.file, root);
        if (!by_file.count(key)) order.push_back(key);
        by_file[key][c.what].push_back(c.line);
    }
    for (const auto& p : pending) {
        const auto key = display_path(p.path, root);
        if (!by_file.count(key)) {
            order.push_back(key);
            by_file[key];
        }
    }
    std::vector<std::string> out;
    for (const auto& file : order) {
        std::string text;
        for (const auto& [what, lines] : by_file[file]) {
            if (!text.empty()) text += "; ";
            auto sorted = lines;
            std::sort(sorted.begin(), sorted.end());
            std::vector<std::string> nums;
            for (auto l : sorted) {
                if (l != 0) nums.push_back(std::to_string(l));
            }
            text += past_tense(what);
            if (!nums.empty()) {
                text += nums.size() == 1 ? " line " : " lines ";
                for (std::size_t i = 0; i < nums.size(); ++i) {
                    if (i != 0) text += ", ";
                    text += nums[i];
                }
            }
        }
        if (text.empty()) text = "changed";
        out.push_back(fmt::format("{}: {}", st.bold(file), text));
    }
    return out;
}

std::string json_report(const swag::report& r, const std::vector<ngxconf::file_change>& pending,
                        const options& o, const std::filesystem::path& root,
                        std::string_view command, std::string_view subject, bool written,
                        const std::string& diff, const std::string& extra = {}) {
    std::string changes, files, notes;
    for (const auto& c : r.changes) {
        changes +=
            fmt::format("{}{{\"file\":{},\"line\":{},\"what\":{},\"before\":{},\"after\":{}}}",
                        changes.empty() ? "" : ",", ngxconf::json_quote(display_path(c.file, root)),
                        c.line, ngxconf::json_quote(swag::to_string(c.what)),
                        ngxconf::json_quote(c.before), ngxconf::json_quote(c.after));
    }
    for (const auto& p : pending) {
        if (!files.empty()) files += ',';
        files += ngxconf::json_quote(display_path(p.path, root));
    }
    for (const auto& n : r.notes) {
        if (!notes.empty()) notes += ',';
        notes += json_diagnostic(n, root);
    }
    return fmt::format(
        "{{\"ok\":true,\"command\":{},\"subject\":{},\"root\":{},\"changed\":{},"
        "\"dry_run\":{},\"check\":{},\"written\":{},\"files\":[{}],\"changes\":[{}],"
        "\"notes\":[{}],\"recovered\":[{}]{}{}}}\n",
        ngxconf::json_quote(command), ngxconf::json_quote(subject),
        ngxconf::json_quote(root.string()), pending.empty() ? "false" : "true",
        o.dry_run ? "true" : "false", o.check ? "true" : "false", written ? "true" : "false",
        files, changes, notes, json_strings(o.recovered),
        diff.empty() ? std::string() : fmt::format(",\"diff\":{}", ngxconf::json_quote(diff)),
        extra);
}

// Whether a note only says there is nothing to do.
bool says_nothing_to_do(const ngxconf::diagnostic& n) {
    using ngxconf::diag_code;
    return n.code == diag_code::swag_already_protected ||
           n.code == diag_code::swag_not_protected_by || n.code == diag_code::swag_up_to_date;
}

// `skip_no_op`: the command printed its own "nothing to do" line; leave out the notes that
// say the same. Warnings stand out in yellow. On `to`: stdout, or stderr under --dry-run
// (whose stdout is the patch alone).
// With -q only the warnings.
void print_notes(const swag::report& r, const options& o, bool skip_no_op = false,
                 std::FILE* to = stdout) {
    const style& st = o.out;
    for (const auto& n : r.notes) {
        if (skip_no_op && says_nothing_to_do(n)) continue;
        const bool warn =
            n.level == ngxconf::severity::warning || n.level == ngxconf::severity::error;
        if (o.quiet && !warn) continue;
        fmt::print(to, "{} {}\n", warn ? st.yellow("note:") : st.dim("note:"), n.message);
    }
}

// Prints what was written (the report with --json; `extra` goes into it).
void print_written(const swag::report& r, const pending_write& w, const options& o,
                   const outcome_text& text, const std::string& extra, const write_plan& plan) {
    if (o.json) {
        fmt::print("{}", json_report(r, w.changes, o, w.root, text.command, text.subject, true,
                                     {}, text.extra_json + extra));
        return;
    }
    print_notes(r, o);
    if (o.quiet) return;
    for (const auto& line : summary_lines(r, w.changes, w.root, o.out)) fmt::print("{}\n", line);
    if (!text.done.empty()) fmt::print("{}\n", o.out.green(text.done));
    if (!plan.validate_shown.empty()) fmt::print("{} {}\n", o.out.green("validated:"), plan.validate_shown);
}

// The transaction (a signal before its commit restores every file: interrupted_error),
// then the reload. A signal after the commit stops the reload; the change stays. `plan` says
// what validates and reloads (--validate / --reload, or nginx in SWAG's container); its notes
// go to stderr and into the JSON report's notes.
int save_and_reload(const swag::report& given, const pending_write& w, const options& o,
                    const outcome_text& text, const write_plan& plan) {
    options run = o;
    run.validate = plan.validate_command;
    ngxconf::signal_guard guard;
    auto t = transaction_of(run, w.root, guard);
    if (plan.in_container) t.validate_name = plan.validate_shown;  // not the __docker-exec line
    w.save(t);
    // After the commit: "nothing validated the change" is said of a change made.
    swag::report r = given;
    for (const auto& n : plan.notes) {
        r.notes.push_back(n);
        if (o.quiet && n.level != ngxconf::severity::warning) continue;
        fmt::print(stderr, "ngxauth: note: {}\n", n.message);
    }
    if (plan.in_container) {
        r.notes.push_back({ngxconf::severity::ok, ngxconf::diag_code::docker_validated,
                           plan.validate_shown + ": the configuration is valid", {}, {}, {}});
    }
    // print_notes would repeat the plan's notes on stdout: they are on stderr already.
    swag::report shown = given;
    int reload_rc = 0;
    if (!plan.reload_command.empty() && guard.poll() == 0) {
        // With --json, stdout is the report alone: the command's own output goes to stderr.
        if (!o.json) print_written(shown, w, o, text, {}, plan);
        reload_rc = run_shell_guarded(plan.reload_command, guard, o.json);
    } else if (!o.json) {
        print_written(shown, w, o, text, {}, plan);
    }
    const int sig = guard.poll();
    if (o.json) print_written(r, w, o, text, sig != 0 ? json_interrupted(sig) : std::string(), plan);
    std::fflush(stdout);
    if (sig != 0) {
        fmt::print(stderr, "ngxauth: interrupted by {} after the commit: the changes are saved{}\n",
                   signal_name(sig), plan.reload_command.empty() ? "" : "; reload nginx by hand");
        return 128 + sig;
    }
    if (reload_rc != 0) {
        fmt::print(stderr,
                   "ngxauth: the reload command failed (exit {}): {}\n"
                   "ngxauth: the changes are saved; reload nginx by hand\n",
                   reload_rc, plan.reload_shown);
        return exit_io;
    }
    if (!plan.reload_command.empty() && !o.json && !o.quiet) {
        fmt::print("{} {}\n", o.out.green("reloaded:"), plan.reload_shown);
    }
    return exit_ok;
}

// Refuses a write whose result nginx would reject at directive level where the files did not
// before (exit 3, nothing written): nginx's message at the file and line of the new bytes.
int refuse_new_directive_errors(const std::vector<ngxconf::diagnostic>& added, const options& o,
                                const std::filesystem::path& root) {
    std::fflush(stdout);
    for (const auto& d : added) {
        fmt::print(stderr, "ngxauth: {} in {}:{}\n", d.message, display_path(d.where.file, root),
                   d.where.begin.line);
    }
    fmt::print(stderr, "ngxauth: nginx {} would reject the result (directive table: --nginx); nothing written\n",
               ngxconf::to_string(o.nginx));
    if (o.json) {
        std::string list;
        for (const auto& d : added) list += (list.empty() ? "" : ",") + json_diagnostic(d, root);
        const auto& first = added.front();
        fmt::print("{{\"ok\":false,\"exit_code\":{},\"error\":{{\"code\":{},\"severity\":\"error\","
                   "\"message\":{},\"file\":{},\"line\":{},\"suggestions\":[],\"hints\":[]}},"
                   "\"nginx\":{},\"directive_errors\":[{}],\"recovered\":[{}]}}\n",
                   static_cast<int>(exit_config), ngxconf::json_quote(ngxconf::to_string(first.code)),
                   ngxconf::json_quote(first.message),
                   ngxconf::json_quote(display_path(first.where.file, root)), first.where.begin.line,
                   ngxconf::json_quote(ngxconf::to_string(o.nginx)), list, json_strings(o.recovered));
    }
    return exit_config;
}

}  // namespace

int finish(swag::session& s, const swag::report& r, const options& o, const outcome_text& text) {
    pending_write w;
    w.root = s.where().root;
    w.changes = s.pending_changes();
    w.save = [&s](const ngxconf::transaction_options& t) { s.save(t); };
    return finish_write(r, w, o, text);
}

int finish_write(const swag::report& r, const pending_write& w, const options& o,
                 const outcome_text& text) {
    const auto command = text.command;
    const auto subject = text.subject;
    const auto& root = w.root;
    const auto& pending = w.changes;

    if (pending.empty()) {
        if (o.json) {
            fmt::print("{}", json_report(r, pending, o, root, command, subject, false, {}, text.extra_json));
        } else {
            std::FILE* to = o.dry_run ? stderr : stdout;
            if (!o.quiet) fmt::print(to, "{}\n", text.nothing_to_do);
            print_notes(r, o, true, to);
        }
        return exit_ok;
    }

    if (o.dry_run) {
        const auto diff = git_diff(pending, root);
        if (o.json) {
            fmt::print("{}", json_report(r, pending, o, root, command, subject, false, diff, text.extra_json));
        } else {
            print_diff(diff, o.out);
            std::fflush(stdout);
            print_notes(r, o, false, stderr);
        }
        return o.check ? exit_pending : exit_ok;
    }

    if (o.check) {
        if (o.json) {
            fmt::print("{}", json_report(r, pending, o, root, command, subject, false, {}, text.extra_json));
        } else {
            if (!o.quiet) {
                fmt::print("{} would change {} file{}:\n", command, pending.size(),
                           pending.size() == 1 ? "" : "s");
                for (const auto& line : summary_lines(r, pending, root, o.out)) {
                    fmt::print("  {}\n", line);
                }
            }
            print_notes(r, o);
        }
        return exit_pending;
    }
    if (const auto added = new_directive_errors(root, pending, o.nginx); !added.empty()) {
        return refuse_new_directive_errors(added, o, root);
    }
    return save_and_reload(r, w, o, text, plan_write(o, root));
}

}  // namespace ngxauth
