// check(): nginx's ngx_conf_handler over a document (and its includes), from the tables.
#include <ngxconf/check.hpp>
#include <ngxconf/node.hpp>
#include <ngxconf/workspace.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <set>
#include <utility>

#include "check/tables.hpp"
#include "cst/doc_impl.hpp"

namespace ngxconf {
namespace {

using namespace detail::check;

// Which modules are in the nginx being checked against (check_options::modules).
class module_filter {
public:
    explicit module_filter(const std::vector<std::string>& names) {
        for (const auto& n : names) {
            if (!n.empty() && n[0] == '-') {
                removed_.push_back(n.substr(1));
            } else {
                kept_.push_back(n);
            }
        }
    }
    [[nodiscard]] bool has(const directive_row& r) const {
        auto names_it = [&r](const std::string& n) { return matches(n, r.module) || matches(n, r.source); };
        if (std::any_of(removed_.begin(), removed_.end(), names_it)) return false;
        return kept_.empty() || std::any_of(kept_.begin(), kept_.end(), names_it);
    }

private:
    // "stream_*" names every module whose name starts with "stream_".
    static bool matches(std::string_view pattern, std::string_view name) {
        if (!pattern.empty() && pattern.back() == '*') {
            return name.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
        }
        return pattern == name;
    }
    std::vector<std::string> kept_, removed_;
};

// ngx_conf_handler's argument count test; nelts counts the name too.
bool arguments_fit(std::uint32_t type, std::size_t nelts) {
    if (type & conf_any) return true;
    if (type & conf_flag) return nelts == 2;
    if (type & conf_1more) return nelts >= 2;
    if (type & conf_2more) return nelts >= 3;
    if (nelts > conf_max_args) return false;
    return (type & (1u << (nelts - 1))) != 0;  // argument_number[]: NOARGS, TAKE1 ... TAKE7
}

std::optional<check_context> opened(bk body, check_context parent) {
    switch (body) {
        case bk::none:
        case bk::opaque: return std::nullopt;
        case bk::http_if:
            return parent == check_context::http_server ? check_context::http_if_server
                                                        : check_context::http_if_location;
        default:
            // The remaining bk values name a context in check_context's order, from main on.
            return static_cast<check_context>(static_cast<int>(body) - static_cast<int>(bk::main));
    }
}

struct judgement {
    diag_code code = diag_code::none;
    std::string message;
    std::optional<check_context> body;  // the context of the directive's children, if checked
};

judgement judge_rows(const const_directive& d, check_context ctx, const check_options& opts,
                     const module_filter& modules) {
    // nginx prints the name with "%s": a NUL byte ends it there (it still looks the whole up).
    const std::string full(d.name());
    const std::string name = full.substr(0, full.find('\0'));
    const auto bits = bits_of(ctx);
    const bool block_start = d.has_block();
    bool found = false;
    for (const directive_row* r : rows_named(opts.version, full)) {
        if (!modules.has(*r)) continue;
        found = true;
        if (r->module_type != mt::conf && r->module_type != bits.module_type) continue;
        if ((r->type & bits.cmd_type) == 0) continue;
        if (!(r->type & conf_block) && block_start) {
            return {diag_code::directive_not_terminated, "directive \"" + name + "\" is not terminated by \";\"", {}};
        }
        if ((r->type & conf_block) && !block_start) {
            return {diag_code::directive_no_opening_brace, "directive \"" + name + "\" has no opening \"{\"", {}};
        }
        if (!arguments_fit(r->type, d.arg_count() + 1)) {
            return {diag_code::directive_invalid_args, "invalid number of arguments in \"" + name + "\" directive", {}};
        }
        return {diag_code::none, {}, opened(r->body, ctx)};
    }
    if (found) return {diag_code::directive_not_allowed, "\"" + name + "\" directive is not allowed here", {}};
    return {diag_code::directive_unknown, "unknown directive \"" + name + "\"", {}};
}

// ngx_conf_log_error formats its message into a 1024-byte buffer (NGX_MAX_CONF_ERRSTR): a
// long name is cut there, closing quote and all.
judgement judge(const const_directive& d, check_context ctx, const check_options& opts,
                const module_filter& modules) {
    auto j = judge_rows(d, ctx, opts, modules);
    if (j.message.size() > 1024) j.message.resize(1024);
    return j;
}

// nginx reports a directive at the line of its `;` or `{` (where its reader stood).
source_position terminator_position(const const_directive& d) {
    const auto& impl = detail::doc_access::of(d.owner());
    const auto& view = impl.view(d.id());
    const auto at = reinterpret_cast<std::uintptr_t>(view.term.data());
    const auto begin = reinterpret_cast<std::uintptr_t>(impl.source.data());
    if (!view.term.empty() && at >= begin && at < begin + impl.source.size()) {
        return impl.position_of(at - begin);
    }
    return d.name_position();
}

// A block to go through: its next child and the context its directives are read in.
struct frame {
    const_node next;
    check_context context;
};

// Walks `root` in document order without recursion; `include` is called for an enabled,
// allowed include and returns the roots of the files it reads.
std::vector<diagnostic> walk(const document& root, const check_options& opts,
                             const std::function<std::vector<const_block>(const const_directive&)>& include) {
    std::vector<diagnostic> out;
    const module_filter modules(opts.modules);
    std::set<std::pair<const document*, check_context>> seen{{&root, opts.context}};
    std::vector<frame> stack{{root.root().first_child(), opts.context}};
    while (!stack.empty()) {
        auto& top = stack.back();
        if (!top.next) {
            stack.pop_back();
            continue;
        }
        const const_node n = top.next;
        const check_context ctx = top.context;
        top.next = n.next_sibling();  // before any push: `top` may move
        const const_directive d = n.as_directive();
        if (!d || !d.enabled()) continue;
        const auto j = judge(d, ctx, opts, modules);
        if (j.code != diag_code::none) {
            const auto at = terminator_position(d);
            out.push_back({severity::error, j.code, j.message, {d.owner().source_name(), at, at}, {}, {}});
            continue;
        }
        if (j.body && d.body()) stack.push_back({d.body().first_child(), *j.body});
        if (d.name() != "include" || !include) continue;
        const auto files = include(d);
        for (auto it = files.rbegin(); it != files.rend(); ++it) {  // the first file on top
            if (seen.insert({&it->owner(), ctx}).second) stack.push_back({it->first_child(), ctx});
        }
    }
    return out;
}

}  // namespace

std::vector<diagnostic> check(const document& doc, const check_options& options) {
    return walk(doc, options, {});
}

std::vector<diagnostic> check(workspace& ws, const document& root, const check_options& options) {
    return walk(root, options, [&ws](const const_directive& inc) {
        std::vector<const_block> roots;
        for (const auto& path : ws.resolve_include(inc)) {
            if (const document* d = ws.find(path)) roots.push_back(d->root());
        }
        return roots;
    });
}

}  // namespace ngxconf
