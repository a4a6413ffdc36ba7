// ngxconf-bench: throughput, per-file cost, peak memory and linearity of libngxconf.
//
//   ngxconf-bench [--size MIB] [--runs N] [--seed N] [--corpus DIR] [--per-file]
//                 [--linearity LIST] [--tool PATH] [--quick]
//
// Every number is measured in this run: the median of --runs runs (after one warm-up), with the
// minimum and maximum beside it, the process's CPU time and its page faults, since the machine
// may be shared (CPU time is the steadier figure there). Inputs are generated in
// memory by gen_config.cpp (deterministic from --seed); the corpus files are read once and
// parsed from memory. Peak memory is measured in fresh processes (this binary re-executed
// with --child-peak, and the ngxconf tool), from /proc/self/status VmHWM and wait4()'s ru_maxrss.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <ngxconf/ngxconf.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "gen_config.hpp"

namespace fs = std::filesystem;
using clk = std::chrono::steady_clock;

namespace {

constexpr double mib = 1024.0 * 1024.0;

// ---------------------------------------------------------------------------------------------
// Options

struct options {
    double size_mib = 10;
    int runs = 7;
    std::uint64_t seed = 1;
    std::string corpus =
#ifdef NGXCONF_BENCH_CORPUS_DIR
        NGXCONF_BENCH_CORPUS_DIR;
#else
        "";
#endif
    std::string tool =
#ifdef NGXCONF_BENCH_TOOL
        NGXCONF_BENCH_TOOL;
#else
        "";
#endif
    std::vector<double> linearity = {1, 10, 100};
    bool per_file = false;
};

[[noreturn]] void usage(int rc) {
    std::fputs(
        "usage: ngxconf-bench [--size MIB] [--runs N] [--seed N] [--corpus DIR|--no-corpus]\n"
        "                     [--per-file] [--linearity 1,10,100|none] [--tool PATH|none]\n"
        "                     [--quick]\n"
        "  --size MIB      size of the headline generated input (default 10)\n"
        "  --runs N        timed runs per measurement; the median is reported (default 7)\n"
        "  --corpus DIR    folder of real configurations, read recursively (*.md skipped)\n"
        "  --per-file      one line per corpus file\n"
        "  --linearity L   sizes in MiB for the linearity series (default 1,10,100)\n"
        "  --tool PATH     the ngxconf developer tool, for whole-process timing\n"
        "  --quick         --runs 3 --linearity 1,10\n",
        rc ? stderr : stdout);
    std::exit(rc);
}

// ---------------------------------------------------------------------------------------------
// Timing. Each sample has the wall time and the CPU time of this process (or of the child):
// on a shared machine the CPU time is the steadier of the two.

struct sample {
    double wall = 0, cpu = 0;  // seconds
    double faults = 0;         // minor page faults
};

struct stats {
    double median = 0, min = 0, max = 0;  // wall seconds
    double cpu = 0;                       // median CPU seconds
    double faults = 0;                    // median minor page faults
};

double median_of(std::vector<double> t) {
    if (t.empty()) return 0;
    std::sort(t.begin(), t.end());
    const auto n = t.size();
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

stats summarize(const std::vector<sample>& v) {
    stats s;
    if (v.empty()) return s;
    std::vector<double> w, c, f;
    for (const auto& x : v) {
        w.push_back(x.wall);
        c.push_back(x.cpu);
        f.push_back(x.faults);
    }
    s.median = median_of(w);
    s.cpu = median_of(c);
    s.faults = median_of(f);
    s.min = *std::min_element(w.begin(), w.end());
    s.max = *std::max_element(w.begin(), w.end());
    return s;
}

double seconds_since(clk::time_point t0) {
    return std::chrono::duration<double>(clk::now() - t0).count();
}

double cpu_now() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long minor_faults() {
    struct rusage ru {};
    ::getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

struct stopwatch {
    long f0 = minor_faults();
    clk::time_point w0 = clk::now();
    double c0 = cpu_now();
    [[nodiscard]] sample stop() const {
        const double w = seconds_since(w0), c = cpu_now() - c0;
        return {w, c, static_cast<double>(minor_faults() - f0)};
    }
};

// Runs `f` once to warm up, then `runs` times; f returns the sample it measured itself (so it
// can leave set-up and tear-down out of the clock).
template <class F>
stats measure(int runs, F&& f) {
    (void)f();
    std::vector<sample> t;
    t.reserve(static_cast<std::size_t>(runs));
    for (int i = 0; i < runs; ++i) t.push_back(f());
    return summarize(t);
}

// For small inputs: each run repeats f until at least `min_batch` seconds passed and reports
// the mean per call of that batch; the median over runs is returned.
template <class F>
stats measure_small(int runs, double min_batch, F&& f) {
    auto batch = [&] {
        int n = 0;
        const stopwatch sw;
        sample el;
        do {
            f();
            ++n;
            el = sw.stop();
        } while (el.wall < min_batch);
        return sample{el.wall / n, el.cpu / n, el.faults / n};
    };
    return measure(runs, batch);
}

std::string fmt_rate(double bytes, const stats& s) {
    return fmt::format("{:7.1f} MiB/s ({:7.2f} ms, min {:.2f}, max {:.2f}); cpu {:7.1f} MiB/s; "
                       "{:.0f} page faults",
                       bytes / mib / s.median, s.median * 1e3, s.min * 1e3, s.max * 1e3,
                       bytes / mib / s.cpu, s.faults);
}

// ---------------------------------------------------------------------------------------------
// The operations measured

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The protect-style edit: enable every disabled include of authentik-server.conf or
// authentik-location.conf. Returns the number of '#' removed.
std::size_t protect(ngxconf::document& doc) {
#ifdef NGXCONF_BENCH_HAVE_EDIT
    std::size_t changed = 0;
    const auto includes = ngxconf::find_all(doc.root(), "include",
                                            {.recursive = true, .include_disabled = true});
    for (const auto& d : includes) {
        if (d.enabled() || d.arg_count() != 1) continue;
        const std::string path = d.arg(0);
        if (!ends_with(path, "authentik-server.conf") &&
            !ends_with(path, "authentik-location.conf")) {
            continue;
        }
        if (ngxconf::set_enabled(d, true) == ngxconf::toggle_status::changed) ++changed;
    }
    return changed;
#else
    (void)doc;
    return 0;
#endif
}

constexpr bool have_edit =
#ifdef NGXCONF_BENCH_HAVE_EDIT
    true;
#else
    false;
#endif

int dev_null() {
    static const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    return fd;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::move(ss).str();
}

void write_file(const fs::path& p, std::string_view bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

// ---------------------------------------------------------------------------------------------
// Machine

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto c = line.find(':');
            return c == std::string::npos ? line : line.substr(c + 2);
        }
    }
    return "unknown";
}

std::string loadavg() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

std::string mem_total() {
    std::ifstream in("/proc/meminfo");
    std::string k, v, unit;
    in >> k >> v >> unit;
    return fmt::format("{:.1f} GiB", std::strtod(v.c_str(), nullptr) / 1024 / 1024);
}

// ---------------------------------------------------------------------------------------------
// Peak memory in fresh processes

long vm_hwm_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    }
    return -1;
}

// Child mode: baseline VmHWM, then parse_file + print (mode fd | string | edit), then VmHWM.
int child_peak(const std::string& file, const std::string& mode) {
    const long base = vm_hwm_kib();
    auto doc = ngxconf::parse_file(file);
    std::size_t out_bytes = 0;
    if (mode == "string") {
        const auto s = ngxconf::to_string(doc);
        out_bytes = s.size();
        const long peak = vm_hwm_kib();
        std::printf("%ld %ld %zu\n", base, peak, out_bytes);
        return 0;
    }
    if (mode == "edit") (void)protect(doc);
    ngxconf::write_to_fd(doc, dev_null());
    std::printf("%ld %ld %zu\n", base, vm_hwm_kib(), out_bytes);
    return 0;
}

// Child mode over a folder: parse_file + write_to_fd of every file (*.md skipped), every
// document kept alive, as a workspace keeps them. Prints "BASELINE_KIB PEAK_KIB TOTAL_BYTES".
int child_peak_tree(const std::string& dir) {
    const long base = vm_hwm_kib();
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file() && e.path().extension() != ".md") files.push_back(e.path());
    }
    std::vector<ngxconf::document> alive;
    alive.reserve(files.size());
    std::uintmax_t total = 0;
    for (const auto& f : files) {
        auto doc = ngxconf::parse_file(f);
        ngxconf::write_to_fd(doc, dev_null());
        total += doc.source().size();
        alive.push_back(std::move(doc));
    }
    std::printf("%ld %ld %ju\n", base, vm_hwm_kib(), total);
    return 0;
}

struct child_result {
    bool ok = false;
    double wall = 0;          // seconds
    double cpu = 0;           // user + system seconds of the child
    long maxrss_kib = 0;      // wait4 ru_maxrss
    long faults = 0;          // minor page faults of the child
    std::string out;          // captured stdout (when asked)
};

// Runs argv with stdout to /dev/null (or captured), stderr inherited; wall time and ru_maxrss.
child_result run_child(const std::vector<std::string>& argv, bool capture) {
    child_result r;
    int pfd[2] = {-1, -1};
    if (capture && ::pipe(pfd) != 0) return r;
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const auto t0 = clk::now();
    const pid_t pid = ::fork();
    if (pid < 0) return r;
    if (pid == 0) {
        if (capture) {
            ::dup2(pfd[1], STDOUT_FILENO);
            ::close(pfd[0]);
            ::close(pfd[1]);
        } else {
            ::dup2(dev_null(), STDOUT_FILENO);
        }
        ::execv(args[0], args.data());
        std::_Exit(127);
    }
    if (capture) {
        ::close(pfd[1]);
        char buf[4096];
        ssize_t n;
        while ((n = ::read(pfd[0], buf, sizeof buf)) > 0) r.out.append(buf, static_cast<std::size_t>(n));
        ::close(pfd[0]);
    }
    int status = 0;
    struct rusage ru {};
    while (::wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    r.wall = seconds_since(t0);
    auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
    r.cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
    r.maxrss_kib = ru.ru_maxrss;
    r.faults = ru.ru_minflt;
    r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return r;
}

std::string self_exe() {
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : p.string();
}

// Helper mode `--spawn CMD ARGS...`: runs CMD with stdout to /dev/null and prints
// "EXIT WALL_SECONDS MAXRSS_KIB". Linux keeps the largest RSS of a process across exec(), so a
// child forked from this (large) benchmark would report our own size as its ru_maxrss; this
// small fresh process forks the measured one instead, as /usr/bin/time does.
int spawn_helper(char** argv) {
    std::vector<std::string> args;
    for (char** a = argv; *a; ++a) args.emplace_back(*a);
    const auto r = run_child(args, false);
    std::printf("%d %.9f %.9f %ld %ld\n", r.ok ? 0 : 1, r.wall, r.cpu, r.maxrss_kib, r.faults);
    return 0;
}

// Runs argv through the --spawn helper: wall time and peak RSS of that process alone.
child_result run_measured(const std::vector<std::string>& argv) {
    std::vector<std::string> args = {self_exe(), "--spawn"};
    args.insert(args.end(), argv.begin(), argv.end());
    const auto h = run_child(args, true);
    child_result r;
    int rc = 1;
    if (!h.ok ||
        std::sscanf(h.out.c_str(), "%d %lf %lf %ld %ld", &rc, &r.wall, &r.cpu, &r.maxrss_kib,
                    &r.faults) != 5) {
        return r;
    }
    r.ok = rc == 0;
    return r;
}

// ---------------------------------------------------------------------------------------------
// Sections

struct big_result {
    double bytes = 0;
    stats parse, parse_print, parse_fd, edit_print;
    std::size_t edits = 0;
    bool roundtrip = false;
};

big_result bench_big(const std::string& text, int runs) {
    big_result r;
    r.bytes = static_cast<double>(text.size());
    r.roundtrip = ngxconf::to_string(ngxconf::parse(text)) == text;
    r.parse = measure(runs, [&] {
        const stopwatch sw;
        auto doc = ngxconf::parse(text);
        return sw.stop();  // the document is destroyed outside the clock
    });
    r.parse_print = measure(runs, [&] {
        const stopwatch sw;
        auto doc = ngxconf::parse(text);
        auto out = ngxconf::to_string(doc);
        const auto t = sw.stop();
        if (out.size() != text.size()) std::abort();
        return t;
    });
    r.parse_fd = measure(runs, [&] {
        const stopwatch sw;
        auto doc = ngxconf::parse(text);
        ngxconf::write_to_fd(doc, dev_null());
        return sw.stop();
    });
    if (have_edit) {
        r.edit_print = measure(runs, [&] {
            const stopwatch sw;
            auto doc = ngxconf::parse(text);
            r.edits = protect(doc);
            auto out = ngxconf::to_string(doc);
            const auto t = sw.stop();
            if (out.size() + r.edits != text.size()) {
                std::fprintf(stderr, "edit: %zu bytes out, %zu edits, %zu in\n", out.size(), r.edits,
                             text.size());
                std::abort();
            }
            return t;
        });
    }
    return r;
}

void print_big(const char* label, const big_result& r) {
    fmt::print("{} ({} bytes = {:.2f} MiB, round trip {}):\n", label,
               static_cast<std::uint64_t>(r.bytes), r.bytes / mib,
               r.roundtrip ? "byte-identical" : "DIFFERS");
    fmt::print("  parse                  {}\n", fmt_rate(r.bytes, r.parse));
    fmt::print("  parse+print (string)   {}\n", fmt_rate(r.bytes, r.parse_print));
    fmt::print("  parse+print (fd)       {}\n", fmt_rate(r.bytes, r.parse_fd));
    if (have_edit) {
        fmt::print("  parse+protect+print    {}   [{} includes enabled]\n",
                   fmt_rate(r.bytes, r.edit_print), r.edits);
    } else {
        fmt::print("  parse+protect+print    skipped: find_all/set_enabled not built yet\n");
    }
}

void bench_memory(const fs::path& file, double bytes, const std::string& tool) {
    const auto exe = self_exe();
    fmt::print("Peak memory (fresh process per measurement; input {:.2f} MiB):\n", bytes / mib);
    const std::vector<std::pair<std::string, std::string>> modes = {
        {"fd", "parse_file + write_to_fd"},
        {"string", "parse_file + to_string"},
        {"edit", "parse_file + protect + write_to_fd"}};
    for (const auto& [mode, label] : modes) {
        if (mode == "edit" && !have_edit) continue;
        std::vector<long> peaks, bases;
        for (int i = 0; i < 3; ++i) {
            const auto r = run_child({exe, "--child-peak", file.string(), mode}, true);
            long base = 0, peak = 0;
            std::size_t dummy = 0;
            if (!r.ok || std::sscanf(r.out.c_str(), "%ld %ld %zu", &base, &peak, &dummy) < 2) {
                fmt::print("  {:38} child failed\n", label);
                peaks.clear();
                break;
            }
            peaks.push_back(peak);
            bases.push_back(base);
        }
        if (peaks.empty()) continue;
        std::sort(peaks.begin(), peaks.end());
        std::sort(bases.begin(), bases.end());
        const double peak = static_cast<double>(peaks[1]) * 1024, base = static_cast<double>(bases[1]) * 1024;
        fmt::print("  {:38} VmHWM {:7.1f} MiB = {:.2f}x input; above the process baseline "
                   "({:.1f} MiB): {:.2f}x\n",
                   label, peak / mib, peak / bytes, base / mib, (peak - base) / bytes);
    }
    if (tool.empty()) return;
    // The tool itself, `ngxconf print FILE > /dev/null`, against the same tool on an empty file.
    const auto empty = file.parent_path() / "empty.conf";
    write_file(empty, "");
    std::vector<long> tool_peak, tool_base;
    for (int i = 0; i < 3; ++i) {
        const auto a = run_measured({tool, "print", file.string()});
        const auto b = run_measured({tool, "print", empty.string()});
        if (!a.ok || !b.ok) {
            fmt::print("  ngxconf print: failed\n");
            return;
        }
        tool_peak.push_back(a.maxrss_kib);
        tool_base.push_back(b.maxrss_kib);
    }
    std::sort(tool_peak.begin(), tool_peak.end());
    std::sort(tool_base.begin(), tool_base.end());
    const double peak = static_cast<double>(tool_peak[1]) * 1024, base = static_cast<double>(tool_base[1]) * 1024;
    fmt::print("  {:38} ru_maxrss {:6.1f} MiB = {:.2f}x input; above `ngxconf print` of an empty "
               "file ({:.1f} MiB): {:.2f}x\n",
               "ngxconf print FILE > /dev/null", peak / mib, peak / bytes, base / mib,
               (peak - base) / bytes);
}

void bench_tool(const std::string& tool, const fs::path& file, double bytes, int runs) {
    auto series = [&](const fs::path& f) {
        std::vector<sample> t;
        (void)run_measured({tool, "print", f.string()});
        for (int i = 0; i < runs; ++i) {
            const auto r = run_measured({tool, "print", f.string()});
            if (!r.ok) return std::vector<sample>{};
            t.push_back({r.wall, r.cpu, static_cast<double>(r.faults)});
        }
        return t;
    };
    const auto t = series(file);
    if (t.empty()) {
        fmt::print("Whole process: `ngxconf print` failed\n");
        return;
    }
    const auto s = summarize(t);
    const auto empty = file.parent_path() / "empty.conf";
    write_file(empty, "");
    const auto se = summarize(series(empty));
    fmt::print("Whole process `ngxconf print FILE > /dev/null` ({:.2f} MiB):\n", bytes / mib);
    fmt::print("  {}\n", fmt_rate(bytes, s));
    fmt::print("  process start-up (empty file): {:.2f} ms wall, {:.2f} ms cpu; target 400 MiB/s = "
               "{:.1f} ms: {} (wall), {} (cpu)\n",
               se.median * 1e3, se.cpu * 1e3, bytes / mib / 400 * 1e3,
               bytes / mib / s.median >= 400 ? "met" : "NOT met",
               bytes / mib / s.cpu >= 400 ? "met" : "NOT met");
}

void bench_linearity(const options& o) {
    if (o.linearity.empty()) return;
    fmt::print("Linearity (generated input, seed {}; parse+print to /dev/null, and to a string):\n",
               o.seed);
    fmt::print("  {:>5} {:>11} {:>9} {:>8} {:>8} {:>9} {:>8} {:>9} {:>8}\n", "MiB", "bytes",
               "fd ms", "MiB/s", "ns/B", "cpu ns/B", "faults", "string ms", "ns/B");
    double first_ns = 0, last_ns = 0, first_cpu = 0, last_cpu = 0;
    for (const double m : o.linearity) {
        const auto text = ngxconf::bench::generate_config(
            {.seed = o.seed, .target_bytes = static_cast<std::uint64_t>(m * mib), .crlf = false});
        const int runs = m >= 50 ? std::max(3, o.runs / 2) : o.runs;
        const auto fd = measure(runs, [&] {
            const stopwatch sw;
            auto doc = ngxconf::parse(text);
            ngxconf::write_to_fd(doc, dev_null());
            return sw.stop();
        });
        const auto str = measure(runs, [&] {
            const stopwatch sw;
            auto doc = ngxconf::parse(text);
            auto out = ngxconf::to_string(doc);
            return sw.stop();
        });
        const double bytes = static_cast<double>(text.size());
        const double ns = fd.median * 1e9 / bytes, cpu_ns = fd.cpu * 1e9 / bytes;
        if (first_ns == 0) {
            first_ns = ns;
            first_cpu = cpu_ns;
        }
        last_ns = ns;
        last_cpu = cpu_ns;
        fmt::print("  {:5.0f} {:11} {:9.2f} {:8.1f} {:8.3f} {:9.3f} {:8.0f} {:9.2f} {:8.3f}\n", m,
                   text.size(), fd.median * 1e3, bytes / mib / fd.median, ns, cpu_ns, fd.faults,
                   str.median * 1e3, str.median * 1e9 / bytes);
    }
    fmt::print("  ns/byte of the largest / the smallest input: {:.2f}x wall, {:.2f}x cpu "
               "(1.00x is perfectly linear)\n",
               last_ns / first_ns, last_cpu / first_cpu);
}

// Peak memory over the corpus in a fresh process, every document alive at once (what a
// workspace holds). Small files pay a fixed cost each (the document record, the first chunk
// of nodes), so the multiple is larger than for one big file.
void corpus_memory(const std::string& dir) {
    const auto exe = self_exe();
    std::vector<double> above;
    double total = 0, peak_mib = 0;
    for (int i = 0; i < 3; ++i) {
        const auto r = run_child({exe, "--child-peak-tree", dir}, true);
        long base = 0, peak = 0;
        std::uintmax_t t = 0;
        if (!r.ok || std::sscanf(r.out.c_str(), "%ld %ld %ju", &base, &peak, &t) != 3) {
            fmt::print("  peak memory: child failed\n");
            return;
        }
        above.push_back(static_cast<double>(peak - base) * 1024);
        peak_mib = static_cast<double>(peak) * 1024 / mib;
        total = static_cast<double>(t);
    }
    std::sort(above.begin(), above.end());
    fmt::print("  peak memory, every document alive: VmHWM {:.1f} MiB; {:.1f} KiB above the "
               "process baseline = {:.2f}x the corpus bytes\n",
               peak_mib, above[1] / 1024, above[1] / total);
}

struct corpus_file {
    fs::path path;
    std::string rel;
    std::string text;
};

void bench_corpus(const options& o) {
    if (o.corpus.empty() || !fs::is_directory(o.corpus)) {
        if (o.corpus.empty()) {
            fmt::print("Corpus: skipped (no corpus folder; pass --corpus DIR)\n");
        } else {
            fmt::print("Corpus: skipped ({} is not a folder; pass --corpus DIR)\n", o.corpus);
        }
        return;
    }
    std::vector<corpus_file> files;
    std::size_t skipped = 0;
    for (const auto& e : fs::recursive_directory_iterator(o.corpus)) {
        if (!e.is_regular_file()) continue;
        if (e.path().extension() == ".md") {
            ++skipped;
            continue;
        }
        files.push_back({e.path(), fs::relative(e.path(), o.corpus).string(), read_file(e.path())});
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.rel < b.rel; });
    double total_bytes = 0;
    for (const auto& f : files) total_bytes += static_cast<double>(f.text.size());
    fmt::print("Corpus {}: {} files, {:.1f} KiB ({} *.md skipped)\n", o.corpus, files.size(),
               total_bytes / 1024, skipped);

    struct row {
        const corpus_file* f = nullptr;
        bool parsed = false, roundtrip = false;
        std::size_t edits = 0;
        stats parse, print, edit;
    };
    std::vector<row> rows;
    std::size_t failed = 0, identical = 0, edited_files = 0, edits = 0;
    const double batch = 0.5e-3;
    for (const auto& f : files) {
        row r;
        r.f = &f;
        try {
            auto doc = ngxconf::parse(f.text, f.rel);
            r.parsed = true;
            r.roundtrip = ngxconf::to_string(doc) == f.text;
        } catch (const ngxconf::error& e) {
            fmt::print("  {}: does not parse: {}\n", f.rel, e.what());
            ++failed;
            rows.push_back(r);
            continue;
        }
        identical += r.roundtrip;
        r.parse = measure_small(o.runs, batch, [&] { auto doc = ngxconf::parse(f.text); });
        r.print = measure_small(o.runs, batch, [&] {
            auto doc = ngxconf::parse(f.text);
            auto s = ngxconf::to_string(doc);
        });
        if (have_edit) {
            r.edit = measure_small(o.runs, batch, [&] {
                auto doc = ngxconf::parse(f.text);
                r.edits = protect(doc);
                auto s = ngxconf::to_string(doc);
            });
            edits += r.edits;
            edited_files += r.edits > 0;
        }
        rows.push_back(r);
    }
    // Whole corpus, one pass per run: what a tool touching every file does (files in memory).
    auto pass = [&](int what) {
        return measure(o.runs, [&] {
            const stopwatch sw;
            for (const auto& f : files) {
                try {
                    auto doc = ngxconf::parse(f.text);
                    if (what == 1) (void)ngxconf::to_string(doc);
                    if (what == 2) {
                        (void)protect(doc);
                        (void)ngxconf::to_string(doc);
                    }
                } catch (const ngxconf::error&) {
                }
            }
            return sw.stop();
        });
    };
    const auto all_parse = pass(0), all_print = pass(1);
    const stats all_edit = have_edit ? pass(2) : stats{};

    auto pct = [](std::vector<double> v, double q) {
        if (v.empty()) return 0.0;
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
    };
    std::vector<double> up, upp, ue;
    for (const auto& r : rows) {
        if (!r.parsed) continue;
        up.push_back(r.parse.median * 1e6);
        upp.push_back(r.print.median * 1e6);
        ue.push_back(r.edit.median * 1e6);
    }
    fmt::print("  round trip byte-identical: {}/{} files ({} do not parse)\n", identical,
               files.size(), failed);
    fmt::print("  whole corpus, parse              {}\n", fmt_rate(total_bytes, all_parse));
    fmt::print("  whole corpus, parse+print        {}\n", fmt_rate(total_bytes, all_print));
    if (have_edit) {
        fmt::print("  whole corpus, parse+protect+print {}  [{} includes in {} files]\n",
                   fmt_rate(total_bytes, all_edit), edits, edited_files);
    } else {
        fmt::print("  whole corpus, parse+protect+print skipped: find_all/set_enabled not built yet\n");
    }
    fmt::print("  per file, µs        {:>8} {:>8} {:>8} {:>8}\n", "median", "p90", "max", "mean");
    auto line = [&](const char* label, const std::vector<double>& v) {
        double sum = 0;
        for (double x : v) sum += x;
        fmt::print("    {:18}{:8.1f} {:8.1f} {:8.1f} {:8.1f}\n", label, pct(v, 0.5), pct(v, 0.9),
                   pct(v, 1.0), v.empty() ? 0 : sum / static_cast<double>(v.size()));
    };
    line("parse", up);
    line("parse+print", upp);
    if (have_edit) line("parse+protect+print", ue);
    corpus_memory(o.corpus);
    if (o.per_file) {
        fmt::print("  {:>7} {:>9} {:>9} {:>9} {:>5} {:>3}  file\n", "bytes", "parse µs", "print µs",
                   "edit µs", "edits", "rt");
        for (const auto& r : rows) {
            if (!r.parsed) {
                fmt::print("  {:7} {:>9} {:>9} {:>9} {:>5} {:>3}  {}\n", r.f->text.size(), "-", "-", "-",
                           "-", "-", r.f->rel);
                continue;
            }
            fmt::print("  {:7} {:9.2f} {:9.2f} {:9.2f} {:5} {:>3}  {}\n", r.f->text.size(),
                       r.parse.median * 1e6, r.print.median * 1e6, r.edit.median * 1e6, r.edits,
                       r.roundtrip ? "ok" : "NO", r.f->rel);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    // One parse_file + print of FILE in this process (MODE fd, string or edit), then
    // "BASELINE_KIB PEAK_KIB BYTES": used for the peak-memory lines, and handy under callgrind.
    if (argc == 4 && std::string_view(argv[1]) == "--child-peak") return child_peak(argv[2], argv[3]);
    if (argc == 3 && std::string_view(argv[1]) == "--child-peak-tree") return child_peak_tree(argv[2]);
    if (argc >= 3 && std::string_view(argv[1]) == "--spawn") return spawn_helper(argv + 2);
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) usage(2);
            return argv[++i];
        };
        if (a == "--size") {
            o.size_mib = std::strtod(next().c_str(), nullptr);
        } else if (a == "--runs") {
            o.runs = std::max(1, std::atoi(next().c_str()));
        } else if (a == "--seed") {
            o.seed = std::strtoull(next().c_str(), nullptr, 10);
        } else if (a == "--corpus") {
            o.corpus = next();
        } else if (a == "--no-corpus") {
            o.corpus.clear();
        } else if (a == "--per-file") {
            o.per_file = true;
        } else if (a == "--tool") {
            o.tool = next();
            if (o.tool == "none") o.tool.clear();
        } else if (a == "--linearity") {
            o.linearity.clear();
            std::stringstream ss(next());
            std::string item;
            while (std::getline(ss, item, ',')) {
                if (item != "none") o.linearity.push_back(std::strtod(item.c_str(), nullptr));
            }
        } else if (a == "--quick") {
            o.runs = 3;
            o.linearity = {1, 10};
        } else if (a == "-h" || a == "--help") {
            usage(0);
        } else {
            usage(2);
        }
    }

    fmt::print("ngxconf-bench\n");
    fmt::print("Machine: {} ({} CPUs online), {} RAM; load average {} at start\n", cpu_model(),
               ::sysconf(_SC_NPROCESSORS_ONLN), mem_total(), loadavg());
    fmt::print("Build: g++ {} {}; {} runs per measurement, median reported (min, max)\n\n",
               __VERSION__,
#ifdef NDEBUG
               "NDEBUG",
#else
               "assertions ON (not a Release build?)",
#endif
               o.runs);

    const auto text = ngxconf::bench::generate_config(
        {.seed = o.seed, .target_bytes = static_cast<std::uint64_t>(o.size_mib * mib)});
    const auto text_crlf = ngxconf::bench::generate_config(
        {.seed = o.seed, .target_bytes = static_cast<std::uint64_t>(o.size_mib * mib), .crlf = true});

    print_big(fmt::format("Generated {:g} MiB, LF, seed {}", o.size_mib, o.seed).c_str(),
              bench_big(text, o.runs));
    print_big(fmt::format("Generated {:g} MiB, CRLF, seed {}", o.size_mib, o.seed).c_str(),
              bench_big(text_crlf, o.runs));
    fmt::print("\n");

    // Inputs on disk for the process-level measurements.
    const char* tmpdir = std::getenv("TMPDIR");
    std::string dir_tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/ngxconf-bench.XXXXXX";
    const char* dir = ::mkdtemp(dir_tmpl.data());
    if (!dir) {
        std::perror("mkdtemp");
        return 1;
    }
    const fs::path file = fs::path(dir) / "generated.conf";
    write_file(file, text);
    const double bytes = static_cast<double>(text.size());
    if (!o.tool.empty() && ::access(o.tool.c_str(), X_OK) == 0) {
        bench_tool(o.tool, file, bytes, o.runs);
    } else {
        fmt::print("Whole process: skipped (ngxconf tool not found{}{})\n", o.tool.empty() ? "" : " at ",
                   o.tool);
        o.tool.clear();
    }
    fmt::print("\n");
    bench_memory(file, bytes, o.tool);
    fs::remove_all(dir);
    fmt::print("\n");

    bench_linearity(o);
    fmt::print("\n");
    bench_corpus(o);
    fmt::print("\nLoad average at the end: {}\n", loadavg());
    return 0;
}
