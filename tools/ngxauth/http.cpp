// libcurl behind ngxauth::http (http.hpp). Without libcurl (the static build), every request
// fails with an explanation instead.
#include "http.hpp"

#include <stdexcept>

#ifdef NGXAUTH_HAVE_CURL
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <string_view>
#endif

namespace ngxauth::http {

#ifdef NGXAUTH_HAVE_CURL
namespace {

struct easy_deleter {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct slist_deleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
    return s;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    return std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

struct sink {
    response* out;
    std::size_t max_body;
};

// One header line at a time; a new status line (an interim 1xx) resets what came before.
std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* s = static_cast<sink*>(user);
    const std::string_view line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
        s->out->status_line = std::string(trim(line));
        s->out->location.clear();
    } else if (starts_with_nocase(line, "location:")) {
        s->out->location = std::string(trim(line.substr(9)));
    }
    return size * n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* s = static_cast<sink*>(user);
    const std::size_t room = s->max_body - std::min(s->max_body, s->out->body.size());
    s->out->body.append(data, std::min(room, size * n));
    return size * n;
}

failure_kind kind_of(CURLcode rc) {
    switch (rc) {
        case CURLE_OPERATION_TIMEDOUT: return failure_kind::timeout;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ISSUER_ERROR: return failure_kind::tls;
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY: return failure_kind::connect;
        default: return failure_kind::other;
    }
}

// "HOST:PORT" -> "::HOST:PORT": every host and port of the URL goes there.
std::string connect_to_entry(const std::string& host_port) { return "::" + host_port; }

}  // namespace

bool available() noexcept { return true; }

response perform(const request& req) {
    global_init();
    std::unique_ptr<CURL, easy_deleter> curl(curl_easy_init());
    if (!curl) throw std::runtime_error("libcurl could not start a request");
    CURL* c = curl.get();
    response out;
    sink s{&out, req.max_body};
    char error_text[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout_seconds * 1000));
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &s);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    if (req.insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (req.ca_file) curl_easy_setopt(c, CURLOPT_CAINFO, req.ca_file->c_str());
    std::unique_ptr<curl_slist, slist_deleter> connect_list;
    if (req.connect_to) {
        const auto entry = connect_to_entry(*req.connect_to);
        connect_list.reset(curl_slist_append(nullptr, entry.c_str()));
        curl_easy_setopt(c, CURLOPT_CONNECT_TO, connect_list.get());
    }
    if (req.unix_socket) curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, req.unix_socket->c_str());
    std::unique_ptr<curl_slist, slist_deleter> header_list;
    for (const auto& h : req.headers) {
        auto* grown = curl_slist_append(header_list.get(), h.c_str());
        if (grown == nullptr) throw std::runtime_error("out of memory for request headers");
        (void)header_list.release();
        header_list.reset(grown);
    }
    if (header_list) curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
    if (!req.body.empty()) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    }
    if (req.method != "GET" && req.method != "POST") {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }

    const CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    out.status = status;
    out.answered = status != 0;
    if (rc != CURLE_OK) {
        out.error = error_text[0] != '\0' ? std::string(error_text) : curl_easy_strerror(rc);
        out.failure = kind_of(rc);
        // A response cut off mid-body still has its status; a missing one is no answer.
        if (!out.answered) out.status_line.clear();
    }
    return out;
}

#else

bool available() noexcept { return false; }

response perform(const request&) {
    response out;
    out.error = "this ngxauth was built without libcurl";
    return out;
}

#endif

}  // namespace ngxauth::http
