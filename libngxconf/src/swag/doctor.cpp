// doctor: the checks a user would run by hand before blaming nginx or Authentik.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "detail.hpp"

namespace ngxconf::swag::detail {
namespace {

// Each finding's severity is decided where it is made, next to the check that makes it.
struct findings {
    std::vector<diagnostic> out;
    void add(severity level, diag_code code, std::string message, const fs::path& file = {},
             std::uint32_t line = 0) {
        out.push_back(make_diag(level, code, std::move(message), file, line));
    }
};

std::string lines_list(const std::vector<std::uint32_t>& lines) {
    std::string out;
    for (const auto l : lines) out += (out.empty() ? "" : ", ") + std::to_string(l);
    return out;
}

std::string read_head(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::string head(8192, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
}

document* load(context& ctx, findings& f, const fs::path& p) {
    try {
        return ctx.existing(p);
    } catch (const ngxconf::error& e) {
        f.add(severity::error, diag_code::swag_unreadable,
              "cannot be read: " + error_words(e), p, e.where().begin.line);
    }
    return nullptr;
}

void check_authentik_files(context& ctx, findings& f) {
    for (const auto name : {info(provider::authentik).server_file, info(provider::authentik).location_file}) {
        const fs::path p = ctx.root_file(name);
        const fs::path sample = ctx.root_file(std::string(name) + ".sample");
        if (!ctx.exists(p)) {
            f.add(severity::error, diag_code::swag_file_missing,
                  std::string(name) + " is missing" +
                      (on_disk(sample) ? ": SWAG creates it from " + std::string(name) +
                                             ".sample at start-up; copy it"
                                       : ""),
                  p);
            continue;
        }
        f.add(severity::ok, diag_code::swag_file_present, std::string(name) + " present", p);
        document* doc = load(ctx, f, p);
        if (!doc || !on_disk(sample)) continue;
        const auto mine = version_date(version_line(doc->source()));
        const auto theirs = version_date(version_line(read_head(sample)));
        if (!mine.empty() && !theirs.empty() && mine != theirs) {
            f.add(severity::warning, diag_code::swag_version_differs,
                  std::string(name) + " is version " + mine + ", its .sample " + theirs +
                      " (SWAG warns at start-up; compare them and update by hand)",
                  p, 1);
        }
    }
}

// Whether a location (or the file around it) has an enabled directive `name` whose first
// argument is `first` (any when empty).
bool has_directive(const directive& loc, std::string_view name, std::string_view first) {
    for (const auto& d : find_all(loc.body(), name)) {
        if (first.empty() || (d.arg_count() > 0 && d.arg(0) == first)) return true;
    }
    return false;
}

using lines_by = std::map<std::string, std::vector<std::uint32_t>>;

// "a (line 3), b (lines 5, 9)".
std::string listed(const lines_by& m) {
    std::string list;
    for (const auto& [k, lines] : m) {
        list += (list.empty() ? "" : ", ") + k + " (line" + (lines.size() > 1 ? "s " : " ") +
                lines_list(lines) + ")";
    }
    return list;
}

// The `set $upstream_authentik` lines; returns the host when they agree (else empty).
std::string check_upstream_hosts(document& doc, const fs::path& path, findings& f) {
    lines_by hosts;
    for_each_directive(doc.root(), [&](const directive& d) {
        if (is_set_of(d, "$upstream_authentik")) hosts[d.arg(1)].push_back(line_of(d));
    }, {.recursive = true});
    if (hosts.empty()) {
        f.add(severity::warning, diag_code::swag_upstream_unset,
              "authentik-server.conf has no `set $upstream_authentik` line", path);
        return {};
    }
    if (hosts.size() > 1) {
        f.add(severity::warning, diag_code::swag_upstream_hosts_disagree,
              "the `set $upstream_authentik` lines disagree: " + listed(hosts) +
                  " (ngxauth switch-upstream sets them all)",
              path, hosts.begin()->second.front());
        return {};
    }
    const auto& [host, lines] = *hosts.begin();
    f.add(severity::info, diag_code::swag_upstream_host,
          "auth requests go to " + host + " (set $upstream_authentik on line" +
              (lines.size() > 1 ? "s " : " ") + lines_list(lines) + ")",
          path, lines.front());
    return host;
}

// A location proxying to a remote host over https needs SNI and that host's name.
void check_remote_https(const document& doc, const directive& loc, const std::string& target,
                        const fs::path& path, findings& f) {
    const bool sni = has_directive(loc, "proxy_ssl_server_name", "on") ||
                     !find_all(doc.root(), "proxy_ssl_server_name").empty();
    const bool host_header = has_directive(loc, "proxy_set_header", "Host");
    if (sni && host_header) return;
    std::string missing;
    if (!sni) missing += "`proxy_ssl_server_name on;`";
    if (!host_header) {
        missing += std::string(missing.empty() ? "" : " and ") + "`proxy_set_header Host " + target + ";`";
    }
    f.add(severity::warning, diag_code::swag_remote_https_no_sni,
          describe_location(loc) + " proxies to the remote https upstream " + target + " without " +
              missing + ": the remote side sees SWAG's host name and no SNI, and usually refuses",
          path, line_of(loc));
}

struct upstream_urls {
    lines_by urls;  // "scheme://:port" -> lines
    bool old_default = false;  // http on 9000
};

upstream_urls read_proxy_passes(document& doc, const std::string& host, const fs::path& path,
                                findings& f) {
    upstream_urls out;
    for (const auto& loc : locations_in(doc.root())) {
        for (const auto& pp : find_all(loc.body(), "proxy_pass")) {
            if (pp.arg_count() != 1) continue;
            const auto ref = parse_ref(pp.arg(0));
            if (!ref) continue;
            out.urls[ref->scheme + "://:" + (ref->port.empty() ? "default" : ref->port)].push_back(line_of(pp));
            out.old_default = out.old_default || (ref->scheme == "http" && ref->port == "9000");
            // The host this location talks to: its own set line, else the file's one.
            std::string target = host;
            for (const auto& s : find_all(loc.body(), "set")) {
                if (is_set_of(s, "$upstream_authentik")) target = s.arg(1);
            }
            if (ref->scheme == "https" && !target.empty() && !is_container_name(target)) {
                check_remote_https(doc, loc, target, path, f);
            }
        }
    }
    return out;
}

void check_scheme_port(const upstream_urls& u, const std::string& host, const fs::path& path,
                       findings& f) {
    if (u.urls.size() > 1) {
        f.add(severity::warning, diag_code::swag_upstream_ports_disagree,
              "the proxy_pass lines to $upstream_authentik disagree on scheme/port: " + listed(u.urls), path);
    } else if (u.urls.size() == 1) {
        const auto& [url, lines] = *u.urls.begin();
        const std::string scheme = url.substr(0, url.find(':')), port = url.substr(url.find("//:") + 3);
        f.add(severity::info, diag_code::swag_upstream_scheme_port,
              "auth requests use " + scheme + ", port " + port, path, lines.front());
        // Authentik serves http on 9000 and https on 9443: the other pairing never answers.
        if ((scheme == "https" && port == "9000") || (scheme == "http" && port == "9443")) {
            f.add(severity::warning, diag_code::swag_scheme_port_mismatch,
                  scheme + " to port " + port + ", where Authentik serves " +
                      (scheme == "https" ? "http" : "https") + ": ngxauth switch-upstream " +
                      (scheme == "https" ? "https://HOST:9443" : "http://HOST:9000"),
                  path, lines.front());
        }
    }
    if (!u.old_default) return;
    f.add(severity::warning, diag_code::swag_plain_http_upstream,
          "auth requests go to Authentik over http on port 9000: Authentik 2026.8 and later "
          "trust X-Forwarded-* headers only from trusted proxies, so logins through SWAG break "
          "after upgrading. Either move to https on port 9443 (ngxauth switch-upstream "
          "https://" +
              (host.empty() ? std::string("authentik-server") : host) +
              ":9443) or set AUTHENTIK_LISTEN__TRUSTED_PROXY_CIDRS on the Authentik server to "
              "the network SWAG connects from",
          path);
}

// A conf serving Authentik that proxies the same host should use the same scheme and port.
void check_serving_conf(context& ctx, const app_conf& c, const std::string& host,
                        const std::string& scheme, const std::string& port, findings& f) {
    document* sd = load(ctx, f, c.path);
    if (!sd) return;
    for (const auto& s : find_all(sd->root(), "set", {.recursive = true})) {
        if (!is_set_of(s, "$upstream_app") || s.arg(1) != host) continue;
        for (const node n : s.parent()) {
            const directive d = n.as_directive();
            if (is_set_of(d, "$upstream_proto") && d.arg(1) != scheme) {
                f.add(severity::warning, diag_code::swag_serving_scheme_differs,
                      file_label(ctx, c.path) + " reaches " + host + " with " + d.arg(1) +
                          " but authentik-server.conf with " + scheme,
                      c.path, line_of(d));
            }
            if (is_set_of(d, "$upstream_port") && port != "default" && d.arg(1) != port) {
                f.add(severity::warning, diag_code::swag_serving_port_differs,
                      file_label(ctx, c.path) + " reaches " + host + " on port " + d.arg(1) +
                          " but authentik-server.conf on port " + port,
                      c.path, line_of(d));
            }
        }
    }
}

void check_serving_confs(context& ctx, const std::string& host, const upstream_urls& u,
                         findings& f) {
    const auto serving = authentik_serving_confs(ctx);
    if (serving.empty()) {
        f.add(severity::info, diag_code::swag_no_serving_conf,
              "no proxy-conf serves Authentik itself (auth.subdomain.conf or "
              "authentik.subdomain.conf); ngxauth gen auth-subdomain writes one");
        return;
    }
    for (const auto& c : serving) {
        f.add(severity::ok, diag_code::swag_serving_conf,
              "Authentik is served by " + file_label(ctx, c.path), c.path);
        if (host.empty() || u.urls.size() != 1) {
            (void)load(ctx, f, c.path);  // still say when it cannot be read
            continue;
        }
        const std::string& url = u.urls.begin()->first;
        check_serving_conf(ctx, c, host, url.substr(0, url.find(':')),
                           url.substr(url.find("//:") + 3), f);
    }
}

void check_upstream(context& ctx, findings& f) {
    const fs::path path = ctx.root_file("authentik-server.conf");
    if (!ctx.exists(path)) return;
    document* doc = load(ctx, f, path);
    if (!doc) return;
    const std::string host = check_upstream_hosts(*doc, path, f);
    const auto urls = read_proxy_passes(*doc, host, path, f);
    check_scheme_port(urls, host, path, f);
    check_serving_confs(ctx, host, urls, f);
}

void check_apps(context& ctx, findings& f) {
    for (const auto& st : status(ctx)) {
        // Each problem keeps the severity status gave it; its `where` names the conf.
        f.out.insert(f.out.end(), st.problems.begin(), st.problems.end());
        if (!st.protected_ || !st.problems.empty()) continue;
        std::string by = "authentik";
        for (const auto& l : st.locations) {
            if (l.verdict == location_verdict::protected_ && l.by) by = std::string(name_of(*l.by));
        }
        f.add(severity::ok, diag_code::swag_app_protected, "protected by " + by, st.file);
    }
}

// SWAG's samples reach the app through `set $upstream_app ...;` and a proxy_pass built from
// it; a proxy_pass edited to a literal host still works, but nothing ngxauth checks about the
// upstream (doctor's host checks, Docker's container checks, sync) can follow it: name it.
void check_literal_upstreams(context& ctx, findings& f) {
    for (const auto& c : all_active_confs(ctx)) {
        document* doc = nullptr;
        try {
            doc = ctx.existing(c.path);
        } catch (const ngxconf::error&) {
            continue;  // reported by check_apps
        }
        if (doc == nullptr) continue;  // a dangling symlink: reported by check_apps
        for_each_directive(doc->root(), [&](const directive& d) {
            if (d.name() != "proxy_pass" || !d.enabled() || d.arg_count() != 1) return;
            const std::string target = d.arg(0);
            if (target.find('$') != std::string::npos) return;
            f.add(severity::info, diag_code::swag_upstream_literal,
                  "literal host in proxy_pass " + target +
                      " (not $upstream_app): the upstream checks skip it",
                  c.path, line_of(d));
        }, {.recursive = true});
    }
}

void check_includes(context& ctx, findings& f) {
    std::vector<fs::path> files = {ctx.root_file("authentik-server.conf"),
                                   ctx.root_file("authentik-location.conf"), ctx.default_conf()};
    for (const auto& c : all_active_confs(ctx)) files.push_back(c.path);
    struct missing_target {
        std::string include;
        fs::path first_file;
        std::uint32_t first_line = 0;
        std::size_t count = 0;
    };
    std::map<std::string, missing_target> missing;
    const std::string croot = std::string(ctx.container_root()) + "/";
    for (const auto& p : files) {
        if (!ctx.exists(p)) continue;
        document* doc = nullptr;
        try {
            doc = ctx.existing(p);
        } catch (const ngxconf::error&) {
            continue;  // reported by the checks above
        }
        for_each_directive(doc->root(), [&](const directive& inc) {
            if (inc.name() != "include" || inc.arg_count() != 1) return;
            const std::string arg = inc.arg(0);
            // Only the container's /config/nginx is on this machine; /etc/nginx/... is not.
            if (arg.starts_with('/') && !arg.starts_with(croot)) return;
            if (arg.find_first_of("*?[") != std::string::npos) return;  // a glob may match nothing
            const auto targets = ctx.ws.resolve_include(inc);
            if (targets.empty() || ctx.exists(targets.front())) return;
            auto& m = missing[targets.front().string()];
            if (m.count++ == 0) {
                m.include = arg;
                m.first_file = p;
                m.first_line = line_of(inc);
            }
        }, {.recursive = true});
    }
    for (const auto& [target, m] : missing) {
        const bool generated = m.include.ends_with("/resolver.conf") ||
                               m.include.ends_with("/worker_processes.conf");
        // The finding's place is the first include; the message counts the others.
        std::string msg = "include " + m.include + " does not resolve (" + target + " missing)";
        if (m.count > 1) msg += ", here and in " + std::to_string(m.count - 1) + " more";
        if (generated) msg += "; SWAG writes this file at start-up";
        f.add(generated ? severity::warning : severity::error,
              generated ? diag_code::swag_include_generated : diag_code::swag_include_unresolved,
              std::move(msg), m.first_file, m.first_line);
    }
    if (missing.empty())
        f.add(severity::ok, diag_code::swag_includes_resolve,
              "every include under " + std::string(ctx.container_root()) + " resolves");
    f.out.insert(f.out.end(), ctx.ws.problems().begin(), ctx.ws.problems().end());
}

}  // namespace

std::vector<diagnostic> doctor(context& ctx) {
    findings f;
    check_authentik_files(ctx, f);
    check_upstream(ctx, f);
    check_apps(ctx, f);
    check_literal_upstreams(ctx, f);
    check_includes(ctx, f);
    return std::move(f.out);
}

}  // namespace ngxconf::swag::detail
