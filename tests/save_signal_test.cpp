// Transactions that survive signals, crashes and concurrent runs: a signal at any moment
// before the commit restores every file and leaves no process and no state behind; a SIGKILL
// at any step boundary is rolled back by the next run; parallel runs wait for each other;
// root and the tree's owner take turns; the history undoes a transaction byte for byte.
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <ngxconf/save.hpp>
#include <ngxconf/signal_guard.hpp>
#include <thread>

#include "kill_at_step.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

using test::temp_dir;

void put(const fs::path& p, std::string_view bytes, mode_t mode = 0644) {
    test::put_file(p, bytes, mode);
}

// Everything that must come back after a rollback: per entry of a folder (recursively), its
// bytes, mode, owner and mtime.
using tree_state = std::map<std::string, std::string>;

tree_state snapshot(const fs::path& dir) {
    tree_state out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        struct stat st {};
        REQUIRE(::lstat(e.path().c_str(), &st) == 0);
        std::string v = std::to_string(st.st_mode) + " " + std::to_string(st.st_uid) + ":" +
                        std::to_string(st.st_gid);
        if (S_ISREG(st.st_mode)) {
            v += " " + std::to_string(st.st_mtim.tv_sec) + "." +
                 std::to_string(st.st_mtim.tv_nsec) + " " + test::read_file(e.path());
        }
        out[fs::relative(e.path(), dir).string()] = v;
    }
    return out;
}

// The entries on which two states differ, for the failure message.
std::string differences(const tree_state& x, const tree_state& y) {
    std::string out;
    for (const auto& [k, v] : x) {
        const auto it = y.find(k);
        if (it == y.end() || it->second != v) out += " " + k;
    }
    for (const auto& [k, v] : y) {
        if (!x.count(k)) out += " " + k;
    }
    return out;
}

// Runs fn in a forked child (which must not use Catch) and returns its wait status.
template <class Fn>
int in_child(Fn fn) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int code = 0;
        try {
            code = fn();
        } catch (const ngxconf::interrupted_error& e) {
            code = 128 + e.signal_number();
        } catch (const ngxconf::io_error& e) {
            code = 100 + static_cast<int>(e.code());
        } catch (...) {
            code = 99;
        }
        ::_exit(code);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return status;
}

int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

// The live (not zombie) processes of process group `pgid`.
int live_in_group(pid_t pgid) {
    int n = 0;
    for (const auto& e : fs::directory_iterator("/proc")) {
        std::ifstream in(e.path() / "stat");
        std::string stat;
        if (!std::getline(in, stat)) continue;
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        char state = 0;
        long ppid = 0, pgrp = 0;
        if (std::sscanf(stat.c_str() + close + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3)
            continue;
        if (pgrp == pgid && state != 'Z' && state != 'X') ++n;
    }
    return n;
}

// Waits (up to 5 s) until the group has no live process; returns how many are left.
int group_gone(pid_t pgid) {
    for (int i = 0; i < 100; ++i) {
        if (live_in_group(pgid) == 0) return 0;
        std::this_thread::sleep_for(50ms);
    }
    return live_in_group(pgid);
}

// Waits (up to 5 s) until the group has at least `n` live processes.
bool group_reaches(pid_t pgid, int n) {
    for (int i = 0; i < 100; ++i) {
        if (live_in_group(pgid) >= n) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

pid_t read_pid(const fs::path& p) {
    for (int i = 0; i < 200; ++i) {
        std::ifstream in(p);
        long v = 0;
        if (in >> v && v > 0) return static_cast<pid_t>(v);
        std::this_thread::sleep_for(25ms);
    }
    return -1;
}

bool is_root() { return ::geteuid() == 0; }

bool ci() {
    const char* v = std::getenv("CI");
    return v && std::string_view(v) == "true";
}

// A tree of two existing files and one to create, with a state dir beside them.
struct tree {
    temp_dir dir{"signal"};
    fs::path a = dir / "a.conf", b = dir / "b.conf", n = dir / "n.conf";
    fs::path state = dir / "state";
    tree() {
        put(a, "A0\n", 0640);
        put(b, "B0\r\nno final newline", 0600);
        fs::create_directory(state);
        // an old mtime, so that a rewrite without restoring it would show
        const timespec times[2] = {{1'000'000'000, 0}, {1'000'000'000, 123}};
        REQUIRE(::utimensat(AT_FDCWD, a.c_str(), times, 0) == 0);
    }
    [[nodiscard]] std::vector<ngxconf::file_change> changes() const {
        return {
            {a, "A1\n", "A0\n"}, {n, "N1\n", std::nullopt}, {b, "B1\n", "B0\r\nno final newline"}};
    }
    [[nodiscard]] ngxconf::transaction_options options() const {
        ngxconf::transaction_options o;
        o.state_dir = state;
        o.write.fsync = false;
        return o;
    }
};

// Sends `sig` to its own process when the second temporary file is about to be written.
class signal_at_second_write : public ngxconf::save_observer {
  public:
    explicit signal_at_second_write(int sig) : sig_(sig) {}
    void before_temp_write(const fs::path&) override {
        if (++writes_ == 2) ::kill(::getpid(), sig_);
    }

  private:
    int sig_;
    int writes_ = 0;
};

using test::kill_at_step;

const int guarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

}  // namespace

TEST_CASE("a signal while the temporary files are written restores every file",
          "[save][transaction][signal]") {
    int cases = 0;
    for (const int sig : guarded) {
        tree t;
        const auto before = snapshot(t.dir.path());
        const int status = in_child([&] {
            ngxconf::signal_guard guard;
            signal_at_second_write hook(sig);
            auto o = t.options();
            o.signals = &guard;
            o.write.hooks = &hook;
            ngxconf::apply_changes(t.changes(), o);
            return 0;
        });
        INFO("signal " << sig);
        CHECK(exit_code(status) == 128 + sig);
        CHECK(snapshot(t.dir.path()) == before);  // bytes, mode, owner, mtime; nothing new
        ++cases;
    }
    std::cout << "signal during the temporary writes: " << cases << " signals checked\n";
}

TEST_CASE("a signal while the validation command runs kills it with its group and restores",
          "[save][transaction][signal]") {
    int cases = 0;
    for (const int sig : guarded) {
        tree t;
        const auto pidfile =
            t.dir.path().parent_path() / (t.dir.path().filename().string() + ".pid");
        const auto before = snapshot(t.dir.path());
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            int code = 0;
            try {
                ngxconf::signal_guard guard;
                auto o = t.options();
                o.signals = &guard;
                o.validate_command = "echo $$ > '" + pidfile.string() + "'; sleep 30 & sleep 30";
                ngxconf::apply_changes(t.changes(), o);
            } catch (const ngxconf::interrupted_error& e) {
                code = 128 + e.signal_number();
            } catch (...) {
                code = 99;
            }
            ::_exit(code);
        }
        const pid_t pgid = read_pid(pidfile);
        REQUIRE(pgid > 0);
        CHECK(group_reaches(pgid, 2));  // the shell and its background sleep
        REQUIRE(::kill(child, sig) == 0);
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        fs::remove(pidfile);
        INFO("signal " << sig);
        CHECK(exit_code(status) == 128 + sig);
        CHECK(group_gone(pgid) == 0);
        CHECK(snapshot(t.dir.path()) == before);
        ++cases;
    }
    std::cout << "signal during validation: " << cases << " signals checked\n";
}

TEST_CASE("the validation command does not outlive a caller killed with SIGKILL",
          "[save][transaction][signal]") {
    tree t;
    const auto pidfile = t.dir.path().parent_path() / (t.dir.path().filename().string() + ".pid");
    const auto before = snapshot(t.dir.path());
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        auto o = t.options();
        o.validate_command = "echo $$ > '" + pidfile.string() + "'; sleep 30 & sleep 30";
        try {
            ngxconf::apply_changes(t.changes(), o);
        } catch (...) {
        }
        ::_exit(0);
    }
    const pid_t pgid = read_pid(pidfile);
    REQUIRE(pgid > 0);
    CHECK(group_reaches(pgid, 2));
    REQUIRE(::kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    fs::remove(pidfile);
    CHECK(group_gone(pgid) == 0);
    const auto restored = ngxconf::recover_interrupted(t.state);
    CHECK(restored.size() == 3);
    CHECK(snapshot(t.dir.path()) == before);
}

TEST_CASE("a SIGKILL at every step boundary is rolled back by the next run",
          "[save][transaction][signal]") {
    int steps = 0;
    {
        tree t;
        kill_at_step count(0);
        auto o = t.options();
        o.write.hooks = &count;
        o.write.backup = true;  // backups are steps too
        ngxconf::apply_changes(t.changes(), o);
        steps = count.steps();
    }
    REQUIRE(steps >= 10);
    int rolled_back = 0;
    for (int k = 1; k <= steps; ++k) {
        tree t;
        const auto before = snapshot(t.dir.path());
        const int status = in_child([&] {
            kill_at_step hook(k);
            auto o = t.options();
            o.write.hooks = &hook;
            o.write.backup = true;
            ngxconf::apply_changes(t.changes(), o);
            return 0;
        });
        INFO("killed at step " << k << " of " << steps);
        REQUIRE(WIFSIGNALED(status));
        CHECK(WTERMSIG(status) == SIGKILL);
        (void)ngxconf::recover_interrupted(t.state);
        // Backups of the originals may stay (they equal the originals); nothing else differs.
        fs::remove(t.dir / "a.conf.bak");
        fs::remove(t.dir / "b.conf.bak");
        const auto after = snapshot(t.dir.path());
        INFO("differing:" << differences(after, before));
        CHECK(after == before);
        ++rolled_back;
    }
    std::cout << "SIGKILL at step boundaries: " << rolled_back << " of " << steps
              << " crash points rolled back to the exact original tree\n";
}

TEST_CASE("six parallel transactions on different files all succeed", "[save][transaction][lock]") {
    temp_dir dir("parallel");
    fs::create_directory(dir / "state");
    constexpr int runs = 6;
    for (int i = 0; i < runs; ++i) put(dir / ("f" + std::to_string(i) + ".conf"), "old\n");
    std::vector<pid_t> children;
    for (int i = 0; i < runs; ++i) {
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            int code = 0;
            try {
                ngxconf::transaction_options o;
                o.state_dir = dir / "state";
                o.validate_command = "sleep 0.2";
                o.label = "run " + std::to_string(i);
                ngxconf::apply_changes({{dir / ("f" + std::to_string(i) + ".conf"),
                                         "new " + std::to_string(i) + "\n", "old\n"}},
                                       o);
            } catch (...) {
                code = 1;
            }
            ::_exit(code);
        }
        children.push_back(pid);
    }
    int ok = 0;
    for (const pid_t pid : children) {
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        if (exit_code(status) == 0) ++ok;
    }
    std::cout << "parallel transactions: " << ok << " of " << runs << " succeeded\n";
    CHECK(ok == runs);
    for (int i = 0; i < runs; ++i) {
        CHECK(test::read_file(dir / ("f" + std::to_string(i) + ".conf")) ==
              "new " + std::to_string(i) + "\n");
    }
    CHECK(ngxconf::read_history(dir / "state").size() == runs);
}

TEST_CASE("a held lock is waited for, announced once, or refused after lock_timeout",
          "[save][transaction][lock]") {
    temp_dir dir("lock");
    const auto a = dir / "a.conf";
    put(a, "A0\n");
    fs::create_directory(dir / "state");
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t holder = ::fork();
    REQUIRE(holder >= 0);
    if (holder == 0) {
        const int fd = ::open((dir / "state").c_str(), O_RDONLY | O_DIRECTORY);
        if (fd < 0 || ::flock(fd, LOCK_EX) != 0) ::_exit(1);
        (void)!::write(ready[1], "x", 1);
        ::usleep(800 * 1000);
        ::_exit(0);
    }
    ::close(ready[1]);
    char c = 0;
    REQUIRE(::read(ready[0], &c, 1) == 1);
    ::close(ready[0]);

    ngxconf::transaction_options o;
    o.state_dir = dir / "state";
    o.lock_timeout = 100ms;
    int announced = 0;
    o.on_lock_wait = [&](const fs::path& p) {
        CHECK(p == dir / "state");
        ++announced;
    };
    try {
        ngxconf::apply_changes({{a, "A1\n", "A0\n"}}, o);
        FAIL("no exception");
    } catch (const ngxconf::io_error& e) {
        CHECK(e.code() == ngxconf::error_code::locked);
    }
    CHECK(announced == 1);
    o.lock_timeout = 30s;
    announced = 0;
    ngxconf::apply_changes({{a, "A1\n", "A0\n"}}, o);
    CHECK(announced == 1);
    CHECK(test::read_file(a) == "A1\n");
    int status = 0;
    REQUIRE(::waitpid(holder, &status, 0) == holder);
}

TEST_CASE("root then the tree's owner: the second run works", "[save][transaction][owner]") {
    if (!is_root()) {
        if (ci()) FAIL("this test needs root (CI=true)");
        WARN("skipped: needs root to act as uid 1000");
        return;
    }
    temp_dir dir("owner");
    REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);
    const auto root = dir / "tree";
    fs::create_directory(root);
    put(root / "a.conf", "A0\n");
    put(root / "b.conf", "B0\n");
    for (const auto& p : {root, root / "a.conf", root / "b.conf"})
        REQUIRE(::chown(p.c_str(), 1000, 1000) == 0);
    REQUIRE(::chmod(root.c_str(), 0750) == 0);

    ngxconf::transaction_options o;
    o.state_dir = root;
    o.label = "as root";
    ngxconf::apply_changes({{root / "a.conf", "A1\n", "A0\n"}}, o);
    struct stat st {};
    REQUIRE(::stat((root / ngxconf::state_folder_name).c_str(), &st) == 0);
    CHECK(st.st_uid == 1000);
    CHECK(st.st_gid == 1000);
    CHECK((st.st_mode & 0777) == 0750);

    const int status = in_child([&] {
        if (::setgroups(0, nullptr) != 0 || ::setresgid(1000, 1000, 1000) != 0 ||
            ::setresuid(1000, 1000, 1000) != 0) {
            return 2;
        }
        auto mine = o;
        mine.label = "as 1000";
        ngxconf::apply_changes({{root / "b.conf", "B1\n", "B0\n"}}, mine);
        ngxconf::apply_changes(ngxconf::undo_changes(root, 1), mine);  // root's entry
        return 0;
    });
    CHECK(exit_code(status) == 0);
    CHECK(test::read_file(root / "a.conf") == "A0\n");
    CHECK(test::read_file(root / "b.conf") == "B1\n");
    const auto h = ngxconf::read_history(root);
    REQUIRE(h.size() == 3);
    CHECK(h[2].label == "as 1000");
}

TEST_CASE("history and undo round trip byte for byte", "[save][transaction][history]") {
    temp_dir dir("history");
    const auto a = dir / "a.conf", n = dir / "n.conf", g = dir / "gone.conf";
    const std::string a0 = "server {\r\n\tlisten 80;\r\n}\n# no final newline";
    put(a, a0, 0640);
    put(g, "G0\n");
    fs::create_directory(dir / "state");
    ngxconf::transaction_options o;
    o.state_dir = dir / "state";
    o.label = "ngxauth protect dockge";
    const auto r = ngxconf::apply_changes(
        {{a, "A1\n", a0}, {n, "N1\n", std::nullopt}, {g, "", "G0\n", true}}, o);
    CHECK(r.history_id == 1);
    CHECK_FALSE(fs::exists(g));

    auto h = ngxconf::read_history(dir / "state");
    REQUIRE(h.size() == 1);
    CHECK(h[0].id == 1);
    CHECK(h[0].label == "ngxauth protect dockge");
    REQUIRE(h[0].files.size() == 3);
    CHECK(h[0].files[0].path == a);
    CHECK(h[0].files[0].before == a0);
    CHECK(h[0].files[0].after == "A1\n");
    CHECK_FALSE(h[0].files[1].before);
    CHECK_FALSE(h[0].files[2].after);

    SECTION("undo gives every file back and removes the one created") {
        o.label = "ngxauth undo 1";
        ngxconf::apply_changes(ngxconf::undo_changes(dir / "state", 1), o);
        CHECK(test::read_file(a) == a0);
        CHECK((fs::status(a).permissions() & fs::perms::mask) == fs::perms(0640));
        CHECK_FALSE(fs::exists(n));
        CHECK(test::read_file(g) == "G0\n");
        CHECK(ngxconf::read_history(dir / "state").size() == 2);
    }
    SECTION("undo refuses a file changed since, naming it") {
        put(n, "edited\n");
        try {
            (void)ngxconf::undo_changes(dir / "state", 1);
            FAIL("no exception");
        } catch (const ngxconf::io_error& e) {
            CHECK(e.code() == ngxconf::error_code::modified_on_disk);
            CHECK(e.where().file == n.string());
        }
    }
    SECTION("a damaged entry is reported, naming it") {
        const auto entry = dir / "state" / ngxconf::state_folder_name / "history" /
                           "00000000000000000001" / "entry";
        put(entry, "ngxconf-history 1\nid x");
        try {
            (void)ngxconf::read_history(dir / "state");
            FAIL("no exception");
        } catch (const ngxconf::io_error& e) {
            CHECK(e.code() == ngxconf::error_code::io_error);
            CHECK(e.where().file == entry.string());
        }
    }
    SECTION("an unknown id") {
        CHECK_THROWS_AS(ngxconf::undo_changes(dir / "state", 7), ngxconf::io_error);
    }
    SECTION("the last history_kept entries are kept") {
        std::string cur = "A1\n";
        for (int i = 0; i < 25; ++i) {
            const std::string next = "A" + std::to_string(i + 2) + "\n";
            ngxconf::apply_changes({{a, next, cur}}, o);
            cur = next;
        }
        h = ngxconf::read_history(dir / "state");
        REQUIRE(h.size() == ngxconf::history_kept);
        CHECK(h.front().id == 26 - ngxconf::history_kept + 1);
        CHECK(h.back().id == 26);
    }
}

TEST_CASE("recovery in a read-only tree fails with an error naming the files",
          "[save][transaction][owner]") {
    if (!is_root()) {
        if (ci()) FAIL("this test needs root (CI=true)");
        WARN("skipped: needs root to drop to another uid");
        return;
    }
    tree t;
    for (const auto& p : {t.dir.path(), t.state, t.a, t.b})
        REQUIRE(::chown(p.c_str(), 65534, 65534) == 0);
    const int crashed = in_child([&] {
        kill_at_step hook(6);  // after the first rename
        auto o = t.options();
        o.write.hooks = &hook;
        ngxconf::apply_changes(t.changes(), o);
        return 0;
    });
    REQUIRE(WIFSIGNALED(crashed));
    // The owner may read the journal but write neither the tree nor the state folder.
    const auto folder = t.state / ngxconf::state_folder_name;
    for (const auto& p : {t.dir.path(), t.state, folder}) REQUIRE(::chmod(p.c_str(), 0555) == 0);
    const int status = in_child([&] {
        if (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
            ::setresuid(65534, 65534, 65534) != 0) {
            return 2;
        }
        try {
            (void)ngxconf::recover_interrupted(t.state);
        } catch (const ngxconf::io_error& e) {
            const std::string what = e.what();
            const bool names = what.find(t.a.string()) != std::string::npos &&
                               what.find(t.b.string()) != std::string::npos &&
                               what.find(t.n.string()) != std::string::npos;
            return e.code() == ngxconf::error_code::io_error && names ? 0 : 3;
        }
        return 4;
    });
    CHECK(exit_code(status) == 0);
    CHECK(fs::exists(folder / "journal" / "manifest"));  // kept for the next try
    CHECK(ngxconf::recover_interrupted(t.state) == std::vector<fs::path>{t.a});  // root can
    CHECK(test::read_file(t.a) == "A0\n");
}

TEST_CASE("a signal while waiting for the lock interrupts; one after the commit keeps the change",
          "[save][transaction][signal]") {
    tree t;
    const auto before = snapshot(t.dir.path());
    SECTION("while waiting for the lock") {
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        const pid_t holder = ::fork();
        REQUIRE(holder >= 0);
        if (holder == 0) {
            const int fd = ::open(t.state.c_str(), O_RDONLY | O_DIRECTORY);
            if (fd < 0 || ::flock(fd, LOCK_EX) != 0) ::_exit(1);
            (void)!::write(ready[1], "x", 1);
            ::sleep(30);
            ::_exit(0);
        }
        ::close(ready[1]);
        char c = 0;
        REQUIRE(::read(ready[0], &c, 1) == 1);
        ::close(ready[0]);
        const auto t0 = std::chrono::steady_clock::now();
        const int status = in_child([&] {
            ngxconf::signal_guard guard;
            auto o = t.options();
            o.signals = &guard;
            o.on_lock_wait = [](const fs::path&) { ::kill(::getpid(), SIGTERM); };
            ngxconf::apply_changes(t.changes(), o);
            return 0;
        });
        CHECK(exit_code(status) == 128 + SIGTERM);
        CHECK(std::chrono::steady_clock::now() - t0 < 10s);  // not the 30 s lock_timeout
        ::kill(holder, SIGKILL);
        int st = 0;
        REQUIRE(::waitpid(holder, &st, 0) == holder);
        CHECK(snapshot(t.dir.path()) == before);
    }
    SECTION("after the commit") {
        const int status = in_child([&] {
            ngxconf::signal_guard guard;
            auto o = t.options();
            o.signals = &guard;
            ngxconf::apply_changes(t.changes(), o);
            ::kill(::getpid(), SIGHUP);  // during the caller's reload, say
            return guard.poll() == SIGHUP ? 0 : 1;
        });
        CHECK(exit_code(status) == 0);
        CHECK(test::read_file(t.a) == "A1\n");
        CHECK(test::read_file(t.n) == "N1\n");
        CHECK(ngxconf::read_history(t.state).size() == 1);
    }
}
