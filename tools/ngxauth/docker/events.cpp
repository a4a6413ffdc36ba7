// engine::events: GET /events (type container), one JSON object per line, until the caller
// says stop; a stream that ends otherwise means the daemon went away.
#include <fmt/core.h>

#include "api.hpp"
#include "engine.hpp"

namespace ngxauth::docker {
namespace {

using ngxconf::diag_code;
using json = nlohmann::json;

constexpr std::size_t kept_head = 4096;  // of the body, for the message of a refused request

std::string string_at(const json& o, const char* key) {
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// One line of the stream; nullopt for an event of another type.
std::optional<event> event_of(std::string_view line) {
    const auto j = json::parse(line, nullptr, false);
    if (!j.is_object()) {
        throw docker_error(diag_code::docker_bad_response, "the Engine's event stream holds a line that is not a JSON object");
    }
    if (string_at(j, "Type") != "container") return std::nullopt;
    event e;
    e.action = string_at(j, "Action");
    if (const auto actor = j.find("Actor"); actor != j.end() && actor->is_object()) {
        e.id = string_at(*actor, "ID");
        if (const auto attrs = actor->find("Attributes"); attrs != actor->end() && attrs->is_object()) {
            e.name = string_at(*attrs, "name");
        }
    }
    if (e.id.empty()) e.id = string_at(j, "id");
    return e;
}

}  // namespace

void engine::events(const std::function<bool(const event&)>& on_event,
                    const std::function<bool()>& keep_going) const {
    if (keep_going && !keep_going()) return;
    const auto& where = options_.where;
    const auto filters = json{{"type", {"container"}}}.dump();
    // No timeout on the stream itself (it is quiet until something happens); the connection
    // still has one.
    auto req = detail::request_to(where, "GET",
                                  fmt::format("/v{}/events?filters={}", version_, detail::url_encode(filters)), 0);
    req.connect_timeout_seconds = options_.timeout_seconds;
    std::string pending, head;
    req.on_body = [&](std::string_view bytes) {
        if (head.size() < kept_head) head.append(bytes.substr(0, kept_head - head.size()));
        pending.append(bytes);
        std::size_t start = 0;
        for (auto nl = pending.find('\n'); nl != std::string::npos; nl = pending.find('\n', start)) {
            const std::string_view line(pending.data() + start, nl - start);
            start = nl + 1;
            if (line.find_first_not_of(" \r\t") == std::string_view::npos) continue;
            if (const auto e = event_of(line); e && !on_event(*e)) return false;
        }
        pending.erase(0, start);
        return true;
    };
    if (keep_going) req.keep_going = keep_going;
    auto r = detail::send(where, req, "GET /events");
    if (r.stopped) return;
    if (r.status != 200) {
        r.body = head;
        detail::unexpected(r, "GET /events");
    }
    throw docker_error(diag_code::docker_unreachable,
                       fmt::format("the Engine at {} ended the event stream{}{}", where.describe(),
                                   r.error.empty() ? "" : ": ", r.error));
}

}  // namespace ngxauth::docker
