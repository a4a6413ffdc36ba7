// generate_auth_subdomain: proxy-confs/SUBDOMAIN.subdomain.conf serving Authentik itself,
// written the way SWAG writes its own confs.
#include <ngxconf/builder.hpp>

#include "detail.hpp"

namespace ngxconf::swag::detail {
namespace {

// The template's own revision: SWAG's `## Version` is the date the sample last changed, so
// an unchanged template gives byte-identical files (and a re-run is a no-op).
constexpr std::string_view template_version = "2026/11/28";

void validate(const gen_options& o) {
    std::string why;
    if (o.subdomain.find('.') != std::string::npos && !host_problem(o.subdomain)) {
        // server_name auth.example.com.* never matches; SWAG's auth.* serves every domain.
        throw error(diag_code::swag_invalid_target,
                    "gen auth-subdomain: subdomain \"" + o.subdomain +
                        "\" has a dot: write the first label only",
                    {"--subdomain " + o.subdomain.substr(0, o.subdomain.find('.')) +
                     " (server_name " + o.subdomain.substr(0, o.subdomain.find('.')) +
                     ".* answers on every domain SWAG serves)"});
    }
    if (o.subdomain.empty() || o.subdomain.front() == '[' || host_problem(o.subdomain) ||
        o.subdomain.find_first_not_of("0123456789.") == std::string::npos) {
        why = "subdomain \"" + o.subdomain + "\" is not a hostname label (such as auth)";
    } else if (auto h = host_problem(o.upstream)) {
        why = "upstream \"" + o.upstream + "\": " + *h;
    } else if (o.scheme != "http" && o.scheme != "https") {
        why = "scheme \"" + o.scheme + "\" must be http or https";
    } else if (o.port == 0) {
        why = "the port must be a number from 1 to 65535";
    }
    if (!why.empty()) throw error(diag_code::swag_invalid_target, "gen auth-subdomain: " + why);
}

// The file, built with config_builder (canonical SWAG house style, values spelled for nginx).
std::string render(const gen_options& o, std::string_view container_root) {
    const std::string croot(container_root);
    const std::string port = std::to_string(o.port);
    config_builder b;
    b.comment("## Version " + std::string(template_version))
        .comment(std::string(generated_marker) + ": serves Authentik at " + o.subdomain +
                 ".* (proxied to " + o.scheme + "://" + o.upstream + ":" + port + ")")
        .comment("make sure that your dns has a cname set for " + o.subdomain)
        .blank_line()
        .open("server")
        .directive("listen", {"443", "ssl"})
        .comment("#listen 443 quic;")
        .directive("listen", {"[::]:443", "ssl"})
        .comment("#listen [::]:443 quic;")
        .blank_line()
        .directive("server_name", {o.subdomain + ".*"})
        .blank_line()
        .directive("include", {croot + "/ssl.conf"})
        .blank_line()
        .directive("client_max_body_size", {"0"});
    for (const auto& match : std::vector<std::vector<std::string>>{{"/"}, {"~", "(/authentik)?/api"}}) {
        b.blank_line()
            .open("location", match)
            .directive("include", {croot + "/proxy.conf"})
            .directive("include", {croot + "/resolver.conf"})
            .directive("set", {"$upstream_app", o.upstream})
            .directive("set", {"$upstream_port", port})
            .directive("set", {"$upstream_proto", o.scheme})
            .directive("proxy_pass", {"$upstream_proto://$upstream_app:$upstream_port"})
            .close();
    }
    b.close();
    return b.text();
}

std::string comment_body(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return std::string(text);
}

// The same configuration, blank lines and indentation aside: comments, directives (on or
// off), decoded arguments and blocks, in order.
bool same_tree(const block& a, const block& b) {
    const auto next = [](node n) {
        while (n && n.is_blank()) n = n.next_sibling();
        return n;
    };
    node x = next(a.first_child());
    node y = next(b.first_child());
    for (; x && y; x = next(x.next_sibling()), y = next(y.next_sibling())) {
        if (x.kind() != y.kind()) return false;
        if (const comment c = x.as_comment()) {
            if (comment_body(c.text()) != comment_body(y.as_comment().text())) return false;
            continue;
        }
        const directive d = x.as_directive();
        const directive e = y.as_directive();
        if (!d || !e) return false;
        if (d.name() != e.name() || d.enabled() != e.enabled() || d.args() != e.args() ||
            d.has_block() != e.has_block()) {
            return false;
        }
        if (d.body() && !same_tree(d.body(), e.body())) return false;
    }
    return !x && !y;
}

}  // namespace

report generate_auth_subdomain(context& ctx, const gen_options& opts) {
    validate(opts);
    const fs::path path = ctx.proxy_confs() / (opts.subdomain + ".subdomain.conf");
    // SWAG ships authentik.subdomain.conf.sample and warns when the conf's ## Version
    // differs from it: the sample itself is the better file under that name.
    const fs::path sample = ctx.proxy_confs() / (opts.subdomain + ".subdomain.conf.sample");
    if (!opts.force && opts.subdomain == "authentik" && !ctx.exists(path) && on_disk(sample)) {
        throw error(diag_code::swag_would_overwrite,
                    "gen auth-subdomain: SWAG ships " + file_label(ctx, sample) +
                        "; a generated authentik.subdomain.conf would differ from it",
                    {"copy " + file_label(ctx, sample) + " to " + file_label(ctx, path),
                     "or --subdomain auth, or --force to write the generated file"});
    }
    const std::string text = render(opts, ctx.container_root());
    document fresh = parse(text, path.string(), ctx.parse);

    report r;
    const auto label = file_label(ctx, path);
    document* existing = ctx.existing(path);
    if (!existing) {
        ctx.ws.create(path, std::move(fresh));
        r.changes.push_back(change{path, 0, change_kind::create, "", ""});
        for (const auto& c : authentik_serving_confs(ctx)) {
            if (c.path == path) continue;
            r.notes.push_back(make_diag(severity::info, diag_code::swag_also_serves_authentik,
                                        file_label(ctx, c.path) + " also serves Authentik",
                                        c.path));
        }
        return r;
    }
    if (to_string(*existing) == text || same_tree(existing->root(), fresh.root())) {
        r.notes.push_back(make_diag(severity::info, diag_code::swag_up_to_date,
                                    label + " is already up to date", path));
        return r;
    }
    if (!opts.force) {
        throw error(diag_code::swag_would_overwrite,
                    label + " exists and differs from what gen would write");
    }
    ctx.ws.replace(path, std::move(fresh));  // the bytes on disk stay the baseline
    r.changes.push_back(change{path, 0, change_kind::set, "", ""});
    r.notes.push_back(make_diag(severity::info, diag_code::swag_overwritten,
                                label + " overwritten (force)", path));
    return r;
}

}  // namespace ngxconf::swag::detail
