// ngxconf-gen: writes a deterministic, realistic nginx configuration (see gen_config.hpp).
//
//   ngxconf-gen [--size BYTES|Nk|NM] [--seed N] [--crlf] [-o FILE]
//
// Built twice: as part of ngxconf-bench (the generator only) and, with NGXCONF_GEN_MAIN, as
// the ngxconf-gen tool that bench/compare uses.
#include "gen_config.hpp"

#include <fmt/format.h>

#include <array>
#include <string_view>
#include <vector>

namespace ngxconf::bench {
namespace {

// splitmix64: tiny, fast and the same everywhere (std distributions are not portable).
class rng {
public:
    explicit rng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform enough in [0, n) for n far below 2^64.
    unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }
    bool percent(unsigned p) { return below(100) < p; }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& a) {
        return a[below(static_cast<unsigned>(N))];
    }

private:
    std::uint64_t s_;
};

constexpr std::array<std::string_view, 24> app_names = {
    "radarr",   "sonarr",       "lidarr",    "prowlarr",  "jellyfin",    "nextcloud",
    "gitea",    "grafana",      "homeassistant", "vaultwarden", "portainer", "kasm",
    "openvscode-server", "syncthing", "paperless", "immich", "bookstack", "freshrss",
    "heimdall", "photoprism",   "uptime-kuma", "wikijs",  "code-server", "transmission"};

constexpr std::array<std::string_view, 8> teams = {"media", "platform", "data",  "web",
                                                   "infra", "security", "build", "home"};

constexpr std::array<std::string_view, 6> eol_comments = {
    "# keep in sync with the docker-compose file", "# see ticket OPS-1234",
    "# TODO: tighten this", "# was 60s before the 2023 migration", "# do not change; app expects it",
    "# streaming"};

class generator {
public:
    explicit generator(const gen_options& o) : o_(o), r_(o.seed) {}

    std::string run() {
        s_.reserve(static_cast<std::size_t>(o_.target_bytes + (64u << 10)));
        preamble();
        while (s_.size() < o_.target_bytes) unit();
        if (o_.crlf) return to_crlf(s_);
        return std::move(s_);
    }

private:
    // --- output helpers -------------------------------------------------------------------
    void put(std::string_view ind, std::string_view text) {
        s_ += ind;
        s_ += text;
        s_ += '\n';
    }
    template <class... A>
    void putf(std::string_view ind, fmt::format_string<A...> f, A&&... a) {
        s_ += ind;
        fmt::format_to(std::back_inserter(s_), f, std::forward<A>(a)...);
        s_ += '\n';
    }
    void blank() { s_ += '\n'; }
    // A line that is a directive, maybe with an end-of-line comment.
    void dir(std::string_view ind, std::string_view text, unsigned eol_pct = 6) {
        s_ += ind;
        s_ += text;
        if (r_.percent(eol_pct)) {
            s_ += r_.percent(50) ? " " : "  ";
            s_ += r_.pick(eol_comments);
        } else if (r_.percent(2)) {
            s_ += "   ";  // trailing blanks, as hand-edited files have
        }
        s_ += '\n';
    }

    static std::string to_crlf(const std::string& in) {
        std::string out;
        out.reserve(in.size() + in.size() / 16);
        for (char c : in) {
            if (c == '\n') out += '\r';
            out += c;
        }
        return out;
    }

    std::string indent_unit() {
        const auto k = r_.below(100);
        if (k < 70) return "    ";
        if (k < 85) return "  ";
        return "\t";
    }

    // --- units ----------------------------------------------------------------------------
    void preamble() {
        put("", "## Version 2025/07/18");
        putf("", "# ngxconf-gen: synthetic configuration for the http {{}} context (seed {}).",
             o_.seed);
        put("", "# Shapes follow SWAG's proxy-confs: auth lines ship commented out, ready to enable.");
        blank();
    }

    void unit() {
        ++n_;
        const auto k = r_.below(100);
        if (k < 55) {
            proxy_server();
        } else if (k < 65) {
            site_server();
        } else if (k < 72) {
            redirect_server();
        } else if (k < 81) {
            map_block();
        } else if (k < 89) {
            upstream_block();
        } else if (k < 93) {
            log_format();
        } else if (k < 96) {
            commented_server();
        } else {
            prose();
        }
    }

    void auth_server_lines(std::string_view I) {
        put(I, "# enable for ldap auth (requires ldap-location.conf in the location block)");
        put(I, "#include /config/nginx/ldap-server.conf;");
        blank();
        put(I, "# enable for Authelia (requires authelia-location.conf in the location block)");
        put(I, "#include /config/nginx/authelia-server.conf;");
        blank();
        put(I, "# enable for Authentik (requires authentik-location.conf in the location block)");
        put(I, "#include /config/nginx/authentik-server.conf;");
        blank();
        put(I, "# enable for Tinyauth (requires tinyauth-location.conf in the location block)");
        put(I, "#include /config/nginx/tinyauth-server.conf;");
        blank();
    }

    void auth_location_lines(std::string_view I) {
        put(I, "# enable the next two lines for http auth");
        put(I, "#auth_basic \"Restricted\";");
        put(I, "#auth_basic_user_file /config/nginx/.htpasswd;");
        blank();
        put(I, "# enable for ldap auth (requires ldap-server.conf in the server block)");
        put(I, "#include /config/nginx/ldap-location.conf;");
        blank();
        put(I, "# enable for Authelia (requires authelia-server.conf in the server block)");
        put(I, "#include /config/nginx/authelia-location.conf;");
        blank();
        put(I, "# enable for Authentik (requires authentik-server.conf in the server block)");
        put(I, "#include /config/nginx/authentik-location.conf;");
        blank();
        put(I, "# enable for Tinyauth (requires tinyauth-server.conf in the server block)");
        put(I, "#include /config/nginx/tinyauth-location.conf;");
        blank();
    }

    void upstream_vars(std::string_view I, std::string_view app, unsigned port) {
        dir(I, "include snippets/proxy.conf;");
        dir(I, "include snippets/resolver.conf;");
        putf(I, "set $upstream_app {};", app);
        putf(I, "set $upstream_port {};", port);
        putf(I, "set $upstream_proto {};", r_.percent(85) ? "http" : "https");
        put(I, "proxy_pass $upstream_proto://$upstream_app:$upstream_port;");
    }

    // Optional extras of a server block; each kind at most once, so locations stay unique.
    void extras(std::string_view I, std::string_view app, unsigned count) {
        const std::string II = std::string(I) + std::string(I);
        std::uint32_t used = 0;
        for (unsigned i = 0; i < count; ++i) {
            const unsigned kind = r_.below(12);
            if (used & (1u << kind)) continue;
            used |= 1u << kind;
            switch (kind) {
                case 0:
                    put(I, "location = /robots.txt { return 200 \"User-agent: *\\nDisallow: /\\n\"; }");
                    break;
                case 1:
                    put(I, "location ^~ /static/ {");
                    putf(II, "alias /srv/{}/static/;", app);
                    dir(II, "expires 30d;");
                    dir(II, "access_log off;");
                    put(I, "}");
                    break;
                case 2:
                    put(I, "location ~* \\.(?:css|js|png|jpe?g|gif|ico|svg|woff2?)$ {");
                    dir(II, "expires 7d;");
                    put(II, "add_header Cache-Control \"public, max-age=604800\" always;");
                    put(I, "}");
                    break;
                case 3:
                    put(I, "location ~ ^/api/v(?<ver>[0-9]+)/(users|groups)/(\\d+)$ {");
                    put(II, "default_type application/json;");
                    putf(II, "return 200 '{{\"app\":\"{}\",\"version\":\"$ver\",\"id\":\"$3\"}}';", app);
                    put(I, "}");
                    break;
                case 4: {
                    putf(I, "location /files/ {{ try_files $uri $uri/ @fallback_{}; }}", n_);
                    putf(I, "location @fallback_{} {{", n_);
                    if (!upstreams_.empty()) {
                        putf(II, "proxy_pass http://backend_{};",
                             upstreams_[r_.below(static_cast<unsigned>(upstreams_.size()))]);
                    } else {
                        putf(II, "proxy_pass http://127.0.0.1:{};", 8000 + n_ % 1000);
                    }
                    put(I, "}");
                    break;
                }
                case 5:
                    put(I, "if ($http_user_agent ~* \"(curl|wget|python-requests)/[0-9.]{1,10}\") {");
                    put(II, "return 403 \"no bots, please\\n\";");
                    put(I, "}");
                    break;
                case 6:
                    put(I, "if ($request_method !~ ^(GET|HEAD|POST|PUT|DELETE|OPTIONS)$ ) {");
                    put(II, "return 405;");
                    put(I, "}");
                    break;
                case 7:
                    putf(I, "location /admin-{}/ {{", n_);
                    dir(II, "allow 10.0.0.0/8;");
                    dir(II, "allow 192.168.0.0/16;");
                    put(II, "deny all;");
                    putf(II, "location /admin-{}/api/ {{", n_);
                    putf(II + std::string(I), "proxy_pass http://127.0.0.1:{};", 9000 + n_ % 500);
                    put(II, "}");
                    put(I, "}");
                    break;
                case 8:
                    put(I,
                        "add_header Content-Security-Policy \"default-src 'self'; img-src 'self' "
                        "data:; script-src 'self' 'unsafe-inline'\" always;");
                    putf(I, "add_header X-Quote \"say \\\"hi\\\" to {}\";", app);
                    putf(I, "add_header X-Single 'it\\'s {}';", app);
                    break;
                case 9:
                    put(I, "location /outpost.goauthentik.io {");
                    put(II, "proxy_pass http://10.0.0.5:9000/outpost.goauthentik.io;");
                    put(II, "proxy_set_header Host $host;");
                    put(II, "proxy_set_header X-Original-URL $scheme://$http_host$request_uri;");
                    put(II, "add_header Set-Cookie $auth_cookie;");
                    put(II, "auth_request_set $auth_cookie $upstream_http_set_cookie;");
                    put(II, "proxy_pass_request_body off;");
                    put(II, "proxy_set_header Content-Length \"\";");
                    put(I, "}");
                    break;
                case 10:
                    putf(I, "rewrite ^/old-{}/(.*)$ /new/$1 permanent;", n_);
                    break;
                case 11:
                    put(I, "error_page 502 503 504 /50x.html;");
                    put(I, "location = /50x.html {");
                    put(II, "root /usr/share/nginx/html;");
                    put(II, "internal;");
                    put(I, "}");
                    break;
            }
            blank();
        }
    }

    // A SWAG subdomain proxy-conf.
    void proxy_server() {
        const std::string app = fmt::format("{}-{}", r_.pick(app_names), n_);
        const std::string I = indent_unit();
        const std::string II = I + I;
        const unsigned port = 10000 + n_ % 40000;
        const unsigned app_port = 1000 + r_.below(9000);

        put("", "## Version 2024/07/16");
        putf("", "# make sure that your {} container is named {}", app, app);
        putf("", "# make sure that your dns has a cname set for {}", app);
        if (r_.percent(30)) putf("", "# {} listens on port {} inside its container", app, app_port);
        blank();
        s_ += r_.percent(15) ? "server { # " + app + "\n" : "server {\n";
        dir(I, fmt::format("listen {};", port), 10);
        put("#" + I, "listen 443 quic;");
        putf(I, "listen [::]:{};", port);
        put("#" + I, "listen [::]:443 quic;");
        blank();
        putf(I, "server_name {}.* {}.example.org;", app, app);
        blank();
        put(I, "#include /config/nginx/ssl.conf;");
        blank();
        dir(I, fmt::format("client_max_body_size {};", r_.percent(60) ? "0" : "512m"));
        blank();
        auth_server_lines(I);
        put(I, "location / {");
        auth_location_lines(II);
        upstream_vars(II, app, app_port);
        if (r_.percent(30)) {
            putf(II, "proxy_set_header  # keep the original host for {}", app);
            putf(II + I, "Host $host;");
        }
        if (r_.percent(20)) dir(II, "proxy_buffering off;", 50);
        if (r_.percent(15)) {
            put(II, "proxy_read_timeout");
            put(II + I, "# long polls from the mobile app");
            put(II + I, "3600s;");
        }
        blank();
        put(I, "}");
        blank();
        if (r_.percent(60)) {
            putf(I, "location ~ ({})?/api {{", "/" + app);
            upstream_vars(II, app, app_port);
            put(I, "}");
            blank();
        }
        extras(I, app, r_.below(5));
        s_ += r_.percent(10) ? "} # " + app + "\n" : "}\n";
        blank();
    }

    // A static / PHP site with the usual hardening locations.
    void site_server() {
        const std::string I = indent_unit();
        const std::string II = I + I;
        putf("", "# site {} ({} team)", n_, r_.pick(teams));
        put("", "server {");
        dir(I, "listen 80;");
        put(I, "listen [::]:80;");
        putf(I, "server_name www.site-{}.example.com site-{}.example.com;", n_, n_);
        putf(I, "root /var/www/site-{}/public;", n_);
        dir(I, "index index.html index.htm index.php;");
        put(I, "charset utf-8;");
        blank();
        put(I, "# compress text assets");
        put(I, "gzip on;");
        put(I, "gzip_types text/plain text/css application/json application/javascript \"image/svg+xml\";");
        blank();
        put(I, "location / {");
        put(II, "try_files $uri $uri/ /index.php?$query_string;");
        put(I, "}");
        blank();
        put(I, "location ~ \\.php$ {");
        put(II, "fastcgi_split_path_info ^(.+\\.php)(/.+)$;");
        putf(II, "fastcgi_pass 127.0.0.1:{};", 9000 + n_ % 100);
        put(II, "fastcgi_index index.php;");
        put(II, "fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;");
        put(II, "fastcgi_param PATH_INFO $fastcgi_path_info;");
        put(I, "}");
        blank();
        put(I, "location ~ /\\.(?!well-known).* { deny all; }  # no dotfiles");
        put(I, "location = /favicon.ico { log_not_found off; access_log off; }");
        put(I, "location ^~ /.well-known/acme-challenge/ {");
        put(II, "default_type \"text/plain\";");
        put(II, "allow all;");
        put(I, "}");
        blank();
        extras(I, fmt::format("site-{}", n_), 2 + r_.below(4));
        put("", "}");
        blank();
    }

    void redirect_server() {
        const std::string I = indent_unit();
        put("", "# redirect plain http to https");
        put("", "server {");
        dir(I, "listen 80;");
        putf(I, "server_name red-{}.example.org;", n_);
        put(I, r_.percent(50) ? "return 301 https://${host}$request_uri;"
                              : "return 301 https://$host$request_uri;");
        put("", "}");
        blank();
    }

    void map_block() {
        const std::string I = indent_unit();
        switch (r_.below(3)) {
            case 0:
                putf("", "map $http_upgrade $connection_upgrade_{} {{", n_);
                put(I, "default upgrade;");
                put(I, "''      close;");
                put("", "}");
                break;
            case 1: {
                putf("", "map $request_uri $route_{} {{", n_);
                put(I, "default                            \"\";");
                put(I, "~^/api/v(?<apiver>[0-9]+)/          \"api_v$apiver\";");
                put(I, "~*\\.(?:jpe?g|png|webp)$             static;   # images");
                putf(I, "/exact/path-{}                     exact;", n_);
                put(I, "\"~^/quoted/(?<rest>.*)$\"            \"quoted \\\"$rest\\\"\";");
                putf(I, "'#not-a-comment-{}'                hash;", n_);
                const unsigned extra = 3 + r_.below(18);
                for (unsigned j = 0; j < extra; ++j) {
                    putf(I, "/{}/{}-{}/                     value_{};", r_.pick(teams), n_, j, j);
                }
                put("", "}");
                break;
            }
            default:
                putf("", "map $host $tenant_{} {{", n_);
                put(I, "hostnames;");
                put(I, "default            none;");
                putf(I, ".example-{}.org   tenant{};", n_, n_);
                putf(I, "*.app-{}.net      app;  # wildcard", n_);
                put("", "}");
                break;
        }
        blank();
    }

    void upstream_block() {
        const std::string I = indent_unit();
        const unsigned a = r_.below(256);
        const unsigned method = r_.below(4);
        const unsigned port = 3000 + r_.below(6000);
        putf("", "upstream backend_{} {{", n_);
        if (method == 1) dir(I, "least_conn;");
        if (method == 2) dir(I, "ip_hash;");
        if (method == 3) dir(I, "hash $request_uri consistent;");
        const unsigned servers = 2 + r_.below(4);
        for (unsigned j = 0; j < servers; ++j) {
            if (j == 0) {
                putf(I, "server 10.{}.{}.{}:{} weight=3 max_fails=3 fail_timeout=30s;", a, n_ % 256,
                     j + 1, port);
            } else {
                dir(I, fmt::format("server 10.{}.{}.{}:{};", a, n_ % 256, j + 1, port));
            }
        }
        if (method < 2) putf(I, "server 10.{}.{}.250:{} backup;  # warm standby", a, n_ % 256, port);
        put(I, "keepalive 32;");
        put("", "}");
        blank();
        upstreams_.push_back(n_);
    }

    void log_format() {
        if (r_.percent(50)) {
            putf("", "log_format main_{} '$remote_addr - $remote_user [$time_local] \"$request\" '", n_);
            put("                    ", "'$status $body_bytes_sent \"$http_referer\" '");
            put("                    ", "'\"$http_user_agent\" \"$http_x_forwarded_for\" rt=$request_time';");
        } else {
            putf("", "log_format json_{} escape=json", n_);
            put("    ", "'{\"time\":\"$time_iso8601\",\"status\":$status,'  # one JSON object per line");
            put("    ", "'\"uri\":\"$request_uri\",\"ua\":\"$http_user_agent\"}';");
        }
        blank();
    }

    void commented_server() {
        putf("", "# old TLS endpoint of site {}, kept for reference", n_);
        put("", "#server {");
        put("", "#    listen 443 ssl;");
        putf("", "#    server_name old-{}.example.org;", n_);
        putf("", "#    ssl_certificate /etc/ssl/old-{}.crt;", n_);
        put("", "#");
        put("", "#    location / {");
        put("", "#        proxy_pass http://10.9.8.7:8080;");
        put("", "#    }");
        put("", "#}");
        blank();
    }

    void prose() {
        put("", "##");
        putf("", "# Section {}: services of the {} team, reachable over the VPN only.", n_,
             r_.pick(teams));
        putf("", "# Contact: ops-{}@example.org; rotate keys every 90 days.", n_);
        put("", "##");
        blank();
        if (r_.percent(50)) blank();
    }

    const gen_options& o_;
    rng r_;
    std::string s_;
    unsigned n_ = 0;
    std::vector<unsigned> upstreams_;
};

}  // namespace

std::string generate_config(const gen_options& options) { return generator(options).run(); }

}  // namespace ngxconf::bench

#ifdef NGXCONF_GEN_MAIN
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {
std::uint64_t parse_size(const char* s) {
    char* end = nullptr;
    const double v = std::strtod(s, &end);
    double mult = 1;
    if (end && (*end == 'k' || *end == 'K')) mult = 1024;
    if (end && (*end == 'm' || *end == 'M')) mult = 1024.0 * 1024;
    if (end && (*end == 'g' || *end == 'G')) mult = 1024.0 * 1024 * 1024;
    return static_cast<std::uint64_t>(v * mult);
}
}  // namespace

int main(int argc, char** argv) {
    ngxconf::bench::gen_options o;
    const char* out = nullptr;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--size" && i + 1 < argc) {
            o.target_bytes = parse_size(argv[++i]);
        } else if (a == "--seed" && i + 1 < argc) {
            o.seed = std::strtoull(argv[++i], nullptr, 10);
        } else if (a == "--crlf") {
            o.crlf = true;
        } else if (a == "-o" && i + 1 < argc) {
            out = argv[++i];
        } else {
            std::fprintf(stderr,
                         "usage: ngxconf-gen [--size BYTES|Nk|NM] [--seed N] [--crlf] [-o FILE]\n");
            return 2;
        }
    }
    const std::string text = ngxconf::bench::generate_config(o);
    FILE* f = out ? std::fopen(out, "wb") : stdout;
    if (!f) {
        std::perror(out);
        return 1;
    }
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (out) std::fclose(f);
    return ok ? 0 : 1;
}
#endif
