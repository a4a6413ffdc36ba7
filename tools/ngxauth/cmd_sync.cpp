// sync [--watch]: proxy-confs from container labels (docker/labels.hpp, docker/sync_plan.hpp),
// written like any other change: one transaction, --dry-run's diff, --json's plan. --watch
// follows the Engine's events, re-syncs after a quiet --debounce, reconnects with backoff.
#include <fmt/core.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <exception>
#include <utility>

#include "commands.hpp"
#include "docker/engine.hpp"
#include "docker/sync_plan.hpp"
#include "ngxconf/json.hpp"
#include "ngxconf/save.hpp"
#include "ngxconf/signal_guard.hpp"

namespace ngxauth {
namespace {

namespace swag = ngxconf::swag;
namespace dk = docker;
using clock_type = std::chrono::steady_clock;

dk::engine_options engine_options_of(const options& o) {
    if (o.docker.off) throw usage_failure("sync reads the containers' labels: not with --no-docker");
    dk::engine_options eo;
    if (o.docker.host) eo.where = dk::parse_docker_host(*o.docker.host);
    eo.timeout_seconds = o.docker.timeout;
    return eo;
}

swag::change_kind kind_of(dk::plan_action a) {
    switch (a) {
        case dk::plan_action::add: return swag::change_kind::create;
        case dk::plan_action::change: return swag::change_kind::set;
        case dk::plan_action::remove: return swag::change_kind::remove;
    }
    return swag::change_kind::set;
}

// ,"plan":[...],"refused":[...] for --json.
std::string plan_json(const dk::sync_plan& p, const std::filesystem::path& root) {
    using ngxconf::json_quote;
    std::string entries, refused;
    for (const auto& e : p.entries) {
        entries += fmt::format("{}{{\"code\":\"sync.plan\",\"action\":{},\"container\":{},\"file\":{}}}",
                               entries.empty() ? "" : ",", json_quote(dk::to_string(e.action)),
                               json_quote(e.container), json_quote(display_path(e.file, root)));
    }
    for (const auto& r : p.refused) {
        refused += fmt::format("{}{{\"code\":{},\"container\":{},\"label\":{},\"value\":{},\"message\":{}}}",
                               refused.empty() ? "" : ",", json_quote(ngxconf::to_string(r.code)),
                               json_quote(r.container), json_quote(r.label), json_quote(r.value),
                               json_quote(r.message));
    }
    return fmt::format(",\"plan\":[{}],\"refused\":[{}]", entries, refused);
}

// One sync: the labelled containers, the plan, finish_write (diff, check, transaction).
int sync_once(const options& o, const sync_args& a, const dk::engine& eng) {
    const auto containers = eng.containers({"swag=enable"});
    swag::session s(swag::layout::detect(o.root));
    const auto root = s.where().root;
    const dk::label_options lo{a.allow_directives, o.nginx};
    const auto plan = dk::plan_sync(s, containers, lo);
    swag::report r;
    for (const auto& e : plan.entries) r.changes.push_back({e.file, 0, kind_of(e.action), "", ""});
    for (const auto& ref : plan.refused) r.notes.push_back(dk::to_diagnostic(ref));
    pending_write w;
    w.root = root;
    w.changes = s.pending_changes();
    w.save = [&s](const ngxconf::transaction_options& t) { (void)s.save(t); };
    const auto n = plan.entries.size();
    return finish_write(r, w, o,
                        {"sync", "", "every labelled container's conf is up to date",
                         fmt::format("{} conf{} synced from container labels", n, n == 1 ? "" : "s"),
                         plan_json(plan, root)});
}

bool wakes_sync(const dk::event& e) {
    static constexpr std::string_view actions[] = {"create", "start", "die", "destroy", "rename"};
    return std::find(std::begin(actions), std::end(actions), e.action) != std::end(actions);
}

std::string now_text() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%H:%M:%SZ", &tm);
    return buf;
}

// Waits `seconds` unless one of the guarded signals comes first; returns that signal or 0.
int sleep_or_signal(ngxconf::signal_guard& guard, double seconds) {
    pollfd p{guard.fd(), POLLIN, 0};
    (void)::poll(&p, 1, static_cast<int>(seconds * 1000));
    return guard.poll();
}

// The watch's state between two events: whether a sync is due and since when it is quiet.
struct watch_state {
    bool due = false;
    clock_type::time_point last;
    std::exception_ptr failed;  // thrown inside the stream's callbacks, rethrown after it
    int rc = exit_ok;
};

// Whether the watch ends: a signal taken by `guard`, or one that a sync's own transaction
// guard took (that sync then returned 128 + N: stopped after its commit).
bool stopping(ngxconf::signal_guard& guard, const watch_state& st) {
    return guard.poll() != 0 || st.rc > 128;
}

// One connection: the event stream, a sync after each quiet --debounce following events,
// until a signal or a failure.
void watch_connection(const options& o, const sync_args& a, ngxconf::signal_guard& guard,
                      const dk::engine& eng, watch_state& st) {
    const auto run = [&](std::string_view why) {
        fmt::print(stderr, "ngxauth sync: {} sync ({})\n", now_text(), why);
        std::fflush(stderr);
        st.rc = sync_once(o, a, eng);
        std::fflush(stdout);
    };
    // The first sync runs once the stream is open (a debounce after connecting), so that no
    // container started in between goes unseen.
    st.due = true;
    st.last = clock_type::now();
    std::string_view why = "start";
    const auto debounce = std::chrono::duration<double>(a.debounce);
    eng.events(
        [&](const dk::event& e) {
            if (wakes_sync(e)) {
                st.due = true;
                st.last = clock_type::now();
            }
            return true;
        },
        [&]() {
            if (stopping(guard, st)) return false;
            if (!st.due || clock_type::now() - st.last < debounce) return true;
            st.due = false;
            try {
                run(std::exchange(why, "events"));
            } catch (...) {
                // Never through the client's C callbacks: kept and rethrown after the stream.
                st.failed = std::current_exception();
                return false;
            }
            return !stopping(guard, st);
        });
    if (st.failed) std::rethrow_exception(std::exchange(st.failed, nullptr));
}

int watch(const options& o, const sync_args& a, const dk::engine_options& eo) {
    ngxconf::signal_guard guard;  // SIGINT/SIGTERM between syncs end the watch cleanly
    double backoff = 1;
    watch_state st;
    while (!stopping(guard, st)) {
        try {
            const auto eng = dk::engine::connect(eo);
            backoff = 1;
            watch_connection(o, a, guard, eng, st);
        } catch (const dk::docker_error& e) {
            if (stopping(guard, st)) break;
            fmt::print(stderr, "ngxauth sync: {} Docker: {}; reconnecting in {} s\n", now_text(), e.what(),
                       backoff);
            std::fflush(stderr);
            if (sleep_or_signal(guard, backoff) != 0) break;
            backoff = std::min(backoff * 2, 30.0);
        } catch (const ngxconf::interrupted_error&) {
            throw;  // the transaction was rolled back; main reports it (128 + N)
        } catch (const usage_failure&) {
            throw;
        } catch (...) {
            // A failed write (validation, a file changed meanwhile) is reported; the watch goes on.
            st.rc = report_failure(std::current_exception(), o.json, {});
            if (sleep_or_signal(guard, a.debounce) != 0) break;
        }
    }
    // A signal at the very commit leaves the committed journal for the next run to drop
    // (ngxconf/save.hpp): drop it now, so that the watch leaves nothing behind.
    try {
        (void)ngxconf::recover_interrupted(swag::layout::detect(o.root).root);
    } catch (...) {
        // Another run holds the lock: it drops the journal itself.
    }
    const int sig = guard.received() != 0 ? guard.received() : (st.rc > 128 ? st.rc - 128 : 0);
    fmt::print(stderr, "ngxauth sync: {} stopped by {}\n", now_text(), signal_name(sig));
    return sig != 0 ? 128 + sig : st.rc;
}

}  // namespace

int cmd_sync(const options& o, const sync_args& a) {
    const auto eo = engine_options_of(o);
    if (a.watch) return watch(o, a, eo);
    return sync_once(o, a, dk::engine::connect(eo));
}

}  // namespace ngxauth
