// write_file_atomic, apply_changes, recover_interrupted: owner and mode kept, symlinks
// followed, all-or-nothing transactions, the lock, crash recovery, failing writes.
// Runs as root in CI: owner checks chown to arbitrary ids, and the permission checks drop to
// uid/gid 65534 in a forked child (as `setpriv --reuid=65534 --regid=65534 --clear-groups`).
#include <fcntl.h>
#include <grp.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <ngxconf/save.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

using test::temp_dir;

void put(const fs::path& p, std::string_view bytes, mode_t mode = 0644) {
    test::put_file(p, bytes, mode);
}

struct stat stat_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st;
}

mode_t mode_of(const fs::path& p) { return stat_of(p).st_mode & 07777; }

bool exists_l(const fs::path& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0;
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

bool is_root() { return ::geteuid() == 0; }

void give(const fs::path& p, uid_t uid, gid_t gid) {
    if (is_root()) REQUIRE(::lchown(p.c_str(), uid, gid) == 0);
}

// Makes the temporary-file write for a target named `name` ("*": every target) fail, as a
// full disk would.
class failing_write : public ngxconf::save_observer {
public:
    explicit failing_write(std::string name) : name_(std::move(name)) {}
    void before_temp_write(const fs::path& target) override {
        if (name_ == "*" || target.filename() == name_) {
            throw ngxconf::io_error(ngxconf::error_code::io_error, "injected ENOSPC",
                                    ngxconf::source_region{target.string(), {}, {}});
        }
    }

private:
    std::string name_;
};

// Ends the process with status 137 right after the n-th rename, as kill -9 would.
class crash_after_renames : public ngxconf::save_observer {
public:
    explicit crash_after_renames(std::size_t n) : n_(n) {}
    void after_rename(const fs::path&, std::size_t count) override {
        if (count == n_) ::_exit(137);
    }

private:
    std::size_t n_;
};

// Ends the process with status 137 (kill -9) when everything is written, before the commit.
class crash_before_commit : public ngxconf::save_observer {
public:
    void before_commit() override { ::_exit(137); }
};

// At the commit point: ends the process with status 137 (kill -9), or throws.
class at_commit : public ngxconf::save_observer {
public:
    explicit at_commit(bool crash) : crash_(crash) {}
    void after_commit() override {
        if (crash_) ::_exit(137);
        throw ngxconf::io_error(ngxconf::error_code::io_error, "injected after the commit");
    }

private:
    bool crash_;
};

// Runs fn in a forked child and returns its exit status and what it wrote to `out`.
struct child_result {
    int status = 0;
    std::string output;
};
template <class Fn>
child_result in_child(Fn fn) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        int code = 0;
        std::string msg;
        try {
            code = fn(msg);
        } catch (const std::exception& e) {
            msg = e.what();
            code = 100;
        } catch (...) {
            code = 101;
        }
        (void)!::write(fds[1], msg.data(), msg.size());
        ::_exit(code);
    }
    ::close(fds[1]);
    child_result r;
    char buf[4096];
    for (;;) {
        const auto n = ::read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        r.output.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    REQUIRE(::waitpid(pid, &r.status, 0) == pid);
    return r;
}

int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

// Drops to nobody (65534) like `setpriv --reuid=65534 --regid=65534 --clear-groups`, if root.
bool drop_to_nobody() {
    if (!is_root()) return true;
    return ::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0;
}

// The state dir must exist; it stays empty until a transaction commits.
ngxconf::transaction_options txn(const temp_dir& dir) {
    ngxconf::transaction_options o;
    o.state_dir = dir / "state";
    fs::create_directories(o.state_dir);
    return o;
}

const std::vector<std::string> nothing{};
const std::vector<std::string> state_folder_only{ngxconf::state_folder_name};

bool no_temp_files(const fs::path& dir) {
    for (const auto& n : names_in(dir)) {
        if (n.size() > 7 && n[0] == '.' && n[n.size() - 7] == '.') return false;  // .NAME.XXXXXX
    }
    return true;
}

}  // namespace

TEST_CASE("write_file_atomic creates a file and replaces one keeping mode and owner", "[save]") {
    temp_dir dir;
    const auto file = dir / "site.conf";

    ngxconf::write_file_atomic(file, "server {}\n");
    CHECK(test::read_file(file) == "server {}\n");
    CHECK(mode_of(file) == 0644);
    CHECK(stat_of(file).st_uid == stat_of(dir.path()).st_uid);

    REQUIRE(::chmod(file.c_str(), 0640) == 0);
    give(file, 1234, 2345);
    const auto inode = stat_of(file).st_ino;
    ngxconf::write_file_atomic(file, "server { listen 443; }\n");
    CHECK(test::read_file(file) == "server { listen 443; }\n");
    CHECK(mode_of(file) == 0640);
    CHECK(stat_of(file).st_ino != inode);  // replaced by rename, not rewritten in place
    if (is_root()) {
        CHECK(stat_of(file).st_uid == 1234);
        CHECK(stat_of(file).st_gid == 2345);
    }
    CHECK(names_in(dir.path()) == std::vector<std::string>{"site.conf"});

    SECTION("with a backup of the previous bytes") {
        ngxconf::write_options o;
        o.backup = true;
        ngxconf::write_file_atomic(file, "new\n", o);
        CHECK(test::read_file(file) == "new\n");
        CHECK(test::read_file(dir / "site.conf.bak") == "server { listen 443; }\n");
        CHECK(mode_of(dir / "site.conf.bak") == 0640);
    }
    SECTION("empty bytes and setgid bits are kept as they are") {
        REQUIRE(::chmod(file.c_str(), 02640) == 0);
        ngxconf::write_file_atomic(file, "");
        CHECK(test::read_file(file).empty());
        CHECK(mode_of(file) == 02640);
    }
}

TEST_CASE("write_file_atomic through a symlink updates the target and keeps the link", "[save]") {
    temp_dir dir;
    fs::create_directory(dir / "real");
    put(dir / "real" / "target.conf", "old\n", 0600);
    fs::create_symlink("real/target.conf", dir / "link.conf");

    ngxconf::write_file_atomic(dir / "link.conf", "new\n");
    CHECK(fs::is_symlink(dir / "link.conf"));
    CHECK(fs::read_symlink(dir / "link.conf") == "real/target.conf");
    CHECK(test::read_file(dir / "real" / "target.conf") == "new\n");
    CHECK(mode_of(dir / "real" / "target.conf") == 0600);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"link.conf", "real"});
    CHECK(names_in(dir / "real") == std::vector<std::string>{"target.conf"});

    SECTION("a dangling link gets its target created") {
        fs::create_symlink("real/made.conf", dir / "dangling.conf");
        ngxconf::write_file_atomic(dir / "dangling.conf", "made\n");
        CHECK(fs::is_symlink(dir / "dangling.conf"));
        CHECK(test::read_file(dir / "real" / "made.conf") == "made\n");
    }
}

TEST_CASE("a new file takes the owner and mode of the folder's first *.conf file", "[save]") {
    temp_dir dir;
    put(dir / "b.conf", "b\n", 0600);
    give(dir / "b.conf", 111, 222);
    put(dir / "a.conf", "a\n", 0640);
    give(dir / "a.conf", 333, 444);
    put(dir / ".hidden.conf", "h\n", 0666);      // hidden: not matched by *.conf
    put(dir / "0-notes.txt", "n\n", 0604);       // not a .conf file
    fs::create_symlink("b.conf", dir / "0.conf");  // not a regular file

    ngxconf::write_file_atomic(dir / "new.conf", "n\n");
    CHECK(mode_of(dir / "new.conf") == 0640);
    if (is_root()) {
        CHECK(stat_of(dir / "new.conf").st_uid == 333);
        CHECK(stat_of(dir / "new.conf").st_gid == 444);
    }

    SECTION("without one: 0644 and the folder's owner") {
        fs::create_directory(dir / "empty");
        give(dir / "empty", 555, 666);
        put(dir / "empty" / "readme.txt", "x\n", 0600);
        ngxconf::write_file_atomic(dir / "empty" / "x.conf", "x\n");
        CHECK(mode_of(dir / "empty" / "x.conf") == 0644);
        if (is_root()) {
            CHECK(stat_of(dir / "empty" / "x.conf").st_uid == 555);
            CHECK(stat_of(dir / "empty" / "x.conf").st_gid == 666);
        }
    }
}

TEST_CASE("a failing write leaves the original intact and no temporary file", "[save]") {
    temp_dir dir;
    const auto file = dir / "x.conf";
    put(file, "original\n", 0640);
    failing_write fail("*");
    ngxconf::write_options opts;
    opts.hooks = &fail;
    try {
        ngxconf::write_file_atomic(file, "replacement\n", opts);
        FAIL("no exception");
    } catch (const ngxconf::io_error& e) {
        CHECK(e.code() == ngxconf::error_code::io_error);
        CHECK(e.where().file == file.string());
    }
    CHECK(test::read_file(file) == "original\n");
    CHECK(mode_of(file) == 0640);
    CHECK_THROWS_AS(ngxconf::write_file_atomic(dir / "new.conf", "n\n", opts), ngxconf::io_error);
    CHECK(names_in(dir.path()) == std::vector<std::string>{"x.conf"});
}

TEST_CASE("a read-only folder or file is refused with a clear error", "[save]") {
    temp_dir dir;
    REQUIRE(::chmod(dir.path().c_str(), 0755) == 0);  // nobody must reach the folders below
    fs::create_directory(dir / "ro");
    put(dir / "ro" / "x.conf", "x\n", 0644);
    give(dir / "ro" / "x.conf", 65534, 65534);
    give(dir / "ro", 65534, 65534);
    REQUIRE(::chmod((dir / "ro").c_str(), 0555) == 0);
    fs::create_directory(dir / "rw");
    put(dir / "rw" / "y.conf", "y\n", 0444);
    give(dir / "rw" / "y.conf", 65534, 65534);
    give(dir / "rw", 65534, 65534);
    REQUIRE(::chmod((dir / "rw").c_str(), 0755) == 0);

    const auto attempt = [&](const fs::path& target) {
        return in_child([&](std::string& msg) {
            if (!drop_to_nobody()) {
                msg = "cannot drop privileges";
                return 2;
            }
            try {
                ngxconf::write_file_atomic(target, "changed\n");
            } catch (const ngxconf::io_error& e) {
                msg = std::string(ngxconf::to_string(e.code())) + " " + e.where().file;
                return 1;
            }
            return 0;
        });
    };

    SECTION("a read-only folder") {
        const auto r = attempt(dir / "ro" / "x.conf");
        INFO(r.output);
        CHECK(exit_code(r.status) == 1);
        CHECK(r.output == "io.error " + (dir / "ro" / "x.conf").string());
        CHECK(test::read_file(dir / "ro" / "x.conf") == "x\n");
        CHECK(names_in(dir / "ro") == std::vector<std::string>{"x.conf"});
    }
    SECTION("a read-only file in a writable folder") {
        const auto r = attempt(dir / "rw" / "y.conf");
        INFO(r.output);
        CHECK(exit_code(r.status) == 1);
        CHECK(r.output == "io.error " + (dir / "rw" / "y.conf").string());
        CHECK(test::read_file(dir / "rw" / "y.conf") == "y\n");
        CHECK(mode_of(dir / "rw" / "y.conf") == 0444);
        CHECK(names_in(dir / "rw") == std::vector<std::string>{"y.conf"});
    }
}

TEST_CASE("apply_changes writes every file then runs the validation command then drops the journal",
          "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf", b = dir / "b.conf";
    put(a, "A0\n", 0640);
    auto opts = txn(dir);
    opts.validate_command = "cat '" + a.string() + "' '" + b.string() + "'; echo warn >&2";
    const auto r = ngxconf::apply_changes({{a, "A1\n", "A0\n"}, {b, "B1\n", std::nullopt}}, opts);
    CHECK(r.written == std::vector<fs::path>{a, b});
    CHECK(r.validate_output == "A1\nB1\nwarn\n");
    CHECK(test::read_file(a) == "A1\n");
    CHECK(test::read_file(b) == "B1\n");
    CHECK(mode_of(a) == 0640);
    CHECK(mode_of(b) == 0640);  // a new file like its folder's first *.conf
    CHECK(names_in(dir / "state") == state_folder_only);
    CHECK(names_in(dir / "state" / ngxconf::state_folder_name) == std::vector<std::string>{"history"});
    CHECK(no_temp_files(dir.path()));

    SECTION("backups hold the previous bytes") {
        opts.write.backup = true;
        ngxconf::apply_changes({{a, "A2\n", "A1\n"}}, opts);
        CHECK(test::read_file(a) == "A2\n");
        CHECK(test::read_file(dir / "a.conf.bak") == "A1\n");
    }
    SECTION("nothing to change") {
        CHECK(ngxconf::apply_changes({}, opts).written.empty());
    }
    SECTION("the same file twice (through a link) is a usage error") {
        fs::create_symlink("a.conf", dir / "alias.conf");
        CHECK_THROWS_AS(ngxconf::apply_changes({{a, "x", "A1\n"}, {dir / "alias.conf", "y", "A1\n"}}, opts),
                        ngxconf::usage_error);
        CHECK(test::read_file(a) == "A1\n");
    }
    SECTION("a state_dir is required") {
        CHECK_THROWS_AS(ngxconf::apply_changes({{a, "x", "A1\n"}}, {}), ngxconf::usage_error);
    }
}

TEST_CASE("apply_changes refuses files changed on disk and writes nothing", "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf", n = dir / "n.conf";
    put(a, "edited by someone else\n");
    const auto inode = stat_of(a).st_ino;
    const auto refused = [&](const std::vector<ngxconf::file_change>& changes) {
        try {
            ngxconf::apply_changes(changes, txn(dir));
        } catch (const ngxconf::io_error& e) {
            CHECK(e.code() == ngxconf::error_code::modified_on_disk);
            return e.where().file;
        }
        FAIL("no exception");
        return std::string();
    };
    // changed, created and deleted since read: each refusal names its file
    CHECK(refused({{n, "N\n", std::nullopt}, {a, "A1\n", "A0\n"}}) == a.string());
    CHECK(refused({{a, "A1\n", std::nullopt}}) == a.string());
    CHECK(refused({{n, "N\n", "N0\n"}}) == n.string());
    CHECK(test::read_file(a) == "edited by someone else\n");
    CHECK(stat_of(a).st_ino == inode);
    CHECK_FALSE(exists_l(n));
    CHECK(names_in(dir / "state") == nothing);
}

TEST_CASE("a failing validation command restores every file exactly", "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf", c = dir / "c.conf", n = dir / "n.conf";
    put(a, "A0\r\nno final newline", 0640);
    give(a, 1234, 2345);
    put(c, "C0\n", 0600);
    auto opts = txn(dir);
    opts.validate_command = "cat '" + a.string() + "'; echo ' nginx: [emerg] bad' >&2; false";
    try {
        ngxconf::apply_changes({{a, "A1", "A0\r\nno final newline"},
                                {n, "N1\n", std::nullopt},
                                {c, "C0\n", "C0\n"}},
                               opts);
        FAIL("no exception");
    } catch (const ngxconf::io_error& e) {
        CHECK(e.code() == ngxconf::error_code::validation_failed);
        // the command saw the new bytes; its output (bytes it wrote) is in the message
        CHECK_THAT(std::string(e.description()), Catch::Contains("A1 nginx: [emerg] bad"));
    }
    CHECK(test::read_file(a) == "A0\r\nno final newline");
    CHECK(mode_of(a) == 0640);
    if (is_root()) {
        CHECK(stat_of(a).st_uid == 1234);
        CHECK(stat_of(a).st_gid == 2345);
    }
    CHECK(test::read_file(c) == "C0\n");
    CHECK(mode_of(c) == 0600);
    CHECK_FALSE(exists_l(n));
    CHECK(names_in(dir / "state") == nothing);
    CHECK(no_temp_files(dir.path()));
}

TEST_CASE("a failed validation is named by validate_name when the caller gives one",
          "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf";
    put(a, "A0\n", 0640);
    auto opts = txn(dir);
    opts.validate_command = "exit 1  # wrapper-internal-line";
    opts.validate_name = "nginx -t in container swag";
    try {
        ngxconf::apply_changes({{a, "A1\n", "A0\n"}}, opts);
        FAIL("no exception");
    } catch (const ngxconf::io_error& e) {
        CHECK(e.code() == ngxconf::error_code::validation_failed);
        CHECK_THAT(std::string(e.description()), Catch::Contains("(nginx -t in container swag)"));
        CHECK_THAT(std::string(e.description()), !Catch::Contains("wrapper-internal-line"));
    }
    CHECK(test::read_file(a) == "A0\n");
}

TEST_CASE("a validation command that does not finish is killed and rolled back",
          "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf";
    put(a, "A0\n", 0640);
    auto opts = txn(dir);
    // The shell's background child keeps the output pipe open after the shell is killed:
    // only killing the whole process group ends the wait.
    opts.validate_command = "echo started; sleep 30 & sleep 30";
    opts.validate_timeout = std::chrono::milliseconds(300);
    const auto t0 = std::chrono::steady_clock::now();
    try {
        ngxconf::apply_changes({{a, "A1\n", "A0\n"}}, opts);
        FAIL("no exception");
    } catch (const ngxconf::io_error& e) {
        CHECK(e.code() == ngxconf::error_code::validation_failed);
        // what the command printed before it was killed is in the message
        CHECK_THAT(std::string(e.description()), Catch::Contains("started"));
    }
    // Far below the commands' own 30 s: the timeout, not the commands, ended the run.
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20));
    CHECK(test::read_file(a) == "A0\n");
    CHECK(mode_of(a) == 0640);
    CHECK(no_temp_files(dir.path()));
}

TEST_CASE("a failing write of a later file restores the earlier ones", "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf", b = dir / "b.conf", n = dir / "n.conf";
    put(a, "A0\n", 0640);
    put(b, "B0\n", 0600);
    failing_write fail("b.conf");
    auto opts = txn(dir);
    opts.write.hooks = &fail;
    try {
        ngxconf::apply_changes({{a, "A1\n", "A0\n"}, {n, "N1\n", std::nullopt}, {b, "B1\n", "B0\n"}},
                               opts);
        FAIL("no exception");
    } catch (const ngxconf::io_error& e) {
        CHECK(e.code() == ngxconf::error_code::io_error);
        CHECK(e.where().file == b.string());
    }
    CHECK(test::read_file(a) == "A0\n");
    CHECK(mode_of(a) == 0640);
    CHECK(test::read_file(b) == "B0\n");
    CHECK_FALSE(exists_l(n));
    CHECK(names_in(dir.path()) == std::vector<std::string>{"a.conf", "b.conf", "state"});
    CHECK(names_in(dir / "state") == nothing);
}

TEST_CASE("a lock held by another process fails at once or is waited for", "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf";
    put(a, "A0\n");
    fs::create_directory(dir / "state");
    const auto lock_path = dir / "state";  // the state dir itself is locked

    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int fd = ::open(lock_path.c_str(), O_RDONLY | O_DIRECTORY);
        if (fd < 0 || ::flock(fd, LOCK_EX) != 0) ::_exit(1);
        (void)!::write(ready[1], "x", 1);
        ::usleep(600 * 1000);
        ::_exit(0);  // releases the lock
    }
    ::close(ready[1]);
    char c = 0;
    REQUIRE(::read(ready[0], &c, 1) == 1);
    ::close(ready[0]);

    try {
        auto at_once = txn(dir);
        at_once.lock_timeout = std::chrono::milliseconds(0);
        ngxconf::apply_changes({{a, "A1\n", "A0\n"}}, at_once);
        FAIL("no exception");
    } catch (const ngxconf::io_error& e) {
        CHECK(e.code() == ngxconf::error_code::locked);
        CHECK(e.where().file == lock_path.string());
    }
    try {
        (void)ngxconf::recover_interrupted(dir / "state");
        FAIL("no exception");
    } catch (const ngxconf::io_error& e) {
        CHECK(e.code() == ngxconf::error_code::locked);
    }
    CHECK(test::read_file(a) == "A0\n");

    auto opts = txn(dir);
    opts.wait_for_lock = true;
    ngxconf::apply_changes({{a, "A1\n", "A0\n"}}, opts);  // once the child exits
    CHECK(test::read_file(a) == "A1\n");
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(exit_code(status) == 0);
}

TEST_CASE("a run killed between the files of a transaction is rolled back", "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf", b = dir / "b.conf", n = dir / "n.conf";
    put(a, "A0\n", 0640);
    give(a, 1234, 2345);
    put(b, "B0\n", 0600);
    const std::vector<ngxconf::file_change> changes{
        {a, "A1\n", "A0\n"}, {n, "N1\n", std::nullopt}, {b, "B1\n", "B0\n"}};

    const auto killed_after = [&](std::size_t renames) {
        const auto r = in_child([&](std::string&) {
            crash_after_renames crash(renames);
            auto opts = txn(dir);
            opts.write.hooks = &crash;
            opts.validate_command = "true";
            ngxconf::apply_changes(changes, opts);
            return 0;
        });
        INFO(r.output);
        REQUIRE(exit_code(r.status) == 137);
        REQUIRE(exists_l(dir / "state" / ngxconf::state_folder_name / "journal" / "manifest"));
    };

    SECTION("recover_interrupted puts the originals back") {
        killed_after(1);
        CHECK(test::read_file(a) == "A1\n");  // killed after the first rename
        CHECK_FALSE(exists_l(n));
        CHECK(test::read_file(b) == "B0\n");
        const auto restored = ngxconf::recover_interrupted(dir / "state");
        CHECK(restored == std::vector<fs::path>{a});
        CHECK(test::read_file(a) == "A0\n");
        CHECK(mode_of(a) == 0640);
        if (is_root()) CHECK(stat_of(a).st_uid == 1234);
        CHECK(test::read_file(b) == "B0\n");
        CHECK_FALSE(exists_l(dir / "state" / ngxconf::state_folder_name / "journal"));
        CHECK(ngxconf::recover_interrupted(dir / "state").empty());
    }
    SECTION("the next apply_changes recovers first") {
        killed_after(2);
        CHECK(test::read_file(a) == "A1\n");
        CHECK(test::read_file(n) == "N1\n");
        ngxconf::apply_changes({{b, "B2\n", "B0\n"}}, txn(dir));
        CHECK(test::read_file(a) == "A0\n");
        CHECK_FALSE(exists_l(n));
        CHECK(test::read_file(b) == "B2\n");
        CHECK(names_in(dir / "state" / ngxconf::state_folder_name) == std::vector<std::string>{"history"});
    }
    CHECK(no_temp_files(dir.path()));
}

TEST_CASE("a run that ends after the commit point stays committed", "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf", n = dir / "n.conf";
    put(a, "A0\n", 0640);
    const std::vector<ngxconf::file_change> changes{{a, "A1\n", "A0\n"}, {n, "N1\n", std::nullopt}};
    const auto state = dir / "state" / ngxconf::state_folder_name;

    SECTION("killed: the journal stays, the next run drops it without replaying it") {
        const auto r = in_child([&](std::string&) {
            at_commit crash(true);
            auto opts = txn(dir);
            opts.write.hooks = &crash;
            ngxconf::apply_changes(changes, opts);
            return 0;
        });
        INFO(r.output);
        REQUIRE(exit_code(r.status) == 137);
        REQUIRE(exists_l(state / "journal" / "manifest"));
    }
    SECTION("an exception there is ignored, the journal is left for the next run") {
        at_commit fail(false);
        auto opts = txn(dir);
        opts.write.hooks = &fail;
        const auto result = ngxconf::apply_changes(changes, opts);
        CHECK(result.history_id == 1);
        CHECK(result.written.size() == 2);
        CHECK(exists_l(state / "journal" / "manifest"));
    }
    CHECK(ngxconf::recover_interrupted(dir / "state").empty());
    CHECK(test::read_file(a) == "A1\n");
    CHECK(mode_of(a) == 0640);
    CHECK(test::read_file(n) == "N1\n");
    CHECK(names_in(state) == std::vector<std::string>{"history"});
    const auto history = ngxconf::read_history(dir / "state");
    REQUIRE(history.size() == 1);
    CHECK(history[0].files.size() == 2);
    CHECK(no_temp_files(dir.path()));
}

TEST_CASE("a run killed while staging its history entry is rolled back without a trace",
          "[save][transaction]") {
    temp_dir dir;
    const auto a = dir / "a.conf";
    put(a, "A0\n", 0640);
    const auto state = dir / "state" / ngxconf::state_folder_name;
    const bool earlier_commit = GENERATE(false, true);
    if (earlier_commit) ngxconf::apply_changes({{dir / "b.conf", "B\n", std::nullopt}}, txn(dir));
    // Killed at the last step before the history entry is staged; the staging's first steps
    // (the history folder, a partial history/new-XXXXXX) are then played by hand.
    const auto r = in_child([&](std::string&) {
        crash_before_commit crash;
        auto opts = txn(dir);
        opts.write.hooks = &crash;
        ngxconf::apply_changes({{a, "A1\n", "A0\n"}}, opts);
        return 0;
    });
    INFO(r.output);
    REQUIRE(exit_code(r.status) == 137);
    fs::create_directories(state / "history" / "new-Ab12Cd");
    put(state / "history" / "new-Ab12Cd" / "before-0", "A0\n");

    CHECK(ngxconf::recover_interrupted(dir / "state") == std::vector<fs::path>{a});
    CHECK(test::read_file(a) == "A0\n");
    if (earlier_commit) {
        CHECK(names_in(state / "history").size() == 1);  // the committed entry only
        CHECK(ngxconf::read_history(dir / "state").size() == 1);
    } else {
        CHECK_FALSE(exists_l(state));  // the dead run created it: nothing of it is left
    }
}

TEST_CASE("recover_interrupted without a journal", "[save][transaction]") {
    temp_dir dir;
    CHECK(ngxconf::recover_interrupted(dir / "no-such-state").empty());
    CHECK_FALSE(exists_l(dir / "no-such-state"));
    const auto state = dir / "state" / ngxconf::state_folder_name;
    fs::create_directories(state);
    // a journal a run died while writing: nothing was renamed yet, so nothing to restore
    fs::create_directory(state / "journal.new-Ab12Cd");
    put(state / "journal.new-Ab12Cd" / "0", "partial");
    CHECK(ngxconf::recover_interrupted(dir / "state").empty());
    CHECK(names_in(state) == nothing);

    SECTION("a damaged journal is reported and kept") {
        fs::create_directory(state / "journal");
        put(state / "journal" / "manifest", "ngxconf-journal 2\nid 1\nentries 1\n1 644");
        try {
            (void)ngxconf::recover_interrupted(dir / "state");
            FAIL("no exception");
        } catch (const ngxconf::io_error& e) {
            CHECK(e.code() == ngxconf::error_code::io_error);
            CHECK(e.where().file == (state / "journal" / "manifest").string());
        }
        CHECK(exists_l(state / "journal" / "manifest"));
    }
}
