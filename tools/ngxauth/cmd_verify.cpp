// verify [APP...]: ask the running site whether each app really wants a login. One anonymous
// HTTPS GET per app; the answer (not the conf) decides: a redirect to the sign-in or a 401 is
// `login`, a page or a redirect elsewhere is `OPEN`, no answer or a 5xx is `error`.
#include <fmt/core.h>

#include <algorithm>
#include <vector>

#include "commands.hpp"
#include "http.hpp"
#include "site.hpp"
#include "ngxconf/json.hpp"
#include "ngxconf/ngxconf.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;

enum class verdict { login, open, error };

std::string_view name_of(verdict v) {
    switch (v) {
        case verdict::login: return "login";
        case verdict::open: return "OPEN";
        case verdict::error: return "error";
    }
    return "error";
}

struct target {
    std::string app;
    std::string url;
};

struct checked {
    target what;
    verdict v = verdict::error;
    http::response r;
};

// Where a provider sends a browser that has no session: Authentik's outpost start page, or
// its flow UI when the outpost redirects straight there.
bool is_sign_in(std::string_view location) {
    return location.find("/outpost.goauthentik.io/start") != std::string_view::npos ||
           location.find("/if/flow/") != std::string_view::npos;
}

verdict judge(const http::response& r) {
    if (!r.answered) return verdict::error;
    if (r.status == 401) return verdict::login;
    if (r.status >= 300 && r.status < 400) {
        return is_sign_in(r.location) ? verdict::login : verdict::open;
    }
    if (r.status >= 200 && r.status < 300) return verdict::open;
    return verdict::error;  // 5xx, and anything that says neither "log in" nor "here it is"
}

// The apps verify checks when none is named: every one with some auth on — protected, or
// meant to be (a location asks for a login or fails trying, a provider's line is on in the
// app's own conf). A half-protected app is exactly what a cron job must catch.
bool meant_protected(const swag::app_status& a) {
    if (a.protected_ || !a.location_level.empty()) return true;
    if (a.kind == swag::app_kind::subdomain && !a.server_level.empty()) return true;
    return std::any_of(a.locations.begin(), a.locations.end(), [](const swag::location_state& l) {
        return l.verdict == swag::location_verdict::protected_ || l.verdict == swag::location_verdict::broken;
    });
}


std::vector<target> targets_of(const options& o, const verify_args& a) {
    if (a.url) return {{a.apps.empty() ? *a.url : a.apps.front(), *a.url}};
    // main() refuses the command line first; this guards other callers.
    if (!a.domain) throw ngxconf::usage_error("verify needs --domain DOMAIN or --url URL");
    swag::session s(swag::layout::detect(o.root));
    const auto all = s.status();
    std::vector<swag::app_status> apps;
    if (a.apps.empty()) {
        std::copy_if(all.begin(), all.end(), std::back_inserter(apps),
                     [](const auto& x) { return meant_protected(x); });
    }
    for (const auto& name : a.apps) {
        const auto found = pick(all, name);
        apps.insert(apps.end(), found.begin(), found.end());
    }
    std::vector<target> out;
    for (const auto& x : apps) out.push_back({x.app, url_of(x, *a.domain)});
    return out;
}

std::string json_or_null(const std::string& s) {
    return s.empty() ? std::string("null") : ngxconf::json_quote(s);
}

void print_json(const std::vector<checked>& results, bool ok, const std::vector<std::string>& recovered) {
    std::string out = fmt::format("{{\"ok\":{},\"apps\":[", ok ? "true" : "false");
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& c = results[i];
        out += fmt::format(
            "{}\n  {{\"app\":{},\"url\":{},\"verdict\":{},\"status\":{},\"status_line\":{},"
            "\"location\":{},\"error\":{}}}",
            i ? "," : "", ngxconf::json_quote(c.what.app), ngxconf::json_quote(c.what.url),
            ngxconf::json_quote(name_of(c.v)),
            c.r.answered ? std::to_string(c.r.status) : std::string("null"),
            json_or_null(c.r.status_line), json_or_null(c.r.location), json_or_null(c.r.error));
    }
    out += fmt::format("{}],\"recovered\":[{}]}}\n", results.empty() ? "" : "\n", json_strings(recovered));
    fmt::print("{}", out);
}

void print_text(const std::vector<checked>& results, const style& st) {
    if (results.empty()) fmt::print("no protected apps to verify\n");
    for (const auto& c : results) {
        const auto v = std::string(name_of(c.v));
        const auto shown = c.v == verdict::login ? st.green(v)
                           : c.v == verdict::open ? st.red(v)
                                                  : st.yellow(v);
        std::string detail = c.r.answered ? c.r.status_line : c.r.error;
        if (!c.r.location.empty()) detail += " -> " + c.r.location;
        fmt::print("{}  {}  {}  {}\n", c.what.app, c.what.url, shown, detail);
    }
}

}  // namespace

bool verify_available() {
    if (http::available()) return true;
    fmt::print(stderr, "ngxauth: verify is not available: this build has no libcurl\n");
    return false;
}

int cmd_verify(const options& o, const verify_args& a) {
    if (!verify_available()) return exit_usage;
    const auto targets = targets_of(o, a);
    if (a.insecure) {
        fmt::print(stderr, "ngxauth: warning: --insecure: TLS certificates are not checked\n");
    }
    std::vector<checked> results;
    for (const auto& t : targets) {
        http::request req;
        req.url = t.url;
        req.connect_to = a.connect;
        req.insecure = a.insecure;
        req.timeout_seconds = a.timeout;
        checked c{t, verdict::error, http::perform(req)};
        c.v = judge(c.r);
        results.push_back(std::move(c));
    }
    const auto any = [&](verdict v) {
        return std::any_of(results.begin(), results.end(),
                           [v](const checked& c) { return c.v == v; });
    };
    const bool ok = !any(verdict::open) && !any(verdict::error);
    if (o.json) {
        print_json(results, ok, o.recovered);
    } else {
        print_text(results, o.out);
    }
    if (any(verdict::open)) return exit_open;
    if (any(verdict::error)) return exit_io;
    return exit_ok;
}

}  // namespace ngxauth
