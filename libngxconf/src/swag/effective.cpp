// The effective protection of a location as nginx applies it (ngx_http_auth_request_module,
// ngx_http_auth_basic_module, error_page of ngx_http_core_module):
//  - auth_request, auth_basic and auth_basic_user_file are each taken from the innermost
//    block that sets them (location, enclosing locations, server), a file included there
//    counting as written there; `off` switches them off;
//  - error_page is inherited only by a block that has none of its own;
//  - the auth subrequest goes to the location nginx picks for its URI in the same server.
//    Subrequests skip the access phase, so when that location is the app's own (the
//    provider's endpoint is missing), the app answers its own auth check and lets anyone in;
//  - a 401 sent to a named location that does not exist is a 500 at run time.
#include <algorithm>

#include "model.hpp"

namespace ngxconf::swag::detail {
namespace {

// What the chain of blocks around a location says, innermost setting first.
struct inherited {
    std::optional<placed> auth_request;
    std::optional<placed> realm;      // auth_basic
    std::optional<placed> user_file;  // auth_basic_user_file
    std::vector<placed> error_pages;  // of the innermost block that has any
    std::vector<include_problem> problems;
    std::optional<placed> duplicate;  // a second auth_request in one block: nginx -t fails
};

void take_from(inherited& in, const scope_contents& scope) {
    const auto first = [&](std::string_view name) -> std::optional<placed> {
        for (const auto& p : scope.directives) {
            if (p.d.name() == name) return p;
        }
        return std::nullopt;
    };
    if (!in.auth_request) {
        in.auth_request = first("auth_request");
        const auto n = std::count_if(scope.directives.begin(), scope.directives.end(),
                                     [](const placed& p) { return p.d.name() == "auth_request"; });
        if (n > 1) in.duplicate = in.auth_request;
    }
    if (!in.realm) in.realm = first("auth_basic");
    if (!in.user_file) in.user_file = first("auth_basic_user_file");
    if (in.error_pages.empty()) {
        for (const auto& p : scope.directives) {
            if (p.d.name() == "error_page") in.error_pages.push_back(p);
        }
    }
    in.problems.insert(in.problems.end(), scope.problems.begin(), scope.problems.end());
}

inherited inherit(const context& ctx, const conf_model& m, const location_model& l) {
    inherited in;
    take_from(in, expand(ctx, l.loc.body(), m.conf.path));
    for (const auto& a : ancestors(l.loc)) {
        if (a.name() != "location" || !a.enabled()) continue;
        take_from(in, expand(ctx, a.body(), m.conf.path));
    }
    if (l.server < m.servers.size()) take_from(in, m.servers[l.server].contents);
    return in;
}

std::string first_segment(std::string_view uri) {
    const auto end = uri.find('/', 1);
    return std::string(uri.substr(0, end));
}

// Whether the location nginx picked for the auth URI is the provider's endpoint: one of a
// provider's -server.conf, or a prefix location written for that path (its first segment
// is the URI's, "/outpost.goauthentik.io"). The app's `location /` never is.
bool is_endpoint(const context& ctx, const placed& picked, std::string_view uri) {
    for (const auto& row : provider_table()) {
        if (!row.server_file.empty() && picked.file == ctx.root_file(row.server_file)) return true;
    }
    const directive& loc = picked.d;
    const std::string text = loc.arg_count() == 0 ? std::string() : loc.arg(loc.arg_count() - 1);
    const bool regex = loc.arg_count() == 2 ? loc.arg(0).starts_with('~') : text.starts_with('~');
    if (regex) return false;
    std::string path = text;
    while (!path.empty() && (path.front() == '=' || path.front() == '^' || path.front() == '~')) path.erase(0, 1);
    return path.size() > 1 && first_segment(path) == first_segment(uri);
}

std::optional<provider> provider_of(const context& ctx, const fs::path& file) {
    for (const auto& row : provider_table()) {
        if (row.location_file.empty()) continue;
        if (file == ctx.root_file(row.location_file) || file == ctx.root_file(row.server_file)) return row.id;
    }
    return std::nullopt;
}

struct outcome {
    location_verdict verdict = location_verdict::open;
    std::optional<provider> by;
    diag_code reason = diag_code::none;  // none: nothing applies
    std::string why;
};

std::string where(const placed& p) { return describe_location(p.d); }

// error_page 401 = @name: the named location must exist in the server.
std::optional<std::string> missing_signin(const inherited& in, const server_model& s) {
    for (const auto& e : in.error_pages) {
        const std::size_t n = e.d.arg_count();
        if (n < 2) continue;
        bool has401 = false;
        for (std::size_t i = 0; i + 1 < n; ++i) has401 = has401 || e.d.arg(i) == "401";
        const std::string target = e.d.arg(n - 1);
        if (!has401 || !target.starts_with('@')) continue;
        const bool found = std::any_of(s.locations.begin(), s.locations.end(),
                                       [&](const placed& p) { return named_location(p.d) == target; });
        if (!found) return target;
    }
    return std::nullopt;
}

outcome auth_request_outcome(const context& ctx, const inherited& in, const server_model* s) {
    const placed& ar = *in.auth_request;
    outcome o;
    o.by = provider_of(ctx, ar.file);
    if (ar.d.arg_count() != 1 || ar.d.arg(0) == "off") return {};
    const std::string uri = ar.d.arg(0);
    const placed* picked = s ? pick_location(uri, s->locations) : nullptr;
    if (!picked) {
        return {location_verdict::broken, o.by, diag_code::swag_auth_endpoint_missing,
                "no location of the server answers the auth subrequest " + uri + " (500)"};
    }
    if (!is_endpoint(ctx, *picked, uri)) {
        return {location_verdict::open, o.by, diag_code::swag_auth_endpoint_missing,
                "the auth subrequest " + uri + " is answered by " + where(*picked) +
                    ", not by the provider's endpoint: anyone gets in"};
    }
    if (!o.by) o.by = provider_of(ctx, picked->file);
    if (const auto name = missing_signin(in, *s)) {
        return {location_verdict::broken, o.by, diag_code::swag_signin_missing,
                "error_page 401 sends to " + *name + ", which the server lacks (500)"};
    }
    return {location_verdict::protected_, o.by, diag_code::none, {}};
}

outcome basic_outcome(const context& ctx, const inherited& in) {
    if (!in.realm || in.realm->d.arg_count() != 1 || in.realm->d.arg(0) == "off") return {};
    if (!in.user_file || in.user_file->d.arg_count() < 1) {
        return {location_verdict::open, provider::basic, diag_code::swag_basic_auth_half,
                "auth_basic without auth_basic_user_file: nginx asks for nothing"};
    }
    const fs::path users = ctx.ws.host_path(in.user_file->d.arg(0));
    if (!on_disk(users) && !ctx.ws.find(users)) {
        return {location_verdict::broken, provider::basic, diag_code::swag_user_file_missing,
                "auth_basic_user_file " + in.user_file->d.arg(0) + " does not exist (500)"};
    }
    return {location_verdict::protected_, provider::basic, diag_code::none, {}};
}

// Several mechanisms must all pass (satisfy all): one that works protects; else a broken
// one is what the visitor meets (a 500); else the reason it is open.
outcome combine(const outcome& a, const outcome& b) {
    for (const auto v : {location_verdict::protected_, location_verdict::broken, location_verdict::open}) {
        const auto counts = [&](const outcome& o) {
            return o.verdict == v && (v != location_verdict::open || o.reason != diag_code::none);
        };
        if (counts(a)) return a;
        if (counts(b)) return b;
    }
    return {};
}

outcome outcome_of(const context& ctx, const conf_model& m, const location_model& l) {
    const inherited in = inherit(ctx, m, l);
    if (!in.problems.empty()) {
        const auto& p = in.problems.front();
        return {location_verdict::broken, provider_of(ctx, p.file), p.code,
                p.file.filename().string() + " " +
                    (p.code == diag_code::swag_files_missing ? std::string("is missing")
                                                             : "does not parse: " + p.detail) +
                    " (nginx refuses the tree)"};
    }
    if (in.duplicate) {
        return {location_verdict::broken, provider_of(ctx, in.duplicate->file), diag_code::swag_two_providers,
                "two auth_request lines reach one block (two providers): nginx refuses the tree"};
    }
    const server_model* s = l.server < m.servers.size() ? &m.servers[l.server] : nullptr;
    const outcome ar = in.auth_request ? auth_request_outcome(ctx, in, s) : outcome{};
    return combine(ar, basic_outcome(ctx, in));
}

void fill_lines(const context& ctx, location_model& l) {
    const auto lines = lines_in(l.loc.body(), provider::authentik, level::location, ctx.container_root());
    l.state.has_line = !lines.empty();
    l.state.enabled = std::any_of(lines.begin(), lines.end(), [](const directive& d) { return line_on(d); });
}

}  // namespace

void evaluate(const context& ctx, const conf_model& m, location_model& l) {
    l.state.match = location_match(l.loc);
    l.state.line = line_of(l.loc);
    l.state.passes = l.passes;
    fill_lines(ctx, l);
    outcome o = outcome_of(ctx, m, l);
    l.state.by = o.by;
    if (o.verdict == location_verdict::protected_ || o.verdict == location_verdict::broken) {
        l.state.verdict = o.verdict;
        l.state.reason = o.reason;
        l.state.why = o.why;
        return;
    }
    if (!l.main && (!l.passes || open_on_purpose(l.loc) || l.shipped_open)) {
        l.state.verdict = location_verdict::open_on_purpose;
        l.state.reason = diag_code::swag_left_open_on_purpose;
        l.state.why = !l.passes                ? "passes nothing on"
                      : open_on_purpose(l.loc) ? "an endpoint SWAG leaves open on purpose"
                                               : "SWAG's .sample ships it without auth";
        return;
    }
    l.state.verdict = location_verdict::open;
    l.state.reason = o.reason == diag_code::none ? diag_code::swag_location_open : o.reason;
    l.state.why = o.why.empty() ? "no auth applies: anyone reaches the app" : o.why;
}

bool app_protected(const conf_model& m) {
    const bool any = std::any_of(m.locations.begin(), m.locations.end(), [](const location_model& l) {
        return l.state.verdict == location_verdict::protected_;
    });
    return any && failing(m).empty() && m.problems.empty();
}

std::vector<const location_model*> failing(const conf_model& m) {
    std::vector<const location_model*> out;
    for (const auto& l : m.locations) {
        if (l.state.verdict == location_verdict::open || l.state.verdict == location_verdict::broken) {
            out.push_back(&l);
        }
    }
    return out;
}

std::string describe_failure(const location_model& l) {
    return describe_location(l.loc) + ": " + l.state.why;
}

}  // namespace ngxconf::swag::detail

namespace ngxconf::swag {

std::string_view to_string(location_verdict v) noexcept {
    switch (v) {
        case location_verdict::protected_: return "protected";
        case location_verdict::open_on_purpose: return "open_on_purpose";
        case location_verdict::open: return "OPEN";
        case location_verdict::broken: return "broken";
    }
    return "unknown";
}

}  // namespace ngxconf::swag
