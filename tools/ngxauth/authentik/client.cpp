// Authentik's API over ngxauth::http: requests, pagination, and the failures explained.
#include "client.hpp"

#include <fmt/core.h>

#include <charconv>

#include "../http.hpp"
#include "api_error.hpp"

namespace ngxauth::authentik {
namespace {

using ngxconf::diag_code;
constexpr std::string_view version_path = "/api/v3/admin/version/";

// "/api/v3/providers/proxy/12/" -> the permission Authentik checks for METHOD on it
// ("authentik_providers_proxy.add_proxyprovider"), so a 403 can name it.
std::string permission_for(std::string_view method, std::string_view path) {
    struct resource {
        std::string_view prefix, app, model;
    };
    static constexpr resource resources[] = {
        {"/api/v3/providers/proxy/", "authentik_providers_proxy", "proxyprovider"},
        {"/api/v3/core/applications/", "authentik_core", "application"},
        {"/api/v3/outposts/instances/", "authentik_outposts", "outpost"},
        {"/api/v3/flows/instances/", "authentik_flows", "flow"},
        {"/api/v3/core/tokens/", "authentik_core", "token"},
    };
    for (const auto& r : resources) {
        if (path.rfind(r.prefix, 0) != 0) continue;
        if (path.find("/view_key/") != std::string_view::npos) {
            return fmt::format("{}.view_token_key", r.app);
        }
        const std::string_view action = method == "GET"      ? "view"
                                        : method == "POST"   ? "add"
                                        : method == "DELETE" ? "delete"
                                                             : "change";
        return fmt::format("{}.{}_{}", r.app, action, r.model);
    }
    return "";
}

// Authentik's own words for a failure: {"detail": "..."}, field errors, or the raw text.
std::string api_text(const std::string& body) {
    const auto j = json::parse(body, nullptr, false);
    if (j.is_object() && j.contains("detail") && j["detail"].is_string()) return j["detail"];
    if (j.is_object() || j.is_array()) return j.dump();
    std::string s = body.substr(0, 300);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// scheme://host[:port] of a URL ("" when it has no path to drop).
std::string origin_of(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return "";
    const auto path = url.find('/', scheme_end + 3);
    return path == std::string::npos ? "" : url.substr(0, path);
}

[[noreturn]] void transport_failure(const http::response& r, const connection& c) {
    switch (r.failure) {
        case http::failure_kind::timeout:
            throw api_error(diag_code::authentik_timeout,
                            fmt::format("Authentik at {} did not answer within {} s", c.url, c.timeout),
                            {"raise --authentik-timeout, or check that Authentik is running"});
        case http::failure_kind::tls:
            throw api_error(diag_code::authentik_tls,
                            fmt::format("the TLS connection to {} failed: {}", c.url, r.error),
                            {"give the CA that signed Authentik's certificate with --ca-file FILE",
                             "or, knowing the risk, --insecure"});
        default:
            throw api_error(diag_code::authentik_unreachable,
                            fmt::format("cannot reach Authentik at {}: {}", c.url, r.error),
                            {"check --authentik-url and that Authentik is running"});
    }
}

// Authentik refuses a bad token with 403, not 401: its authentication classes name no
// WWW-Authenticate challenge, so Django REST framework answers 403 with these details.
bool token_refused(long status, const std::string& detail) {
    if (status == 401) return true;
    return status == 403 &&
           (detail == "Token invalid/expired" ||
            detail == "Authentication credentials were not provided." ||
            detail == "Unsupported authentication type" || detail.rfind("Malformed header", 0) == 0 ||
            detail.rfind("Invalid token", 0) == 0);
}

[[noreturn]] void status_failure(const http::response& r, const connection& c,
                                 std::string_view method, std::string_view path) {
    const auto text = api_text(r.body);
    if (token_refused(r.status, text)) {
        throw api_error(diag_code::authentik_unauthorized,
                        fmt::format("Authentik refused the API token ({}: {}): it is invalid or "
                                    "expired", r.status, text),
                        {"create a token in Authentik (Directory > Tokens and App passwords, "
                         "intent API) and give it with --authentik-token-file"});
    }
    if (r.status == 403) {
        const auto perm = permission_for(method, path);
        throw api_error(diag_code::authentik_forbidden,
                        fmt::format("the token's user may not {} {} (403: {})", method, path, text),
                        {perm.empty() ? std::string("give the token's user the needed permission")
                                      : fmt::format("give the token's user the permission {}", perm)});
    }
    if (r.status == 404 && path == version_path) {
        std::vector<std::string> hints{
            "give the URL you open Authentik's admin interface at, e.g. https://auth.example.com"};
        if (auto o = origin_of(c.url); !o.empty()) hints.insert(hints.begin(), "try --authentik-url " + o);
        throw api_error(diag_code::authentik_not_authentik,
                        fmt::format("{} is not Authentik: {}{} answered 404", c.url, c.url, version_path),
                        std::move(hints));
    }
    if (r.status == 400) {
        throw api_error(diag_code::authentik_request_refused,
                        fmt::format("Authentik refused {} {}: {}", method, path, text));
    }
    if (r.status >= 500) {
        throw api_error(diag_code::authentik_server_error,
                        fmt::format("Authentik failed on {} {} ({}): {}", method, path, r.status, text),
                        {"see Authentik's server log"});
    }
    throw api_error(diag_code::authentik_bad_response,
                    fmt::format("unexpected answer to {} {}: {} {}", method, path, r.status, text));
}

bool is_write(std::string_view method) { return method != "GET"; }

}  // namespace

client::client(connection c) : conn_(std::move(c)) {}

std::optional<json> client::call(std::string_view method, std::string_view path, const json* body,
                                 bool missing_ok) {
    http::request req;
    req.url = conn_.url + std::string(path);
    req.method = std::string(method);
    req.headers = {"Authorization: Bearer " + conn_.token, "Accept: application/json"};
    if (body != nullptr) {
        req.headers.emplace_back("Content-Type: application/json");
        req.body = body->dump();
    }
    if (!conn_.ca_file.empty()) req.ca_file = conn_.ca_file;
    req.insecure = conn_.insecure;
    req.timeout_seconds = conn_.timeout;
    req.max_body = 64 * 1024 * 1024;
    const auto r = http::perform(req);
    if (!r.answered) transport_failure(r, conn_);
    if (is_write(method)) ++writes_;
    if (r.status == 404 && (missing_ok || method == "DELETE")) return std::nullopt;
    if (r.status < 200 || r.status >= 300) status_failure(r, conn_, method, path);
    if (r.body.empty()) return json();
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_discarded()) {
        throw api_error(diag_code::authentik_bad_response,
                        fmt::format("{} {} answered {} with something that is not JSON", method,
                                    path, r.status));
    }
    return j;
}

const std::string& client::version() {
    if (!version_.empty()) return version_;
    const auto j = *call("GET", version_path, nullptr);
    if (!j.is_object() || !j.contains("version_current") || !j["version_current"].is_string()) {
        throw api_error(diag_code::authentik_not_authentik,
                        fmt::format("{}{} did not answer with Authentik's version", conn_.url, version_path));
    }
    version_ = j["version_current"].get<std::string>();
    return version_;
}

json client::get(std::string_view path) { return *call("GET", path, nullptr); }

std::optional<json> client::get_if(std::string_view path) { return call("GET", path, nullptr, true); }

std::vector<json> client::list(std::string_view path) {
    std::vector<json> all;
    const char sep = path.find('?') == std::string_view::npos ? '?' : '&';
    for (int page = 1; page < 10000; ++page) {
        const auto j = get(fmt::format("{}{}page={}", path, sep, page));
        if (!j.is_object() || !j.contains("results") || !j["results"].is_array()) {
            throw api_error(diag_code::authentik_bad_response,
                            fmt::format("GET {} did not answer with a list", path));
        }
        for (const auto& x : j["results"]) all.push_back(x);
        const auto& pg = j.value("pagination", json::object());
        const auto next = pg.value("next", 0);
        if (next == 0 || next <= page) break;
    }
    return all;
}

json client::send(std::string_view method, std::string_view path, const json& body) {
    return *call(method, path, &body);
}

void client::remove(std::string_view path) { (void)call("DELETE", path, nullptr); }

std::string query_value(std::string_view text) {
    std::string out;
    for (const unsigned char ch : text) {
        if (std::isalnum(ch) != 0 || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += static_cast<char>(ch);
        } else {
            out += fmt::format("%{:02X}", ch);
        }
    }
    return out;
}

bool version_at_least(std::string_view v, int year, int month) {
    int y = 0;
    int m = 0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), y);
    if (r.ec != std::errc() || r.ptr == v.data() + v.size() || *r.ptr != '.') return true;
    (void)std::from_chars(r.ptr + 1, v.data() + v.size(), m);
    return y > year || (y == year && m >= month);
}

}  // namespace ngxauth::authentik
