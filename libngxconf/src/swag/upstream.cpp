// switch_upstream: point authentik-server.conf (and the conf serving Authentik) elsewhere.
#include <charconv>
#include <fstream>

#include "detail.hpp"

namespace ngxconf::swag::detail {

bool is_set_of(const directive& d, std::string_view var) {
    return d && d.enabled() && d.name() == "set" && d.arg_count() == 2 && d.arg(0) == var;
}

namespace {

std::string head_of(const context& ctx, const fs::path& p) {
    if (document* d = ctx.ws.find(p)) return std::string(d->source().substr(0, 4096));
    std::ifstream in(p, std::ios::binary);
    std::string buf(4096, '\0');
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    buf.resize(static_cast<std::size_t>(in.gcount()));
    return buf;
}

void validate(const upstream_target& t) {
    std::string why;
    if (auto h = host_problem(t.host)) {
        why = *h;
    } else if (t.scheme && *t.scheme != "http" && *t.scheme != "https") {
        why = "the scheme must be http or https";
    } else if (t.port && *t.port == 0) {
        why = "the port must be a number from 1 to 65535";
    }
    if (!why.empty()) {
        throw error(diag_code::swag_invalid_target, "invalid upstream \"" + t.host + "\": " + why);
    }
}

}  // namespace

std::optional<upstream_ref> parse_ref(std::string_view arg) {
    for (const std::string_view scheme : {"http", "https"}) {
        for (const std::string_view var : {"$upstream_authentik", "${upstream_authentik}"}) {
            const std::string prefix = std::string(scheme) + "://" + std::string(var);
            if (!arg.starts_with(prefix)) continue;
            std::string_view rest = arg.substr(prefix.size());
            upstream_ref r{std::string(scheme), std::string(var), {}, {}};
            if (rest.starts_with(':')) {
                rest.remove_prefix(1);
                std::size_t n = 0;
                while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
                if (n == 0) return std::nullopt;
                r.port = std::string(rest.substr(0, n));
                rest.remove_prefix(n);
            }
            if (!rest.empty() && rest.front() != '/') return std::nullopt;  // $upstream_authentik_x
            r.suffix = std::string(rest);
            return r;
        }
    }
    return std::nullopt;
}

std::vector<app_conf> authentik_serving_confs(const context& ctx) {
    std::vector<app_conf> out;
    for (auto& c : all_active_confs(ctx)) {
        if (c.kind != app_kind::subdomain) continue;
        const bool named = c.app == "auth" || c.app == "authentik";
        if (named || head_of(ctx, c.path).find(std::string("\n") + std::string(generated_marker)) !=
                         std::string::npos) {
            out.push_back(std::move(c));
        }
    }
    return out;
}

namespace {

using pass_list = std::vector<std::pair<directive, upstream_ref>>;

// A scheme change without a port takes Authentik's port for the new scheme (http 9000,
// https 9443): Authentik never serves https on 9000 nor http on 9443.
upstream_target with_authentik_port(upstream_target t, const pass_list& passes) {
    if (!t.scheme || t.port || passes.empty()) return t;
    if (passes.front().second.scheme == *t.scheme) return t;
    t.port = static_cast<std::uint16_t>(*t.scheme == "https" ? 9443 : 9000);
    return t;
}

std::optional<std::uint16_t> port_number(const std::string& digits) {
    unsigned v = 0;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (r.ec != std::errc() || v == 0 || v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

}  // namespace

std::optional<upstream_target> current_upstream(context& ctx) {
    document* doc = ctx.existing(ctx.root_file("authentik-server.conf"));
    if (!doc) return std::nullopt;
    upstream_target t;
    bool found = false;
    for_each_directive(doc->root(), [&](const directive& d) {
        if (t.host.empty() && is_set_of(d, "$upstream_authentik")) {
            t.host = d.arg(1);
            found = true;
        }
        if (!t.scheme && d.enabled() && d.name() == "proxy_pass" && d.arg_count() == 1) {
            if (auto ref = parse_ref(d.arg(0))) {
                t.scheme = ref->scheme;
                t.port = port_number(ref->port);
                found = true;
            }
        }
    }, {.recursive = true});
    if (!found) return std::nullopt;
    return t;
}

report switch_upstream(context& ctx, const upstream_target& given) {
    validate(given);
    const fs::path path = ctx.root_file("authentik-server.conf");
    document* doc = ctx.existing(path);
    if (!doc) {
        std::vector<std::string> hints;
        if (on_disk(ctx.root_file("authentik-server.conf.sample"))) {
            hints.emplace_back("copy authentik-server.conf.sample to authentik-server.conf");
        }
        throw error(diag_code::swag_provider_files_missing,
                    "authentik-server.conf not found in " + ctx.where.root.string(),
                    std::move(hints));
    }

    std::vector<directive> sets;
    pass_list passes;
    std::vector<directive> foreign;  // proxy_pass lines that do not use $upstream_authentik
    for_each_directive(doc->root(), [&](const directive& d) {
        if (is_set_of(d, "$upstream_authentik")) sets.push_back(d);
        if (d.name() == "proxy_pass" && d.arg_count() == 1) {
            if (auto ref = parse_ref(d.arg(0))) {
                passes.emplace_back(d, std::move(*ref));
            } else {
                foreign.push_back(d);
            }
        }
    }, {.recursive = true});
    if (sets.empty() && passes.empty()) {
        throw error(diag_code::swag_provider_files_missing,
                    "authentik-server.conf has no `set $upstream_authentik ...;` line and no "
                    "proxy_pass to $upstream_authentik: nothing to switch");
    }
    const upstream_target target = with_authentik_port(given, passes);

    report r;
    for (const auto& d : sets) {
        if (d.arg(1) == target.host) continue;
        std::string before = line_text(d);
        set_arg(d, 1, target.host);
        r.changes.push_back(
            change{path, line_of(d), change_kind::set, std::move(before), line_text(d)});
    }
    bool any_https = false;
    for (auto& [d, ref] : passes) {
        upstream_ref next = ref;
        if (target.scheme) next.scheme = *target.scheme;
        if (target.port) next.port = std::to_string(*target.port);
        any_https = any_https || next.scheme == "https";
        if (next.url() == ref.url()) continue;
        std::string before = line_text(d);
        set_arg(d, 0, next.url());
        r.changes.push_back(
            change{path, line_of(d), change_kind::set, std::move(before), line_text(d)});
    }
    for (const auto& d : foreign) {
        r.notes.push_back(make_diag(
            severity::info, diag_code::swag_foreign_proxy_pass,
            "authentik-server.conf: proxy_pass " + std::string(d.raw_arg(0)) + " (line " +
                std::to_string(line_of(d)) + ") does not use $upstream_authentik: left alone",
            path, line_of(d)));
    }
    if (sets.empty()) {
        r.notes.push_back(
            make_diag(severity::warning, diag_code::swag_upstream_unset,
                      "authentik-server.conf has no `set $upstream_authentik` line: only "
                      "the proxy_pass lines were changed",
                      path));
    }

    // The conf serving Authentik itself follows a new scheme/port when it proxies the same host.
    if (target.scheme || target.port) {
        for (const auto& c : authentik_serving_confs(ctx)) {
            document* sd = nullptr;
            try {
                sd = ctx.existing(c.path);
            } catch (const ngxconf::error& e) {
                r.notes.push_back(make_diag(severity::warning, diag_code::swag_unreadable,
                                            file_label(ctx, c.path) + " left alone: " + e.what(),
                                            c.path, e.where().begin.line));
                continue;
            }
            if (!sd) continue;
            std::vector<std::string> elsewhere;
            for (const auto& app_set : find_all(sd->root(), "set", {.recursive = true})) {
                if (!is_set_of(app_set, "$upstream_app")) continue;
                if (app_set.arg(1) != target.host) {
                    elsewhere.push_back(app_set.arg(1));
                    continue;
                }
                for (const node n : app_set.parent()) {
                    const directive d = n.as_directive();
                    std::optional<std::string> value;
                    if (target.scheme && is_set_of(d, "$upstream_proto")) value = *target.scheme;
                    if (target.port && is_set_of(d, "$upstream_port")) value = std::to_string(*target.port);
                    if (!value || d.arg(1) == *value) continue;
                    std::string before = line_text(d);
                    set_arg(d, 1, *value);
                    r.changes.push_back(change{c.path, line_of(d), change_kind::set,
                                               std::move(before), line_text(d)});
                }
            }
            if (!elsewhere.empty()) {
                r.notes.push_back(make_diag(severity::info, diag_code::swag_serving_other_host,
                                            file_label(ctx, c.path) + " serves " +
                                                elsewhere.front() + ", not " + target.host +
                                                ": left alone",
                                            c.path));
            }
        }
    }
    if (any_https && !is_container_name(target.host)) {
        r.notes.push_back(make_diag(severity::warning, diag_code::swag_remote_https_no_sni,
                                    "a remote https upstream needs `proxy_ssl_server_name on;` and "
                                    "`proxy_set_header Host " +
                                        target.host +
                                        ";` in the locations of authentik-server.conf (see doctor)",
                                    path));
    }
    return r;
}

}  // namespace ngxconf::swag::detail
