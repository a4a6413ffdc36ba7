// The Engine client: the ping that negotiates the API version, the container list and
// inspect (engine.hpp). Exec and the event stream are in exec.cpp and events.cpp.
#include "engine.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>

#include "api.hpp"
#include "inspect.hpp"

namespace ngxauth::docker {
namespace {

using ngxconf::diag_code;
using json = nlohmann::json;

// The oldest API ngxauth reads: Engine 20.10, Debian bookworm's docker.io.
constexpr int oldest_minor = 41;

// "1.41" -> {1, 41}; nullopt for anything else.
[[maybe_unused]] std::optional<std::pair<int, int>> api_number(std::string_view v) {
    const auto dot = v.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    int major = 0, minor = 0;
    const auto a = std::from_chars(v.data(), v.data() + dot, major);
    const auto b = std::from_chars(v.data() + dot + 1, v.data() + v.size(), minor);
    if (a.ec != std::errc() || a.ptr != v.data() + dot || b.ec != std::errc() ||
        b.ptr != v.data() + v.size()) {
        return std::nullopt;
    }
    return std::pair{major, minor};
}

}  // namespace

engine engine::connect([[maybe_unused]] const engine_options& o) {
#ifndef NGXAUTH_HAVE_CURL
    throw docker_error(diag_code::docker_unreachable,
                       "this ngxauth is the static build, without libcurl: it cannot talk to "
                       "Docker (use the packaged ngxauth, or give --no-docker)");
#else
    const auto r = detail::send(o.where, detail::request_to(o.where, "GET", "/_ping", o.timeout_seconds),
                                "GET /_ping");
    if (r.status != 200) detail::unexpected(r, "GET /_ping");
    const auto version = r.header("Api-Version");
    if (!version) {
        throw docker_error(diag_code::docker_bad_response,
                           fmt::format("{} answered GET /_ping without an Api-Version header: "
                                       "is it a Docker Engine?", o.where.describe()));
    }
    const auto number = api_number(*version);
    if (!number) {
        throw docker_error(diag_code::docker_bad_response,
                           fmt::format("{} gave the API version '{}', not MAJOR.MINOR",
                                       o.where.describe(), *version));
    }
    if (*number < std::pair{1, oldest_minor}) {
        throw docker_error(diag_code::docker_api_too_old,
                           fmt::format("the Engine at {} speaks API {}; ngxauth needs 1.{} (Docker "
                                       "20.10) or newer: upgrade Docker",
                                       o.where.describe(), *version, oldest_minor));
    }
    return engine(o, *version);
#endif
}

std::vector<container> engine::containers(const std::vector<std::string>& label_filters,
                                          const std::vector<std::string>& env_keys) const {
    std::string target = fmt::format("/v{}/containers/json?all=1", version_);
    if (!label_filters.empty()) {
        target += "&filters=" + detail::url_encode(json{{"label", label_filters}}.dump());
    }
    const std::string what = "GET /containers/json";
    const auto r = detail::send(options_.where,
                                detail::request_to(options_.where, "GET", target, options_.timeout_seconds),
                                what);
    if (r.status != 200) detail::unexpected(r, what);
    const auto list = detail::json_body(r, what);
    if (!list.is_array()) {
        throw docker_error(diag_code::docker_bad_response,
                           fmt::format("the Engine's answer to {} is not a list", what));
    }
    std::vector<container> out;
    for (const auto& item : list) {
        const auto id = item.is_object() ? item.find("Id") : item.end();
        if (!item.is_object() || id == item.end() || !id->is_string()) {
            throw docker_error(diag_code::docker_bad_response,
                               fmt::format("the Engine's answer to {} lists a container without an Id", what));
        }
        // One removed since the list was made is simply gone.
        if (auto c = inspect(id->get<std::string>(), env_keys)) out.push_back(std::move(*c));
    }
    std::sort(out.begin(), out.end(),
              [](const container& a, const container& b) { return a.name < b.name; });
    return out;
}

std::optional<container> engine::inspect(std::string_view name_or_id,
                                         const std::vector<std::string>& env_keys) const {
    if (name_or_id.empty()) return std::nullopt;
    const auto target = fmt::format("/v{}/containers/{}/json", version_, detail::url_encode(name_or_id));
    const std::string what = fmt::format("GET /containers/{}/json", name_or_id);
    const auto r = detail::send(options_.where,
                                detail::request_to(options_.where, "GET", target, options_.timeout_seconds),
                                what);
    if (r.status == 404) return std::nullopt;
    if (r.status != 200) detail::unexpected(r, what);
    return container_from_inspect(r.body, env_keys);
}

}  // namespace ngxauth::docker
