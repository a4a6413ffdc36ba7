// engine::exec: a command in a running container (exec create, start attached without a
// tty, then exec inspect for its exit code), with a timeout of its own.
#include <fmt/core.h>

#include <chrono>
#include <thread>

#include "api.hpp"
#include "engine.hpp"
#include "stream.hpp"

namespace ngxauth::docker {
namespace {

using ngxconf::diag_code;
using json = nlohmann::json;

// The Engine records the exit code a moment after the output ends; this long at most.
constexpr auto exit_code_wait = std::chrono::seconds(2);
constexpr auto exit_code_poll = std::chrono::milliseconds(50);

[[noreturn]] void exec_failed(std::string_view container, const http::response& r) {
    throw docker_error(diag_code::docker_exec_failed,
                       fmt::format("cannot run a command in container {}: {}", container,
                                   detail::engine_message(r)));
}

}  // namespace

exec_result engine::exec(std::string_view container, const std::vector<std::string>& argv,
                         double timeout_seconds) const {
    const auto& where = options_.where;
    const json create = {{"AttachStdin", false}, {"AttachStdout", true}, {"AttachStderr", true},
                         {"Tty", false},         {"Cmd", argv}};
    const auto made = detail::send(
        where,
        detail::request_to(where, "POST",
                           fmt::format("/v{}/containers/{}/exec", version_, detail::url_encode(container)),
                           options_.timeout_seconds, create.dump()),
        "POST /containers/{name}/exec");
    // 404: no such container; 409: it is not running (or paused).
    if (made.status == 404 || made.status == 409) exec_failed(container, made);
    if (made.status != 201) detail::unexpected(made, "POST /containers/{name}/exec");
    const auto made_json = detail::json_body(made, "POST /containers/{name}/exec");
    if (!made_json.is_object() || !made_json.contains("Id") || !made_json["Id"].is_string()) {
        throw docker_error(diag_code::docker_bad_response, "the Engine made an exec without an Id");
    }
    const auto id = made_json["Id"].get<std::string>();

    stream_demux demux;
    auto start = detail::request_to(where, "POST", fmt::format("/v{}/exec/{}/start", version_, id),
                                    timeout_seconds, json{{"Detach", false}, {"Tty", false}}.dump());
    start.connect_timeout_seconds = options_.timeout_seconds;
    start.on_body = [&demux](std::string_view bytes) {
        demux.feed(bytes);
        return true;
    };
    http::response ran;
    try {
        ran = detail::send(where, start, "POST /exec/{id}/start");
    } catch (const docker_error& e) {
        if (e.code() != diag_code::docker_timeout) throw;
        throw docker_error(diag_code::docker_timeout,
                           fmt::format("{} in container {} did not finish within {} s (it may "
                                       "still be running there)",
                                       argv.empty() ? std::string("the command") : argv.front(),
                                       container, timeout_seconds));
    }
    if (ran.status != 200 && ran.status != 101) detail::unexpected(ran, "POST /exec/{id}/start");

    const auto deadline = std::chrono::steady_clock::now() + exit_code_wait;
    const auto inspect_target = fmt::format("/v{}/exec/{}/json", version_, id);
    for (;;) {
        const auto r = detail::send(where,
                                    detail::request_to(where, "GET", inspect_target, options_.timeout_seconds),
                                    "GET /exec/{id}/json");
        if (r.status != 200) detail::unexpected(r, "GET /exec/{id}/json");
        const auto j = detail::json_body(r, "GET /exec/{id}/json");
        const bool running = j.is_object() && j.value("Running", false);
        const auto code = j.is_object() ? j.find("ExitCode") : j.end();
        if (!running && code != j.end() && code->is_number_integer()) {
            return exec_result{code->get<int>(), demux.output()};
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw docker_error(diag_code::docker_bad_response,
                               fmt::format("the Engine gave no exit code for the command in container {}",
                                           container));
        }
        std::this_thread::sleep_for(exit_code_poll);
    }
}

}  // namespace ngxauth::docker
