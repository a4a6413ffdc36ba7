// Hostile input: huge, deep, binary or strange files. Each case runs in a forked child under
// setrlimit limits (RLIMIT_AS for memory, RLIMIT_CPU for time); staying within them is the
// pass/fail, not a wall-clock assert. An alarm is only a backstop against a child blocked
// without using CPU (a FIFO read). Each case prints its figures: input size, CPU time used and
// peak RSS (getrusage of the child).
//
// A case may also run on a thread with a given stack size (limits::stack): a stack overflow
// then hits the guard page below that stack and kills the child with SIGSEGV, whatever
// RLIMIT_STACK the test runner inherited (setrlimit in a forked child would not shrink the
// main thread's stack reliably, and `ulimit -s unlimited` would lift it).
//
// Tagged [hostile] and hidden: run by the `hostile` ctest (tests/register_hostile.cmake).
// Inputs are generated at run time in a temporary folder.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <ngxconf/workspace.hpp>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>

#include "mem/sanitizer.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

constexpr bool sanitized = ngxconf::detail::address_sanitizer;

constexpr std::uint64_t MiB = 1024 * 1024;

struct limits {
    std::uint64_t memory = 0;    // RLIMIT_AS in bytes (not applied under ASan: its shadow
                                 // memory reserves terabytes of address space)
    unsigned cpu_seconds = 0;    // RLIMIT_CPU (scaled up under sanitizers)
    unsigned backstop_seconds = 600;  // SIGALRM: only for a child blocked without using CPU
    std::uint64_t stack = 0;     // run the body on a thread with this stack (0: the main thread)
};

// test::temp_dir, with `path` as the cases below spell it.
struct temp_dir {
    test::temp_dir dir{"hostile"};
    const fs::path& path = dir.path();
};

// FNV-1a over a stream of bytes: compares printed output with a file without a second copy.
struct fnv {
    std::uint64_t h = 1469598103934665603ull;
    std::uint64_t n = 0;
    void add(std::string_view s) {
        for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        n += s.size();
    }
};

class hashing_buf : public std::streambuf {
public:
    fnv sum;

protected:
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) {
            const char ch = traits_type::to_char_type(c);
            sum.add(std::string_view(&ch, 1));
        }
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        sum.add(std::string_view(s, static_cast<std::size_t>(n)));
        return n;
    }
};

// Prints the document into a hash: same bytes as the file iff same sum and length.
void require_prints_back(const ngxconf::document& doc, const fnv& file) {
    hashing_buf buf;
    std::ostream out(&buf);
    ngxconf::print(doc, out);
    if (buf.sum.n != file.n || buf.sum.h != file.h) {
        throw std::runtime_error("printed " + std::to_string(buf.sum.n) +
                                 " bytes that differ from the " + std::to_string(file.n) +
                                 " bytes of the input");
    }
}

// Writes `chunk` repeatedly until `size` bytes, then `tail`; returns the sum of the file.
fnv write_repeated(const fs::path& p, std::string_view chunk, std::uint64_t size,
                   std::string_view tail = {}) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    fnv sum;
    std::string block;
    while (block.size() < MiB) block.append(chunk);
    std::uint64_t written = 0;
    while (written + block.size() <= size) {
        out.write(block.data(), static_cast<std::streamsize>(block.size()));
        sum.add(block);
        written += block.size();
    }
    while (written + chunk.size() <= size) {
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        sum.add(chunk);
        written += chunk.size();
    }
    out.write(tail.data(), static_cast<std::streamsize>(tail.size()));
    sum.add(tail);
    REQUIRE(out.flush());
    return sum;
}

void write_file(const fs::path& p, std::string_view bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.flush());
}

fnv write_string(const fs::path& p, std::string_view bytes) {
    write_file(p, bytes);
    fnv sum;
    sum.add(bytes);
    return sum;
}

std::string signal_name(int sig) {
    switch (sig) {
        case SIGXCPU: return "SIGXCPU (CPU limit)";
        case SIGKILL: return "SIGKILL (CPU hard limit or OOM)";
        case SIGSEGV: return "SIGSEGV (stack overflow or bad access)";
        case SIGABRT: return "SIGABRT";
        case SIGALRM: return "SIGALRM (blocked past the backstop)";
        default: return "signal " + std::to_string(sig);
    }
}

// What a case body gave: its note, or a failure message and exit code.
struct body_outcome {
    std::string msg;
    int code = 0;
};

body_outcome run_body(const std::function<std::string()>& body) {
    body_outcome r;
    try {
        r.msg = body();
    } catch (const std::bad_alloc&) {
        r = {"out of memory (std::bad_alloc) within the memory limit", 3};
    } catch (const std::exception& e) {
        r = {e.what(), 1};
    } catch (...) {
        r = {"unknown exception", 2};
    }
    return r;
}

// run_body on a new thread whose stack is `bytes` long (its guard page below it).
body_outcome run_body_on_stack(const std::function<std::string()>& body, std::uint64_t bytes) {
    struct job {
        const std::function<std::string()>* body;
        body_outcome out;
    } j{&body, {}};
    pthread_attr_t attr;
    pthread_t thread;
    if (::pthread_attr_init(&attr) != 0 ||
        ::pthread_attr_setstacksize(&attr, static_cast<std::size_t>(bytes)) != 0) {
        return {"pthread_attr_setstacksize failed", 4};
    }
    auto entry = [](void* p) -> void* {
        auto* jp = static_cast<job*>(p);
        jp->out = run_body(*jp->body);
        return nullptr;
    };
    const int made = ::pthread_create(&thread, &attr, entry, &j);
    ::pthread_attr_destroy(&attr);
    if (made != 0) return {"pthread_create failed", 4};
    ::pthread_join(thread, nullptr);
    return j.out;
}

// Runs `body` in a child under `lim`. The body returns a note to print, or throws on failure.
void run_limited(const std::string& name, std::uint64_t input_bytes, limits lim,
                 const std::function<std::string()>& body) {
    const unsigned cpu = sanitized ? lim.cpu_seconds * 5 : lim.cpu_seconds;
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::cout.flush();
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        if (lim.memory && !sanitized) {
            const rlimit as{lim.memory, lim.memory};
            ::setrlimit(RLIMIT_AS, &as);
        }
        if (cpu) {
            const rlimit c{cpu, cpu + 1};
            ::setrlimit(RLIMIT_CPU, &c);
        }
        ::alarm(lim.backstop_seconds);
        const auto [msg, code] = lim.stack ? run_body_on_stack(body, lim.stack) : run_body(body);
        std::string_view rest = msg;
        while (!rest.empty()) {
            const auto n = ::write(fds[1], rest.data(), rest.size());
            if (n <= 0) break;
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
        ::_exit(code);
    }
    ::close(fds[1]);
    std::string msg;
    char buf[4096];
    for (;;) {
        const auto n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        msg.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    rusage ru{};
    while (::wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    const double cpu_used = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    const double rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB

    std::ostringstream line;
    line.setf(std::ios::fixed);
    line.precision(2);
    line << "hostile: " << name << ": input " << input_bytes << " bytes, CPU " << cpu_used
         << " s (limit " << cpu << " s), peak RSS " << rss_mb << " MiB (limit ";
    if (lim.memory && !sanitized) {
        line << lim.memory / MiB << " MiB";
    } else {
        line << (sanitized ? "none under ASan" : "none");
    }
    line << ")";
    if (lim.stack) line << ", on a " << lim.stack / 1024 << " KiB stack";
    if (WIFSIGNALED(status)) {
        line << ": killed by " << signal_name(WTERMSIG(status));
    } else if (WEXITSTATUS(status) != 0) {
        line << ": FAILED: " << msg;
    } else if (!msg.empty()) {
        line << ": " << msg;
    }
    std::cout << line.str() << std::endl;
    INFO(line.str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

void expect(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error(what);
}

// Parses and expects a parse_error with a position; returns "code line:col message".
std::string expect_parse_error(const std::function<void()>& parse, ngxconf::error_code code,
                               std::uint32_t line = 0) {
    try {
        parse();
    } catch (const ngxconf::parse_error& e) {
        std::string what = e.what();
        if (what.size() > 160) what = what.substr(0, 160) + "...";
        expect(e.code() == code, "wrong error code " + std::to_string(static_cast<int>(e.code())) +
                                     ": " + what);
        expect(e.where().begin.line >= 1, "error without a line: " + what);
        if (line) {
            expect(e.where().begin.line == line, "error at line " +
                                                     std::to_string(e.where().begin.line) +
                                                     ", expected " + std::to_string(line) + ": " + what);
        }
        return "error as expected: " + what;
    }
    throw std::runtime_error("parsed without the expected error");
}

// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= s.size()) return false;
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3Fu);
        }
        static constexpr std::uint32_t min_for[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_for[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n + 1;
    }
    return true;
}

// A SWAG-like server block: comments, disabled directives, quotes, nesting, blank lines.
constexpr std::string_view server_block =
    "## Version 2024/07/16\n"
    "server {\n"
    "    listen 443 ssl;\n"
    "#    listen 443 quic;\n"
    "    server_name radarr.*;\n"
    "    include /config/nginx/ssl.conf;\n"
    "\n"
    "    # enable for Authentik (requires authentik-location.conf in the location block)\n"
    "    #include /config/nginx/authentik-server.conf;\n"
    "    location / {\n"
    "        #auth_basic \"Restricted\";\n"
    "        include /config/nginx/proxy.conf; # end-of-line comment\n"
    "        set $upstream_app radarr;\n"
    "        add_header X-Frame \"SAMEORIGIN\" always;\n"
    "        if ($host ~* \"^(a|b){1,3}$\") { return 403; }\n"
    "        proxy_pass http://$upstream_app:7878;\n"
    "    }\n"
    "}\n"
    "\n";

}  // namespace

TEST_CASE("hostile: a 100 MB valid file parses and prints back within limits", "[.][hostile]") {
    temp_dir dir;
    const auto p = dir.path / "big.conf";
    const auto sum = write_repeated(p, server_block, 100 * MiB);
    run_limited("100 MB valid file", sum.n, {.memory = 1536 * MiB, .cpu_seconds = 60}, [&] {
        const auto doc = ngxconf::parse_file(p);
        require_prints_back(doc, sum);
        std::size_t top = doc.root().size();
        return "parsed, printed back byte-exact; " + std::to_string(top) + " top-level nodes";
    });
}

TEST_CASE("hostile: a single 10 MB line", "[.][hostile]") {
    temp_dir dir;
    // One directive with 5 million arguments, all on one line.
    const auto args = dir.path / "args.conf";
    std::string line = "add_header";
    while (line.size() < 10 * MiB) line += " a";
    const auto n_args = (line.size() - 10) / 2;
    line += ";\n";
    const auto args_sum = write_string(args, line);
    line = {};
    run_limited("10 MB line of arguments", args_sum.n, {.memory = 1024 * MiB, .cpu_seconds = 30}, [&] {
        const auto doc = ngxconf::parse_file(args);
        require_prints_back(doc, args_sum);
        const auto d = doc.root().first_child().as_directive();
        expect(static_cast<bool>(d), "no directive");
        const auto n = d.arg_count();
        expect(n == n_args, "arg_count " + std::to_string(n) + ", expected " + std::to_string(n_args));
        expect(d.arg(n - 1) == "a", "last argument");
        return "parsed, printed back, " + std::to_string(n) + " arguments";
    });

    // One 10 MB word: nginx's 4096-byte rule rejects it at its first byte; without the rule it
    // parses (and prints back).
    const auto word = dir.path / "word.conf";
    const auto wsum = write_repeated(word, "x", 10 * MiB, ";\n");
    run_limited("10 MB single word", wsum.n, {.memory = 1024 * MiB, .cpu_seconds = 30}, [&] {
        auto note = expect_parse_error([&] { (void)ngxconf::parse_file(word); },
                                       ngxconf::error_code::too_long_parameter, 1);
        const auto doc = ngxconf::parse_file(word, {.nginx_length_limit = false});
        require_prints_back(doc, wsum);
        return note + "; without the limit: parsed and printed back";
    });
}

TEST_CASE("hostile: 1 000 000 nested blocks give the nesting error", "[.][hostile]") {
    temp_dir dir;
    const auto p = dir.path / "deep.conf";
    const auto sum = write_repeated(p, "a {\n", 4 * 1000000);
    run_limited("1 000 000 nested `a {`", sum.n, {.memory = 512 * MiB, .cpu_seconds = 20}, [&] {
        // max_depth 256: the 257th '{' (line 257) is one too many.
        return expect_parse_error([&] { (void)ngxconf::parse_file(p); },
                                  ngxconf::error_code::nesting_too_deep, 257);
    });
    // The caller may raise max_depth: then a million levels must parse and print back
    // without overflowing the stack either (printing must not recurse on depth).
    const auto balanced = dir.path / "balanced.conf";
    fnv bal_sum;
    {
        std::string text;
        text.reserve(6 * 1000000);
        for (int i = 0; i < 1000000; ++i) text += "a {\n";
        for (int i = 0; i < 1000000; ++i) text += "}\n";
        bal_sum = write_string(balanced, text);
    }
    run_limited("1 000 000 nested blocks, max_depth raised", bal_sum.n,
                {.memory = 1024 * MiB, .cpu_seconds = 30}, [&] {
                    ngxconf::parse_options opts;
                    opts.max_depth = 2000000;
                    const auto doc = ngxconf::parse_file(balanced, opts);
                    require_prints_back(doc, bal_sum);
                    return std::string("parsed and printed back");
                });
    const auto braces = dir.path / "braces.conf";
    const auto bsum = write_repeated(braces, "{", 1000000);
    run_limited("1 000 000 bare `{`", bsum.n, {.memory = 512 * MiB, .cpu_seconds = 20}, [&] {
        return expect_parse_error([&] { (void)ngxconf::parse_file(braces); },
                                  ngxconf::error_code::unexpected_open_brace, 1);
    });
    // "$" then a million '{': one word to nginx (every '{' after "$" is kept).
    const auto dollar = dir.path / "dollar.conf";
    const auto dsum = write_string(dollar, "x $" + std::string(1000000, '{') + ";\n");
    run_limited("`x $` and 1 000 000 `{`", dsum.n, {.memory = 512 * MiB, .cpu_seconds = 20}, [&] {
        auto note = expect_parse_error([&] { (void)ngxconf::parse_file(dollar); },
                                       ngxconf::error_code::too_long_parameter, 1);
        const auto doc = ngxconf::parse_file(dollar, {.nginx_length_limit = false});
        expect(doc.root().first_child().as_directive().arg_count() == 1, "not one argument");
        return note + "; without the limit: one argument";
    });
}

namespace {

// `a {` on n lines, then `}` on n lines: n blocks, each the only child of the one above.
std::string nested_blocks(std::size_t n) {
    std::string text;
    text.reserve(6 * n);
    for (std::size_t i = 0; i < n; ++i) text += "a {\n";
    for (std::size_t i = 0; i < n; ++i) text += "}\n";
    return text;
}

// crossplane JSON of nested_blocks(n), built by hand.
std::string nested_blocks_json(std::size_t n, const std::string& file) {
    std::string out = "{\"status\":\"ok\",\"errors\":[],\"config\":[{\"file\":\"" + file +
                      "\",\"status\":\"ok\",\"errors\":[],\"parsed\":[";
    for (std::size_t i = 1; i <= n; ++i) {
        out += "{\"directive\":\"a\",\"line\":" + std::to_string(i) + ",\"args\":[],\"block\":[";
    }
    for (std::size_t i = 0; i < n; ++i) out += "]}";
    return out + "]}]}";
}

// The walkers that answer with counts and bytes, on nested_blocks(n) parsed from `p`.
std::string run_walkers_on_nested(const fs::path& p, std::size_t n, const fnv& sum) {
    ngxconf::parse_options opts;
    opts.max_depth = static_cast<std::uint32_t>(2 * n);
    auto doc = ngxconf::parse_file(p, opts);
    const auto all = ngxconf::find_all(doc.root(), "a", {.recursive = true});
    expect(all.size() == n, "find_all found " + std::to_string(all.size()));
    expect(ngxconf::find_first(doc.root(), "a", {.recursive = true}) == all.front(), "find_first");
    const auto sel = ngxconf::select(doc.root(), "a a a");
    expect(sel.size() == n - 2, "select found " + std::to_string(sel.size()));
    expect(sel.front() == all[2] && sel.back() == all.back(), "select: not in document order");
    expect(ngxconf::select(doc.root(), "a > a > a").size() == n - 2, "select with '>'");
    expect(ngxconf::to_crossplane_json(doc) == nested_blocks_json(n, p.string()), "JSON differs");
    {
        const auto parts = ngxconf::pieces(doc);
        expect(parts.size() == 6 * n, "pieces: " + std::to_string(parts.size()));  // a, ' ', {, LF, }, LF
        fnv joined;
        for (const auto& piece : parts) joined.add(piece.bytes);
        expect(joined.n == sum.n && joined.h == sum.h, "the pieces do not spell the file");
    }
    expect(ngxconf::validate(doc).empty(), "validate() found something");
    require_prints_back(doc, sum);
    return "find_all, find_first, select, JSON, pieces, validate, print: all " + std::to_string(n) +
           " levels";
}

// Edits the innermost block, re-indents the new line (depth x unit) and prints.
std::string edit_innermost_of_nested(const fs::path& p, std::size_t n) {
    ngxconf::parse_options opts;
    opts.max_depth = static_cast<std::uint32_t>(2 * n);
    auto doc = ngxconf::parse_file(p, opts);
    ngxconf::directive inner;
    ngxconf::walk(doc.root(), [&](ngxconf::walk_event e, const ngxconf::node& node) {
        if (e == ngxconf::walk_event::enter) inner = node.as_directive();
    });
    expect(static_cast<bool>(inner) && inner.body().empty(), "no innermost block");
    ngxconf::set_args(inner, {"deep"});
    ngxconf::set_arg(inner, 0, "deeper");
    (void)ngxconf::insert_directive(inner.body(), ngxconf::insert_at::last_child, "x", {"1"});
    ngxconf::reformat(doc.root());  // generated nodes only: the new line
    std::string expected;
    expected.reserve(11 * n);
    for (std::size_t i = 1; i < n; ++i) expected += "a {\n";
    expected += "a deeper {\n";
    for (std::size_t i = 0; i < n; ++i) expected += doc.style().indent_unit;
    expected += "x 1;\n";
    for (std::size_t i = 0; i < n; ++i) expected += "}\n";
    const auto printed = ngxconf::to_string(doc);
    expect(printed == expected, "the edited document prints " + std::to_string(printed.size()) +
                                    " bytes, expected " + std::to_string(expected.size()));
    return "set_args, set_arg, insert_directive, reformat, print at depth " + std::to_string(n);
}

// dump_tree of nested_blocks(n), built by hand: two spaces of indentation per level.
std::string nested_blocks_dump(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out.append(2 * i, ' ');
        out += "directive@" + std::to_string(4 * i) + ".." + std::to_string(4 * i + 4) +
               " \"a\" [] \"a {\\n\"\n";
    }
    for (std::size_t k = 0; k < n; ++k) {  // closes, innermost first
        const std::size_t at = 4 * n + 2 * k;
        out.append(2 * (n - 1 - k), ' ');
        out += "close@" + std::to_string(at) + ".." + std::to_string(at + 2) + " \"}\\n\"\n";
    }
    return out;
}

}  // namespace

TEST_CASE("hostile: every tree walker on 1 000 000 nested blocks, on an 8 MiB stack", "[.][hostile]") {
    constexpr std::size_t n = 1000000;
    temp_dir dir;
    const auto p = dir.path / "nested.conf";
    const auto sum = write_string(p, nested_blocks(n));
    run_limited("walkers on 1 000 000 nested blocks", sum.n,
                {.memory = 1024 * MiB, .cpu_seconds = 60, .stack = 8 * MiB},
                [&] { return run_walkers_on_nested(p, n, sum); });
    run_limited("edits in the innermost of 1 000 000 nested blocks", sum.n,
                {.memory = 1024 * MiB, .cpu_seconds = 60, .stack = 8 * MiB},
                [&] { return edit_innermost_of_nested(p, n); });
    // dump_tree indents each line by its depth: its output grows with the square of the depth
    // (4 TB for a million levels). 5 000 levels (50 MB of dump) on a 256 KiB stack.
    constexpr std::size_t m = 5000;
    const auto q = dir.path / "nested_dump.conf";
    const auto qsum = write_string(q, nested_blocks(m));
    run_limited("dump_tree of 5 000 nested blocks", qsum.n,
                {.memory = 1024 * MiB, .cpu_seconds = 30, .stack = 256 * 1024}, [&] {
                    ngxconf::parse_options opts;
                    opts.max_depth = 2 * m;
                    const auto doc = ngxconf::parse_file(q, opts);
                    expect(ngxconf::dump_tree(doc) == nested_blocks_dump(m), "dump_tree differs");
                    return std::string("dump_tree of 5 000 levels as expected");
                });
}

TEST_CASE("hostile: NUL bytes, invalid UTF-8 and random bytes", "[.][hostile]") {
    temp_dir dir;
    const auto nul = dir.path / "nul.conf";
    const auto nsum = write_repeated(nul, std::string_view("\0", 1), 10 * MiB);
    run_limited("10 MB of NUL bytes", nsum.n, {.memory = 512 * MiB, .cpu_seconds = 20}, [&] {
        auto note = expect_parse_error([&] { (void)ngxconf::parse_file(nul); },
                                       ngxconf::error_code::too_long_parameter, 1);
        // Without the length limit: one endless word, then the end of the file.
        note += "; " + expect_parse_error(
                           [&] { (void)ngxconf::parse_file(nul, {.nginx_length_limit = false}); },
                           ngxconf::error_code::eof_expecting_terminator, 1);
        return note;
    });

    // Invalid UTF-8 everywhere a byte can go, repeated to 10 MB: parses, prints back, JSON.
    const auto utf = dir.path / "utf8.conf";
    const std::string_view bad =
        "# \xff\xfe comment \xc3\x28 \xed\xa0\x80\n"
        "return 200 \xc0\xaf\xe2\x82;\n"
        "add_header \"\xf8\x88\x80\x80\x80\" '\xfe\xff';\n"
        "x\x80y \xf4\x90\x80\x80 {\n    \xc3 \xa9;\n}\n";
    const auto usum = write_repeated(utf, bad, 10 * MiB);
    run_limited("10 MB of invalid UTF-8", usum.n, {.memory = 1024 * MiB, .cpu_seconds = 30}, [&] {
        const auto doc = ngxconf::parse_file(utf);
        require_prints_back(doc, usum);
        ngxconf::json_options jopts;
        jopts.include_comments = true;
        const auto json = ngxconf::to_crossplane_json(doc, jopts);
        expect(valid_utf8(json), "the JSON output is not valid UTF-8");
        return "parsed, printed back; JSON " + std::to_string(json.size()) + " bytes, valid UTF-8";
    });

    // 10 MB of random bytes (fixed seed): an error with a position, or a byte-exact document.
    const auto rnd = dir.path / "random.conf";
    {
        std::mt19937_64 g(12345);
        std::string bytes(10 * MiB, '\0');
        for (auto& c : bytes) c = static_cast<char>(g() & 0xFF);
        write_file(rnd, bytes);
    }
    run_limited("10 MB of random bytes", 10 * MiB, {.memory = 1024 * MiB, .cpu_seconds = 30}, [&] {
        auto r = ngxconf::try_parse(test::read_file(rnd), "random.conf");
        if (r) return std::string("parsed");
        expect(r.error().where().begin.line >= 1, "error without a position");
        return "error as expected: " + std::string(r.error().what()).substr(0, 120);
    });
}

TEST_CASE("hostile: an unterminated quote at the end of a 10 MB file", "[.][hostile]") {
    temp_dir dir;
    const auto p = dir.path / "open_quote.conf";
    const auto sum = write_repeated(p, server_block, 10 * MiB, "return 200 \"never closed;\n}\n");
    // The last line of the file is line N (LF-counted): the quote opened on line N - 1.
    std::uint32_t lines = 0;
    {
        std::ifstream in(p, std::ios::binary);
        std::string s{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        for (const char c : s) lines += c == '\n';
    }
    run_limited("unterminated quote after 10 MB", sum.n, {.memory = 1024 * MiB, .cpu_seconds = 30}, [&] {
        // nginx: end of file inside the string, reported at the last line.
        return expect_parse_error([&] { (void)ngxconf::parse_file(p); },
                                  ngxconf::error_code::eof_expecting_terminator, lines + 1);
    });
}

TEST_CASE("hostile: parse_file on a directory, a FIFO and devices", "[.][hostile]") {
    temp_dir dir;
    auto io_error_for = [](const fs::path& p) {
        try {
            (void)ngxconf::parse_file(p);
        } catch (const ngxconf::io_error& e) {
            expect(e.code() == ngxconf::error_code::io_error, "wrong code");
            expect(e.where().file == p.string(),
                   "the error does not name the path: " + std::string(e.what()));
            return std::string("io_error: ") + e.what();
        }
        throw std::runtime_error("no io_error for " + p.string());
    };
    run_limited("a directory", 0, {.memory = 256 * MiB, .cpu_seconds = 5}, [&] {
        return io_error_for(dir.path);
    });
    const auto fifo = dir.path / "fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // No writer: a blocking open() would wait forever (without using CPU, hence the short
    // backstop).
    run_limited("a FIFO without a writer", 0, {.memory = 256 * MiB, .cpu_seconds = 5, .backstop_seconds = 10},
                [&] { return io_error_for(fifo); });
    run_limited("/dev/zero", 0, {.memory = 256 * MiB, .cpu_seconds = 5, .backstop_seconds = 10},
                [&] { return io_error_for("/dev/zero"); });
    run_limited("a missing file", 0, {.memory = 256 * MiB, .cpu_seconds = 5},
                [&] { return io_error_for(dir.path / "missing.conf"); });
    // A file of the proc file system reports size 0 but has bytes: they must not be lost
    // (an empty document would be).
    run_limited("/proc/self/status (size 0, not empty)", 0,
                {.memory = 256 * MiB, .cpu_seconds = 5, .backstop_seconds = 10}, [&] {
                    try {
                        const auto doc = ngxconf::parse_file("/proc/self/status");
                        expect(!doc.source().empty(), "parsed as an EMPTY document: bytes lost");
                        return std::string("parsed ") + std::to_string(doc.source().size()) + " bytes";
                    } catch (const ngxconf::error& e) {
                        return std::string("error: ") + e.what();
                    }
                });
}

namespace {
ngxconf::workspace_options options_for(const fs::path& prefix) {
    ngxconf::workspace_options o;
    o.prefix = prefix;
    return o;
}
}  // namespace

TEST_CASE("hostile: an include glob matching 10 000 files, and an include cycle", "[.][hostile]") {
    temp_dir dir;
    fs::create_directories(dir.path / "many");
    for (int i = 0; i < 10000; ++i) {
        write_file(dir.path / "many" / ("f" + std::to_string(i) + ".conf"),
                   "add_header X-" + std::to_string(i) + " v;\n");
    }
    write_file(dir.path / "root.conf", "include many/*.conf;\n");
    run_limited("include glob of 10 000 files", 10000, {.memory = 1024 * MiB, .cpu_seconds = 60}, [&] {
        ngxconf::workspace ws(options_for(dir.path));
        (void)ws.load(dir.path / "root.conf");
        const auto docs = ws.documents().size();
        expect(docs == 10001, "loaded " + std::to_string(docs) + " documents, expected 10001");
        expect(ws.problems().empty(), "problems: " + (ws.problems().empty() ? std::string() : ws.problems()[0].message));
        return std::to_string(docs) + " documents loaded";
    });
    run_limited("include glob of 10 000 files, max_files 100", 10000,
                {.memory = 1024 * MiB, .cpu_seconds = 60}, [&] {
                    auto opts = options_for(dir.path);
                    opts.max_files = 100;
                    ngxconf::workspace ws(opts);
                    (void)ws.load(dir.path / "root.conf");
                    expect(!ws.problems().empty(), "no problem reported");
                    expect(ws.problems()[0].code == ngxconf::diag_code::include_too_many_files,
                           "not too_many_files: " + ws.problems()[0].message);
                    return std::to_string(ws.documents().size()) + " documents; " + ws.problems()[0].message;
                });

    write_file(dir.path / "a.conf", "include b.conf;\n");
    write_file(dir.path / "b.conf", "include c.conf;\n");
    write_file(dir.path / "c.conf", "include a.conf;\n");
    write_file(dir.path / "self.conf", "include self.conf;\n");
    run_limited("include cycle a -> b -> c -> a", 3, {.memory = 512 * MiB, .cpu_seconds = 10}, [&] {
        ngxconf::workspace ws(options_for(dir.path));
        (void)ws.load(dir.path / "a.conf");
        expect(ws.documents().size() == 3, "documents: " + std::to_string(ws.documents().size()));
        expect(!ws.problems().empty() && ws.problems()[0].code == ngxconf::diag_code::include_cycle,
               "no cycle reported");
        ngxconf::workspace self(options_for(dir.path));
        (void)self.load(dir.path / "self.conf");
        expect(!self.problems().empty() &&
                   self.problems()[0].code == ngxconf::diag_code::include_cycle,
               "no cycle reported for self.conf");
        return ws.problems()[0].message;
    });
}
