// libcurl behind ngxauth::http (http.hpp). Without libcurl (the static build), every request
// fails with an explanation instead.
#include "http.hpp"

#include <stdexcept>

#ifdef NGXAUTH_HAVE_CURL
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>
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
    const request* req;
    response* out;
    std::exception_ptr thrown;  // from the caller's callbacks, rethrown after libcurl
};

// One header line at a time; a new status line (an interim 1xx) resets what came before.
std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* s = static_cast<sink*>(user);
    const std::string_view line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
        s->out->status_line = std::string(trim(line));
        s->out->location.clear();
        s->out->headers.clear();
        return size * n;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return size * n;
    auto value = std::string(trim(line.substr(colon + 1)));
    if (starts_with_nocase(line, "location:")) s->out->location = value;
    s->out->headers.emplace_back(std::string(trim(line.substr(0, colon))), std::move(value));
    return size * n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* s = static_cast<sink*>(user);
    if (s->req->on_body) {
        bool more = false;
        try {
            more = s->req->on_body(std::string_view(data, size * n));
        } catch (...) {
            s->thrown = std::current_exception();
        }
        if (more) return size * n;
        s->out->stopped = true;
        return 0;  // anything but size * n ends the transfer
    }
    const std::size_t room = s->req->max_body - std::min(s->req->max_body, s->out->body.size());
    s->out->body.append(data, std::min(room, size * n));
    return size * n;
}

struct multi_deleter {
    void operator()(CURLM* m) const noexcept { curl_multi_cleanup(m); }
};

// Whether the caller wants the transfer to go on (an exception it throws ends it too).
bool caller_keeps_going(sink& s) {
    try {
        if (s.req->keep_going()) return true;
    } catch (...) {
        s.thrown = std::current_exception();
    }
    s.out->stopped = true;
    return false;
}

// curl_easy_perform, asking request::keep_going every 100 ms: libcurl's own progress
// callback comes only about once a second while nothing arrives.
CURLcode perform_polling(CURL* c, sink& s) {
    std::unique_ptr<CURLM, multi_deleter> multi(curl_multi_init());
    if (!multi || curl_multi_add_handle(multi.get(), c) != CURLM_OK) return CURLE_OUT_OF_MEMORY;
    CURLcode rc = CURLE_OK;
    int running = 1;
    while (running != 0) {
        if (curl_multi_perform(multi.get(), &running) != CURLM_OK) {
            rc = CURLE_RECV_ERROR;
            break;
        }
        if (running == 0) break;
        if (!caller_keeps_going(s)) {
            rc = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        curl_multi_poll(multi.get(), nullptr, 0, 100, nullptr);
    }
    int left = 0;
    while (const CURLMsg* m = curl_multi_info_read(multi.get(), &left)) {
        if (m->msg == CURLMSG_DONE && m->easy_handle == c) rc = m->data.result;
    }
    curl_multi_remove_handle(multi.get(), c);
    return rc;
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

std::optional<std::string> response::header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
        if (n.size() == name.size() && starts_with_nocase(n, name)) return v;
    }
    return std::nullopt;
}

response perform(const request& req) {
    global_init();
    std::unique_ptr<CURL, easy_deleter> curl(curl_easy_init());
    if (!curl) throw std::runtime_error("libcurl could not start a request");
    CURL* c = curl.get();
    response out;
    sink s{&req, &out, nullptr};
    char error_text[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout_seconds * 1000));
    if (req.connect_timeout_seconds > 0) {
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(req.connect_timeout_seconds * 1000));
    }
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
    if (!req.body.empty() || req.method == "POST") {
        // POSTFIELDS also makes it a POST, with an empty body when there is none.
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    }
    if (req.method != "GET" && req.method != "POST") {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }

    const CURLcode rc = req.keep_going ? perform_polling(c, s) : curl_easy_perform(c);
    if (s.thrown) std::rethrow_exception(s.thrown);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    out.status = status;
    out.answered = status != 0;
    if (rc != CURLE_OK && !out.stopped) {
        out.error = error_text[0] != '\0' ? std::string(error_text) : curl_easy_strerror(rc);
        out.failure = kind_of(rc);
        // A response cut off mid-body still has its status; a missing one is no answer.
        if (!out.answered) out.status_line.clear();
    }
    return out;
}

#else

bool available() noexcept { return false; }

std::optional<std::string> response::header(std::string_view) const { return std::nullopt; }

response perform(const request&) {
    response out;
    out.error = "this ngxauth was built without libcurl";
    return out;
}

#endif

}  // namespace ngxauth::http
