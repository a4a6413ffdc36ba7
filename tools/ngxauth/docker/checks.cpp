// doctor's container checks (checks.hpp): resolution as Docker's DNS does it, then a finding
// per app upstream and per auth upstream.
#include "checks.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "locate.hpp"

namespace ngxauth::docker {
namespace {

using ngxconf::diag_code;
using ngxconf::severity;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The host without the brackets of an IPv6 literal, when it is an IP literal.
std::optional<std::string> ip_literal(std::string_view host) {
    std::string h(host);
    if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    unsigned char buf[16];
    if (::inet_pton(AF_INET, h.c_str(), buf) == 1 || ::inet_pton(AF_INET6, h.c_str(), buf) == 1) {
        return h;
    }
    return std::nullopt;
}

// Networks whose embedded DNS answers container names: user-defined ones, not the default
// bridge, host or none.
bool has_dns(const attachment& a) {
    return a.network != "bridge" && a.network != "host" && a.network != "none";
}

const attachment* on_network(const container& c, const attachment& net) {
    for (const auto& a : c.networks) {
        const bool same = !a.network_id.empty() && !net.network_id.empty()
                              ? a.network_id == net.network_id
                              : a.network == net.network;
        if (same) return &a;
    }
    return nullptr;
}

// Whether `c` goes by `name` anywhere (its name, short id, an alias or DNS name of any network).
bool goes_by(const container& c, const std::string& name) {
    if (lower(c.name) == name || lower(c.short_id()) == name) return true;
    for (const auto& a : c.networks) {
        for (const auto& n : names_on(c, a)) {
            if (lower(n) == name) return true;
        }
    }
    return false;
}

std::string joined(const std::vector<std::string>& items, std::string_view sep = ", ") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
    return out;
}

std::vector<std::string> network_names(const container& c, bool dns_only) {
    std::vector<std::string> out;
    for (const auto& a : c.networks) {
        if (!dns_only || has_dns(a)) out.push_back(a.network);
    }
    return out;
}

std::string swag_networks_text(const container& swag) {
    const auto nets = network_names(swag, true);
    return nets.empty() ? std::string("no user-defined network") : joined(nets);
}

std::string first_swag_network(const container& swag) {
    const auto nets = network_names(swag, true);
    return nets.empty() ? std::string("NETWORK") : nets.front();
}

std::string address_on(const container& c, std::string_view network) {
    for (const auto& a : c.networks) {
        if (a.network == network) return a.ipv4.empty() ? a.ipv6 : a.ipv4;
    }
    return {};
}

}  // namespace

resolution resolve(std::string_view host, const container& swag, const std::vector<container>& all) {
    resolution r;
    if (const auto ip = ip_literal(host)) {
        r.what = resolution::kind::outside;
        for (const auto& s : swag.networks) {
            for (const auto& c : all) {
                const attachment* a = c.running ? on_network(c, s) : nullptr;
                if (a && (a->ipv4 == *ip || a->ipv6 == *ip)) return {resolution::kind::container, &c, s.network};
            }
        }
        return r;
    }
    const std::string name = lower(host);
    for (const auto& s : swag.networks) {
        if (!has_dns(s)) continue;
        for (const auto& c : all) {
            const attachment* a = c.running ? on_network(c, s) : nullptr;
            if (!a) continue;
            for (const auto& n : names_on(c, *a)) {
                if (lower(n) == name) return {resolution::kind::container, &c, s.network};
            }
        }
    }
    for (const auto& c : all) {
        if (!goes_by(c, name)) continue;
        r.what = c.running ? resolution::kind::elsewhere : resolution::kind::stopped;
        r.target = &c;
        if (!c.running) return r;  // a stopped one explains it best
    }
    if (r.target) return r;
    if (name.find('.') != std::string::npos || name == "localhost") r.what = resolution::kind::outside;
    return r;
}

namespace {

// What a resolution that is not a running container on a shared network means, and its fix.
struct unresolved_text {
    diag_code code = diag_code::docker_upstream_unresolved;
    std::string why;
    std::string fix;
};

unresolved_text explain(const resolution& r, std::string_view host, const container& swag,
                        const std::vector<container>& all) {
    unresolved_text t;
    if (r.what == resolution::kind::stopped) {
        t.code = diag_code::docker_upstream_stopped;
        t.why = "is container " + r.target->name + ", which is " +
                (r.target->state.empty() ? std::string("not running") : r.target->state);
        t.fix = "docker start " + r.target->name;
    } else if (r.what == resolution::kind::elsewhere) {
        const auto nets = network_names(*r.target, false);
        t.why = "is container " + r.target->name + " on " +
                (nets.empty() ? std::string("no network") : "network " + joined(nets)) +
                ", which SWAG (on " + swag_networks_text(swag) + ") does not share";
        t.fix = "docker network connect " + first_swag_network(swag) + " " + r.target->name;
    } else {
        std::vector<std::string> there;
        for (const auto& s : swag.networks) {
            for (const auto& c : all) {
                if (has_dns(s) && c.running && c.id != swag.id && on_network(c, s) &&
                    std::find(there.begin(), there.end(), c.name) == there.end()) {
                    there.push_back(c.name);
                }
            }
        }
        if (there.size() > 8) there.resize(8);
        t.why = "names no container on SWAG's networks (" + swag_networks_text(swag) + ")";
        t.fix = "start it on " + first_swag_network(swag) + " as " + std::string(host) +
                (there.empty() ? std::string() : ", or name one there (" + joined(there) + ")");
    }
    return t;
}

// docker.upstream_port when the image exposes ports and `port` is none of them.
std::optional<ngxconf::diagnostic> port_finding(const std::string& who, const std::string& port,
                                                const container& target,
                                                const std::filesystem::path& file, std::uint32_t line) {
    if (port.empty() || target.exposed_tcp_ports.empty()) return std::nullopt;
    if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5) return std::nullopt;
    const int p = std::stoi(port);
    const auto& ports = target.exposed_tcp_ports;
    if (std::find(ports.begin(), ports.end(), p) != ports.end()) return std::nullopt;
    std::vector<std::string> listed;
    for (const int e : ports) listed.push_back(std::to_string(e));
    return finding(severity::warning, diag_code::docker_upstream_port,
                   who + " port " + port + " is none of the ports container " + target.name +
                       " exposes (" + joined(listed) + ")",
                   "use one of them, or check the port the app listens on", file, line);
}

std::string resolved_text(const resolution& r) {
    const auto ip = address_on(*r.target, r.network);
    return "is container " + r.target->name + " on network " + r.network +
           (ip.empty() ? std::string() : " (" + ip + ")");
}

}  // namespace

std::vector<ngxconf::diagnostic> check_apps(const container& swag, const std::vector<container>& all,
                                            const std::vector<app_upstream>& apps) {
    std::vector<ngxconf::diagnostic> out;
    for (const auto& a : apps) {
        if (a.host.empty() || a.host.front() == '$') continue;  // a variable: not known here
        const std::string who = a.app + ": $upstream_app " + a.host;
        const auto r = resolve(a.host, swag, all);
        if (r.what == resolution::kind::container) {
            out.push_back(finding(severity::info, diag_code::docker_resolved, who + " " + resolved_text(r),
                                  {}, a.file, a.line));
            if (auto p = port_finding(a.app + ": $upstream_port", a.port, *r.target, a.file, a.line)) {
                out.push_back(std::move(*p));
            }
        } else if (r.what == resolution::kind::outside) {
            out.push_back(finding(severity::info, diag_code::docker_upstream_outside,
                                  who + " is outside Docker (no container answers to it)", {},
                                  a.file, a.line));
        } else {
            auto t = explain(r, a.host, swag, all);
            out.push_back(finding(severity::error, t.code, who + " " + t.why, t.fix, a.file, a.line));
        }
    }
    return out;
}

namespace {

bool is_authentik(const container& c) {
    return c.labels.count("io.goauthentik.outpost-uuid") != 0 ||
           image_is(c.image, "goauthentik/server") || image_is(c.image, "goauthentik/proxy");
}

// Authentik's containers that could answer auth requests, best first: running, on a network
// SWAG shares, the server (not its worker, which runs the same image) before outposts.
std::vector<const container*> candidates(const container& swag, const std::vector<container>& all) {
    std::vector<const container*> out;
    for (const auto& c : all) {
        if (is_authentik(c)) out.push_back(&c);
    }
    const auto rank = [&](const container* c) {
        const bool shared = resolve(c->name, swag, all).what == resolution::kind::container;
        const bool worker = lower(c->name).find("worker") != std::string::npos;
        return (c->running ? 8 : 0) + (shared ? 4 : 0) + (worker ? 0 : 2) +
               (image_is(c->image, "goauthentik/server") ? 1 : 0);
    };
    std::stable_sort(out.begin(), out.end(),
                     [&](const container* a, const container* b) { return rank(a) > rank(b); });
    return out;
}

std::string candidate_text(const container& c, const container& swag, const std::vector<container>& all) {
    const std::string kind = c.labels.count("io.goauthentik.outpost-uuid") ? "outpost"
                             : image_is(c.image, "goauthentik/proxy")      ? "proxy outpost"
                                                                           : "server";
    const bool shared = resolve(c.name, swag, all).what == resolution::kind::container;
    return c.name + " (" + kind + ", " + (c.running ? "running" : c.state) + ", " +
           (shared ? "on a network SWAG shares" : "not on SWAG's networks") + ")";
}

ngxconf::diagnostic auth_unresolved(const auth_upstream& u, const resolution& r, const container& swag,
                                    const std::vector<container>& all) {
    const auto t = explain(r, u.host, swag, all);
    std::string message = u.provider + ": " + u.variable + " " + u.host + " " + t.why;
    std::string fix;
    if (u.provider == "authentik") {
        const auto found = candidates(swag, all);
        std::vector<std::string> listed;
        for (const auto* c : found) listed.push_back(candidate_text(*c, swag, all));
        message += listed.empty() ? "; no Authentik container found" : "; candidates: " + joined(listed);
        if (!found.empty()) {
            const auto& best = *found.front();
            const bool shared = resolve(best.name, swag, all).what == resolution::kind::container;
            fix = (best.running ? "" : "docker start " + best.name + ", then ") +
                  (shared ? "" : "docker network connect " + first_swag_network(swag) + " " + best.name + ", then ") +
                  "ngxauth switch-upstream " + best.name;
        } else {
            fix = t.fix + ", or ngxauth switch-upstream HOST";
        }
    } else {
        fix = t.fix + ", or change `set " + u.variable + "` in " + u.file.filename().string();
    }
    return finding(u.in_use ? severity::error : severity::warning, diag_code::docker_auth_unresolved,
                   std::move(message), std::move(fix), u.file, u.line);
}

// docker.untrusted_proxy when SWAG's address on the network shared with `target` is outside the
// trusted proxy ranges `target` runs with (trusted_proxy_key, else Authentik's defaults).
std::optional<ngxconf::diagnostic> trust_finding(const auth_upstream& u, const resolution& r,
                                                 const container& swag) {
    const auto swag_ip = address_on(swag, r.network);
    if (swag_ip.empty()) return std::nullopt;
    std::vector<std::string> ranges;
    const auto env = r.target->env.find(trusted_proxy_key);
    const bool set = env != r.target->env.end();
    if (set) {
        std::string_view rest = env->second;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            const auto item = rest.substr(0, comma);
            if (item.find_first_not_of(" \t") != std::string_view::npos) ranges.emplace_back(item);
            rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        }
    } else {
        ranges = default_trusted_proxies();
    }
    for (const auto& range : ranges) {
        if (in_cidr(swag_ip, range)) return std::nullopt;
    }
    std::string subnet = swag_ip;
    for (const auto& a : swag.networks) {
        if (a.network == r.network && a.ipv4 == swag_ip && a.ipv4_prefix > 0) {
            unsigned char b[4];
            if (::inet_pton(AF_INET, swag_ip.c_str(), b) == 1) {
                const auto bits = static_cast<unsigned>(a.ipv4_prefix);
                for (unsigned i = 0; i < 4; ++i) {
                    const unsigned keep = bits >= 8 * (i + 1) ? 8 : (bits > 8 * i ? bits - 8 * i : 0);
                    b[i] = static_cast<unsigned char>(b[i] & (0xFFu << (8 - keep)));
                }
                char text[INET_ADDRSTRLEN];
                ::inet_ntop(AF_INET, b, text, sizeof text);
                subnet = std::string(text) + "/" + std::to_string(a.ipv4_prefix);
            }
        }
    }
    return finding(severity::error, diag_code::docker_untrusted_proxy,
                   u.provider + ": SWAG's address " + swag_ip + " on network " + r.network +
                       " is outside the trusted proxy ranges of " + r.target->name + " (" +
                       (set ? std::string(trusted_proxy_key) + "=" + env->second
                            : "Authentik's defaults") +
                       "); Authentik then ignores SWAG's X-Forwarded-* headers and logins break",
                   "add " + subnet + " to " + trusted_proxy_key + " on " + r.target->name +
                       " and recreate the container",
                   u.file, u.line);
}

}  // namespace

std::vector<ngxconf::diagnostic> check_auth(const container& swag, const std::vector<container>& all,
                                            const std::vector<auth_upstream>& auth) {
    std::vector<ngxconf::diagnostic> out;
    for (const auto& u : auth) {
        if (u.host.empty() || u.host.front() == '$') continue;
        const std::string who = u.provider + ": " + u.variable + " " + u.host;
        const auto r = resolve(u.host, swag, all);
        if (r.what == resolution::kind::container) {
            out.push_back(finding(severity::info, diag_code::docker_resolved, who + " " + resolved_text(r),
                                  {}, u.file, u.line));
            const auto port = u.port ? std::to_string(*u.port) : std::string();
            if (auto p = port_finding(who, port, *r.target, u.file, u.line)) out.push_back(std::move(*p));
            if (u.provider == "authentik") {
                if (auto t = trust_finding(u, r, swag)) out.push_back(std::move(*t));
            }
        } else if (r.what == resolution::kind::outside) {
            out.push_back(finding(severity::info, diag_code::docker_upstream_outside,
                                  who + " is outside Docker (no container answers to it)", {}, u.file,
                                  u.line));
        } else {
            out.push_back(auth_unresolved(u, r, swag, all));
        }
    }
    return out;
}

}  // namespace ngxauth::docker
