// Labels -> a validated desired conf: every value is checked against a narrow grammar before
// it may reach a conf (swag-auto-proxy pasted them in with sed, unescaped).
#include "labels.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "ngxconf/document.hpp"
#include "ngxconf/query.hpp"

namespace ngxauth::docker {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// One RFC 1123 label (with '_', as Docker's names and aliases have): 1-63 characters of
// letters, digits, '-', '_', not starting or ending with '-'.
bool valid_label(std::string_view l) {
    if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
    return std::all_of(l.begin(), l.end(), [](char c) { return is_alnum(c) || c == '-' || c == '_'; });
}

bool valid_host_name(std::string_view s) {
    if (s.empty() || s.size() > 253) return false;
    if (s.back() == '.') s.remove_suffix(1);  // the root's dot
    std::size_t start = 0;
    while (true) {
        const auto dot = s.find('.', start);
        if (!valid_label(s.substr(start, dot == std::string_view::npos ? dot : dot - start))) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

bool is_ip(int family, std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    const std::string text(s);
    unsigned char buf[16];
    return inet_pton(family, text.c_str(), buf) == 1;
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto at = s.find(sep, start);
        out.emplace_back(s.substr(start, at == std::string_view::npos ? at : at - start));
        if (at == std::string_view::npos) return out;
        start = at + 1;
    }
}

// The value shown in messages: control characters (a newline in a label) as \xNN, so the
// message stays one line and shows what was there.
std::string shown(std::string_view v) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (const char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

refusal refuse(ngxconf::diag_code code, const container& c, std::string_view label,
               std::string_view value, std::string_view why) {
    refusal r;
    r.code = code;
    r.container = c.name;
    r.label = std::string(label);
    r.value = std::string(value);
    r.message = "container " + c.name + ": label " + std::string(label) + "=\"" + shown(value) +
                "\" refused: " + std::string(why);
    return r;
}

const std::string* label_of(const container& c, std::string_view name) {
    const auto it = c.labels.find(std::string(name));
    return it == c.labels.end() ? nullptr : &it->second;
}

std::optional<ngxconf::swag::provider> provider_label(std::string_view v) {
    using ngxconf::swag::provider;
    if (v == "http" || v == "basic") return provider::basic;  // swag-auto-proxy's name
    if (v == "authentik") return provider::authentik;
    if (v == "authelia") return provider::authelia;
    if (v == "tinyauth") return provider::tinyauth;
    if (v == "ldap") return provider::ldap;
    return std::nullopt;
}

// The plain labels (everything but the custom directives); nullopt when all are valid.
std::optional<refusal> read_plain(const container& c, desired_conf& d) {
    using ngxconf::diag_code;
    if (const auto* v = label_of(c, label_url)) {
        d.server_names = split(*v, ',');
        for (const auto& n : d.server_names) {
            if (!valid_server_name(n)) {
                return refuse(diag_code::sync_label_invalid, c, label_url, *v,
                              "each name (comma-separated) must be a host name, *.NAME or NAME.*");
            }
        }
    }
    if (const auto* v = label_of(c, label_address)) {
        if (!valid_host(*v)) {
            return refuse(diag_code::sync_label_invalid, c, label_address, *v,
                          "not a host name (RFC 1123) or an IP address");
        }
        d.address = (v->find(':') != std::string::npos && v->front() != '[') ? "[" + *v + "]" : *v;
    }
    if (const auto* v = label_of(c, label_port)) {
        d.port = parse_port(*v);
        if (!d.port) return refuse(diag_code::sync_label_invalid, c, label_port, *v, "not a port (1-65535)");
    }
    if (const auto* v = label_of(c, label_proto)) {
        if (*v != "http" && *v != "https") {
            return refuse(diag_code::sync_label_invalid, c, label_proto, *v, "must be http or https");
        }
        d.proto = *v;
    }
    if (const auto* v = label_of(c, label_auth)) {
        d.auth = provider_label(*v);
        if (!d.auth) {
            return refuse(diag_code::sync_label_invalid, c, label_auth, *v,
                          "must be authentik, authelia, tinyauth, ldap or http");
        }
    }
    if (const auto* v = label_of(c, label_bypass)) {
        d.bypass = split(*v, ',');
        for (const auto& p : d.bypass) {
            if (!valid_bypass_path(p)) {
                return refuse(diag_code::sync_label_invalid, c, label_bypass, *v,
                              "each path (comma-separated) must be a plain path such as /api");
            }
        }
    }
    if (const auto* v = label_of(c, label_preset)) {
        if (!valid_conf_name(*v)) {
            return refuse(diag_code::sync_label_invalid, c, label_preset, *v,
                          "must be the name of a sample conf (letters, digits, '_', '-')");
        }
        d.preset = *v;
    }
    return std::nullopt;
}

std::optional<refusal> read_directives(const container& c, const label_options& o, desired_conf& d) {
    using ngxconf::check_context;
    const std::pair<std::string_view, check_context> kinds[] = {
        {label_server_directive, check_context::http_server},
        {label_location_directive, check_context::http_location}};
    for (const auto& [label, context] : kinds) {
        const auto* v = label_of(c, label);
        if (!v) continue;
        if (!o.allow_directives) {
            return refuse(ngxconf::diag_code::sync_directives_refused, c, label, *v,
                          "custom directives need --allow-directives");
        }
        std::string why;
        auto parsed = parse_custom_directives(*v, context, o.nginx, why);
        if (!parsed) return refuse(ngxconf::diag_code::sync_directives_refused, c, label, *v, why);
        (context == check_context::http_server ? d.server_directives : d.location_directives) =
            std::move(*parsed);
    }
    return std::nullopt;
}

}  // namespace

bool valid_host(std::string_view s) {
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') return is_ip(AF_INET6, s.substr(1, s.size() - 2));
    return is_ip(AF_INET, s) || is_ip(AF_INET6, s) || valid_host_name(s);
}

std::optional<int> parse_port(std::string_view s) {
    if (s.empty() || s.size() > 5) return std::nullopt;
    int n = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    if (n < 1 || n > 65535) return std::nullopt;
    return n;
}

bool valid_server_name(std::string_view s) {
    if (s.size() > 2 && s.substr(0, 2) == "*.") s.remove_prefix(2);
    else if (s.size() > 2 && s.substr(s.size() - 2) == ".*") s.remove_suffix(2);
    else if (s.size() > 1 && s.front() == '.') s.remove_prefix(1);
    return !s.empty() && s.back() != '.' && valid_host_name(s);
}

bool valid_bypass_path(std::string_view s) {
    if (s.empty() || s.size() > 200 || s.front() != '/') return false;
    if (s.find("//") != std::string_view::npos || s.find("/../") != std::string_view::npos) return false;
    if (s.size() >= 3 && s.substr(s.size() - 3) == "/..") return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return is_alnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
    });
}

bool valid_conf_name(std::string_view s) {
    if (s.empty() || s.size() > 128 || !is_alnum(s.front())) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '-' || c == '_'; });
}

bool wants_sync(const container& c) {
    const auto* v = label_of(c, label_enable);
    return v != nullptr && *v == "enable";
}

namespace {

// Directives a label may not write even with --allow-directives: they read other files into
// the configuration or run code inside nginx (Lua, Perl, njs), so whoever can label a
// container would control far more than its own proxy-conf.
bool reaches_outside(std::string_view name) {
    if (name == "include" || name == "load_module" || name == "perl" ||
        name.starts_with("perl_") || name.starts_with("js_")) {
        return true;
    }
    return name.find("lua") != std::string_view::npos;
}

}  // namespace

std::optional<std::vector<custom_directive>> parse_custom_directives(
    std::string_view value, ngxconf::check_context context, ngxconf::nginx_version v,
    std::string& why) {
    auto parsed = ngxconf::try_parse(value);
    if (!parsed) {
        why = "does not parse as nginx directives";
        return std::nullopt;
    }
    const auto& doc = parsed.value();
    ngxconf::check_options co;
    co.version = v;
    co.context = context;
    if (const auto problems = ngxconf::check(doc, co); !problems.empty()) {
        why = problems.front().message;
        return std::nullopt;
    }
    std::vector<custom_directive> out;
    bool block = false;
    std::string outside;
    ngxconf::for_each_directive(doc.root(), [&](const ngxconf::const_directive& d) {
        if (d.has_block()) block = true;
        if (outside.empty() && reaches_outside(d.name())) outside = d.name();
        out.push_back({std::string(d.name()), d.args()});
    });
    if (block) {
        why = "blocks are not accepted, only simple directives";
        return std::nullopt;
    }
    if (!outside.empty()) {
        why = "\"" + outside + "\" reads other files or runs code: not accepted from a label";
        return std::nullopt;
    }
    if (out.empty()) {
        why = "holds no directive";
        return std::nullopt;
    }
    return out;
}

std::variant<desired_conf, refusal> desired_from_labels(const container& c, const label_options& o) {
    if (!valid_conf_name(c.name)) {
        return refuse(ngxconf::diag_code::sync_label_invalid, c, "name", c.name,
                      "the container's name must be letters, digits, '_' and '-' to name a conf");
    }
    desired_conf d;
    d.container = c.name;
    d.server_names = {c.name + ".*"};
    d.address = c.name;
    d.exposed_ports = c.exposed_tcp_ports;
    if (auto r = read_plain(c, d)) return *r;
    if (auto r = read_directives(c, o, d)) return *r;
    if (!d.port && c.exposed_tcp_ports.size() == 1) d.port = c.exposed_tcp_ports.front();
    return d;
}

std::variant<int, refusal> port_for(const desired_conf& d, std::optional<int> sample_port) {
    if (d.port) return *d.port;
    if (sample_port) return *sample_port;
    refusal r;
    r.code = ngxconf::diag_code::sync_port_ambiguous;
    r.container = d.container;
    r.label = std::string(label_port);
    std::string ports;
    for (const int p : d.exposed_ports) ports += (ports.empty() ? "" : ", ") + std::to_string(p);
    r.value = ports;
    r.message = "container " + d.container + ": no " + std::string(label_port) + " label and " +
                (ports.empty() ? std::string("no exposed TCP port")
                               : "several exposed TCP ports (" + ports + ")") +
                ": set " + std::string(label_port);
    return r;
}

ngxconf::diagnostic to_diagnostic(const refusal& r) {
    ngxconf::diagnostic d;
    d.level = ngxconf::severity::warning;
    d.code = r.code;
    d.message = r.message;
    return d;
}

}  // namespace ngxauth::docker
