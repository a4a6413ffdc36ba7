// Crash points: a SIGKILL at every step boundary of a three-file SWAG transaction, then the
// recovery the next ngxauth command runs first. One session protects sonarr, a subfolder app
// (proxy-confs/sonarr.subfolder.conf and site-confs/default.conf), and dockge, a subdomain app
// (proxy-confs/dockge.subdomain.conf). A full run counts the save_observer's calls (N); then,
// for k = 1..N, a forked child does the same and raises SIGKILL at the k-th call. After
// `ngxauth status --json` (exit 0) the three files are all as before (a kill before the commit)
// or all as after (from the commit on) with their modes and owners, nothing is left in ROOT
// but the state folder's history, and the tree passes nginx -t (tests/e2e/nginx_harness.sh).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>
#include <ngxconf/save.hpp>
#include <ngxconf/swag/swag.hpp>
#include <set>

#include "kill_at_step.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace swag = ngxconf::swag;

namespace {

// The files of the transaction (relative to ROOT), each given its own mode in the copy, so
// that a file written or restored with another mode shows.
struct conf_file {
    const char* path;
    mode_t mode;
};
constexpr conf_file transaction_files[] = {
    {"proxy-confs/sonarr.subfolder.conf", 0640},
    {"site-confs/default.conf", 0600},
    {"proxy-confs/dockge.subdomain.conf", 0664},
};
constexpr uid_t tree_owner = 1000;  // SWAG's PUID/PGID, given to the copy when run as root
constexpr timespec old_mtime{1'000'000'000, 123};  // a rollback must put it back

struct file_state {
    std::string bytes;
    mode_t mode = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    timespec mtime{};
};

file_state state_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return {test::read_file(p), st.st_mode & 07777, st.st_uid, st.st_gid, st.st_mtim};
}

bool same_owner_and_mode(const file_state& x, const file_state& y) {
    return x.mode == y.mode && x.uid == y.uid && x.gid == y.gid;
}

// Exactly as before: bytes, mode, owner and mtime.
bool is_before(const file_state& now, const file_state& before) {
    return now.bytes == before.bytes && same_owner_and_mode(now, before) &&
           now.mtime.tv_sec == before.mtime.tv_sec && now.mtime.tv_nsec == before.mtime.tv_nsec;
}

bool is_after(const file_state& now, const file_state& before, const std::string& after_bytes) {
    return now.bytes == after_bytes && same_owner_and_mode(now, before);
}

// A copy of fixtures/swag owned like a SWAG tree (when root), the transaction's files with
// their own modes and an old mtime.
void make_tree(const fs::path& root) {
    fs::copy(test::fixtures_dir() / "swag", root, fs::copy_options::recursive);
    if (::geteuid() == 0) {
        REQUIRE(::lchown(root.c_str(), tree_owner, tree_owner) == 0);
        for (const auto& e : fs::recursive_directory_iterator(root)) {
            REQUIRE(::lchown(e.path().c_str(), tree_owner, tree_owner) == 0);
        }
    }
    for (const auto& f : transaction_files) {
        const fs::path p = root / f.path;
        REQUIRE(::chmod(p.c_str(), f.mode) == 0);
        const timespec times[2] = {old_mtime, old_mtime};
        REQUIRE(::utimensat(AT_FDCWD, p.c_str(), times, 0) == 0);
    }
}

// ROOT's entries (relative paths) outside the state folder.
std::set<std::string> tree_entries(const fs::path& root) {
    std::set<std::string> out;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::end(it); ++it) {
        const auto rel = fs::relative(it->path(), root).string();
        if (rel == ngxconf::state_folder_name) {
            it.disable_recursion_pending();
            continue;
        }
        out.insert(rel);
    }
    return out;
}

bool all_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The state folder holds committed history entries only (history/ID/...): no journal, no
// staged entry. Returns the number of entries, 0 when there is no state folder, or -1 (with
// `why`) when anything else is there.
int history_entries_only(const fs::path& root, std::string& why) {
    const fs::path state = root / ngxconf::state_folder_name;
    if (!fs::exists(state)) return 0;
    int ids = 0;
    for (const auto& e : fs::recursive_directory_iterator(state)) {
        const auto rel = fs::relative(e.path(), state);
        const std::vector<fs::path> parts(rel.begin(), rel.end());
        if (parts[0] != "history" || (parts.size() > 1 && !all_digits(parts[1].string()))) {
            why = "unexpected in the state folder: " + rel.string();
            return -1;
        }
        if (parts.size() == 2) ++ids;
    }
    return ids;
}

// Runs argv with stdout and stderr to `out`; returns the wait status.
int run_program(const std::vector<std::string>& argv, const fs::path& out) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || ::dup2(fd, STDOUT_FILENO) < 0 || ::dup2(fd, STDERR_FILENO) < 0) ::_exit(126);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return status;
}

using test::kill_at_step;

// The transaction under test: one session, two apps, one save (as ngxauth does it).
swag::session protect_both(const fs::path& root) {
    swag::session s(swag::layout::detect(root));
    s.protect("sonarr");
    s.protect("dockge");
    return s;
}

ngxconf::transaction_result save_with(swag::session& s, const fs::path& root,
                                      ngxconf::save_observer& hooks) {
    ngxconf::transaction_options o;
    o.state_dir = root;
    o.label = "protect sonarr dockge";
    o.write.hooks = &hooks;
    return s.save(o);
}

// The child: the same session and save, SIGKILLed at step k. No Catch2 here; _exit only.
[[noreturn]] void child_run(const fs::path& root, int k) {
    int code = 0;
    try {
        auto s = protect_both(root);
        kill_at_step hook(k, true);
        (void)save_with(s, root, hook);
    } catch (...) {
        code = 1;
    }
    ::_exit(code);  // reached only when the kill did not happen
}

fs::path ngxauth_binary() {
#ifdef NGXAUTH_BINARY
    return NGXAUTH_BINARY;
#else
    return {};
#endif
}

// What a crash may leave after recovery, learnt on `reference`: the files before and after,
// the tree's entries, and the observer's calls in one full run.
struct expectation {
    std::vector<file_state> before;
    std::vector<std::string> after;
    std::set<std::string> entries;
    int boundaries = 0;
    int commit_step = 0;  // the after_commit call
};

expectation learn(const fs::path& reference) {
    expectation x;
    make_tree(reference);
    auto s = protect_both(reference);
    const auto changes = s.pending_changes();
    REQUIRE(changes.size() == std::size(transaction_files));
    for (const auto& f : transaction_files) {
        const fs::path p = reference / f.path;
        x.before.push_back(state_of(p));
        const auto it = std::find_if(changes.begin(), changes.end(),
                                     [&](const auto& c) { return fs::equivalent(c.path, p); });
        REQUIRE(it != changes.end());
        REQUIRE(it->bytes != x.before.back().bytes);
        x.after.push_back(it->bytes);
    }
    x.entries = tree_entries(reference);
    kill_at_step counter(0, true);
    CHECK(save_with(s, reference, counter).written.size() == std::size(transaction_files));
    x.boundaries = counter.steps();
    x.commit_step = counter.commit_step();
    return x;
}

enum class outcome { before, after, mixed };

// Every file as before (bytes, mode, owner, mtime), or every file as after (bytes, mode,
// owner); anything else is a mix.
outcome outcome_of(const fs::path& root, const expectation& x) {
    std::size_t n_before = 0, n_after = 0;
    for (std::size_t i = 0; i < std::size(transaction_files); ++i) {
        const auto now = state_of(root / transaction_files[i].path);
        n_before += is_before(now, x.before[i]) ? 1 : 0;
        n_after += is_after(now, x.before[i], x.after[i]) ? 1 : 0;
    }
    if (n_before == std::size(transaction_files)) return outcome::before;
    if (n_after == std::size(transaction_files)) return outcome::after;
    return outcome::mixed;
}

// A child SIGKILLed at boundary k of the transaction on `root`, then `ngxauth status --json`.
void crash_then_recover(const fs::path& ngxauth, const fs::path& root, int k) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) child_run(root, k);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);
    // Every boundary lies between the journal's write and its removal: there is work to do.
    REQUIRE(fs::exists(root / ngxconf::state_folder_name / "journal"));

    const fs::path out = root.string() + ".out";  // beside ROOT, not in it
    const int rc =
        run_program({ngxauth.string(), "--root", root.string(), "status", "--json"}, out);
    INFO("ngxauth status --json: " << test::read_file(out));
    REQUIRE(WIFEXITED(rc));
    REQUIRE(WEXITSTATUS(rc) == 0);
}

// nginx -t (tests/e2e/nginx_harness.sh) on every tree, in one shell so that the harness
// makes its certificate once. Without nginx: a skip (a failure under CI=true).
void nginx_accepts(const fs::path& work, const std::vector<std::string>& trees) {
    const fs::path log = work / "nginx.log";
    std::vector<std::string> argv{
        "bash",
        "-c",
        ". \"$1\"; dir=$2; shift 2\n"
        "nginx_harness_init \"$dir\" || exit 3\n"
        "[ -z \"$NGINX_HARNESS_SKIP\" ] || { echo \"$NGINX_HARNESS_SKIP\"; exit 77; }\n"
        "for t in \"$@\"; do\n"
        "  nginx_harness_test \"$t\" || { echo \"$t\"; cat \"$NGINX_HARNESS_LOG\"; exit 1; }\n"
        "done\n",
        "bash",
        NGXCONF_NGINX_HARNESS,
        (work / "nginx").string()};
    argv.insert(argv.end(), trees.begin(), trees.end());
    const int rc = run_program(argv, log);
    const std::string said = test::read_file(log);
    if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) {
        test::missing_prerequisite("nginx -t of the recovered trees: " + said);
        return;
    }
    INFO("nginx harness: " << said);
    CHECK(WIFEXITED(rc));
    CHECK(WEXITSTATUS(rc) == 0);
}

}  // namespace

TEST_CASE("a SIGKILL at every step boundary of a SWAG transaction leaves all before or all after",
          "[save][transaction][crash][swag]") {
    const fs::path ngxauth = ngxauth_binary();
    if (ngxauth.empty() || ::access(ngxauth.c_str(), X_OK) != 0) {
        test::missing_prerequisite("the ngxauth binary is not built (" + ngxauth.string() + ")");
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    test::temp_dir work("crash");
    const fs::path reference = work / "reference";
    const auto x = learn(reference);
    // the journal, 3 x (before/after the temporary write, the rename), before/after the commit
    REQUIRE(x.boundaries >= 12);
    REQUIRE(x.commit_step == x.boundaries);
    REQUIRE(outcome_of(reference, x) == outcome::after);

    std::vector<std::string> trees{reference.string()};
    int rolled_back = 0, kept = 0;
    for (int k = 1; k <= x.boundaries; ++k) {
        INFO("killed at boundary " << k << " of " << x.boundaries
                                   << " (after the commit: " << x.commit_step << ")");
        const fs::path root = work / ("k" + std::to_string(k));
        make_tree(root);
        crash_then_recover(ngxauth, root, k);
        const auto got = outcome_of(root, x);
        CHECK(got == (k >= x.commit_step ? outcome::after : outcome::before));
        rolled_back += got == outcome::before ? 1 : 0;
        kept += got == outcome::after ? 1 : 0;
        CHECK(tree_entries(root) == x.entries);  // no temporary file left
        std::string why;
        CHECK(history_entries_only(root, why) == (got == outcome::after ? 1 : 0));
        CHECK(why.empty());
        trees.push_back(root.string());
    }
    std::cout << "crash points: " << x.boundaries << " boundaries, " << rolled_back << " before, "
              << kept << " after\n";
    CHECK(rolled_back + kept == x.boundaries);

    nginx_accepts(work.path(), trees);
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "crash points: " << trees.size() << " trees through nginx -t, " << seconds
              << " s\n";
}
