// Random differential testing against the real nginx (tests/nginx_oracle.hpp).
//
// Thousands of generated fragments: token soups built from what matters to nginx's lexer
// (quotes, escapes, braces, '#', ';', CR/LF, ')', '$', '{' after '$', backslashes, words
// near the 4096-byte buffer) inside directives that are valid in a location (`return 200 X;`,
// `add_header A B;`, `set $x Y;`, `if (...) { }`, nested `location`), and byte-level mutations
// of the fixtures/nginx fragments. The library's verdict is its parse, then ngxconf::check()
// with the 1.22 table and the oracle's modules (nginx_oracle.hpp: library_directive_check):
//   - nginx accepts                  -> the library must accept, directives included;
//   - nginx rejects with a syntax message (ngx_conf_read_token / ngx_conf_parse words)
//                                    -> the library must reject with that message and line;
//   - nginx rejects with one of ngx_conf_handler's messages (unknown directive, not allowed
//     here, invalid number of arguments, no opening "{", not terminated by ";") at line L
//                                    -> the library's first diagnostic must be that message at
//                                       line L (unless the library's parse fails after line L:
//                                       nginx never read that far; counted apart);
//   - nginx rejects inside a directive's handler (an invalid value, ...) at line L
//                                    -> "handler-level", but the library must report nothing
//                                       before line L (nginx read and checked that far).
// Every disagreement is shrunk to a small input, written to a temporary file whose path is
// printed, and fails the test.
//
// Seed: fixed (so CI is repeatable); NGXCONF_SEED=N picks another, NGXCONF_RANDOM_DIFF_COUNT=N
// another number of inputs. Tagged [nginx] and hidden: run by the nginx_oracle ctest.
#include <algorithm>
#include <array>
#include <map>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "nginx_oracle.hpp"
#include "test_support.hpp"

namespace {

using oracle::conf_context;
using oracle::verdict;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    return std::strtoull(v, nullptr, 0);
}

class rng {
public:
    explicit rng(std::uint64_t seed) : g_(seed) {}
    std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(g_() % n) : 0; }
    bool one_in(std::size_t n) { return below(n) == 0; }
    template <class T, std::size_t N>
    const T& pick(const T (&a)[N]) {
        return a[below(N)];
    }

private:
    std::mt19937_64 g_;
};

// ---- the generator ------------------------------------------------------------------------

const std::string_view specials[] = {
    "\"", "'", "\\", "\\\"", "\\'", "\\\\", "{", "}", "#", ";", "\r", "\n", "\r\n", ")", "(",
    "$", "${", "$x{", "${{", "\\\n", "\\;", "\\{", " ", "\t", "\\n", "\0", "\xff", "a#b"};
const std::string_view plain_words[] = {"a",   "/x",     "http://h:80/p", "$uri", "${uri}",
                                        "200", "text",   "$1",            "a=b",  "~*",
                                        "x;y", "^/(a)$", "{1,3}",         "))",   "(("};

std::string plain(rng& r) { return std::string(r.pick(plain_words)); }

std::string long_run(rng& r, char fill) {
    // Near nginx's 4096-byte buffer, counted from the token's start.
    static const std::size_t sizes[] = {4090, 4093, 4094, 4095, 4096, 4097, 4100, 5000};
    return std::string(r.pick(sizes) - r.below(3), fill);
}

std::string soup_word(rng& r) {
    std::string w;
    const std::size_t parts = 1 + r.below(4);
    for (std::size_t i = 0; i < parts; ++i) {
        if (r.one_in(3)) {
            w += r.pick(specials);
        } else {
            w += plain(r);
        }
    }
    if (r.one_in(40)) w += long_run(r, 'w');
    return w;
}

std::string quoted(rng& r) {
    const char q = r.one_in(2) ? '"' : '\'';
    std::string s(1, q);
    const std::size_t parts = r.below(5);
    for (std::size_t i = 0; i < parts; ++i) s += r.one_in(2) ? std::string(r.pick(specials)) : plain(r);
    if (r.one_in(30)) s += long_run(r, 'q');
    if (!r.one_in(12)) s += q;  // sometimes left open
    if (r.one_in(8)) {          // what follows a closing quote
        static const std::string_view after[] = {")", "x", "\"", "'", "#", "}", "{", ";", "\\"};
        s += r.pick(after);
    }
    return s;
}

std::string arg(rng& r) {
    switch (r.below(6)) {
        case 0:
        case 1: return plain(r);
        case 2:
        case 3: return soup_word(r);
        default: return quoted(r);
    }
}

std::string space(rng& r) {
    static const std::string_view spaces[] = {" ", " ", " ", "  ", "\t", "\n", "\r\n",
                                              "\r", " # note\n", "\n\n", " #\n"};
    return std::string(r.pick(spaces));
}

std::string indent(std::size_t depth) { return std::string(depth * 4, ' '); }

// A directive's name spelled as nginx may read it: bare, quoted, or with escapes (nginx reads
// the first word like any other; most escapes make it a name nginx does not know, which
// the oracle then reports with the name it read).
std::string spelled(rng& r, std::string_view name) {
    const std::string n(name);
    switch (r.below(10)) {
        case 0: return '"' + n + '"';
        case 1: return '\'' + n + '\'';
        case 2: return '"' + n.substr(0, 2) + "\\\"" + n.substr(2) + '"';  // "re\"turn"
        case 3: return n.substr(0, 1) + "\\\\" + n.substr(1);          // r\\eturn
        case 4: return '\'' + n.substr(0, 3) + "\\'" + n.substr(3) + '\'';
        case 5: return '"' + n + "\\t\"";
        case 6: return n.substr(0, 2) + "\\x" + n.substr(2);            // re\xturn: kept
        default: return n;
    }
}

// A *_by_lua_block whose name may be quoted or escaped: OpenResty reads the body as Lua
// only when nginx's reading of the name is the Lua directive.
std::string lua_statement(rng& r, std::size_t depth) {
    static const std::string_view names[] = {"access_by_lua_block", "rewrite_by_lua_block",
                                             "header_filter_by_lua_block"};
    static const std::string_view bodies[] = {
        "{ ngx.say(\"}\") }", "{ local t = { 1 } }", "{\n    -- } in a comment\n}",
        "{ local s = [[ } ]] }", "{ a = '{' }", "{ ngx.say(\"}\")\n", "{ }", "{ x \"}\"; }"};
    return indent(depth) + spelled(r, r.pick(names)) + space(r) + std::string(r.pick(bodies)) + "\n";
}

// A map (or types) block at http level: quoted, regex and escaped keys, sometimes a name
// spelled in quotes, sometimes a `{` that nginx's map/types reader refuses.
std::string map_block(rng& r) {
    static const std::string_view keys[] = {"\"\"", "''", "\"~*^bearer (.*)$\"", "'~Opera Mini'",
                                            "\"~\\\\x00\"", "\"a\\\"b\"", "default", "hostnames",
                                            "x", "'a b'", "\"/x\"", "~^/a", "\\\"q"};
    const bool types = r.one_in(4);
    std::string s = types ? spelled(r, "types") + " {\n" : spelled(r, "map") + " $uri $m" + std::to_string(r.below(1000)) + " {\n";
    const std::size_t n = 1 + r.below(5);
    for (std::size_t i = 0; i < n; ++i) {
        s += "    " + std::string(r.pick(keys)) + (types ? " ext" : " 1");
        s += r.one_in(10) ? " { }\n" : ";\n";
    }
    return s + "}\n";
}

std::string statements(rng& r, std::size_t depth, std::size_t budget);

std::string statement(rng& r, std::size_t depth) {
    const std::string in = indent(depth);
    switch (r.below(depth < 3 ? 9 : 6)) {
        case 0:
        case 1: return in + spelled(r, "return") + space(r) + "200" + space(r) + arg(r) + ";\n";
        case 2: return in + spelled(r, "add_header") + space(r) + arg(r) + space(r) + arg(r) + ";\n";
        case 3: return in + spelled(r, "set") + space(r) + "$x" + space(r) + arg(r) + ";\n";
        case 4: return in + "#" + (r.one_in(2) ? soup_word(r) : std::string(" comment")) + "\n";
        case 5: return r.one_in(2) ? "\n" : in + "add_header X " + quoted(r) + ";\n";
        case 6: {
            static const std::string_view conds[] = {"($x)", "($uri ~ ^/a)", "($uri ~* \"a{1,3}\")",
                                                     "($x = a)", "( $x )", "($request_method = POST)",
                                                     "($uri ~ \"(a)\")"};
            const std::string cond = r.one_in(4) ? "(" + arg(r) + ")" : std::string(r.pick(conds));
            return in + "if" + space(r) + cond + " {\n" + statements(r, depth + 1, 3) + in + "}\n";
        }
        default: {
            static const std::string_view paths[] = {"/a", "/b/", "~ ^/c", "= /d", "/$x{"};
            return in + "location " + std::string(r.pick(paths)) + " {\n" +
                   statements(r, depth + 1, 3) + in + "}\n";
        }
    }
}

std::string statements(rng& r, std::size_t depth, std::size_t budget) {
    std::string s;
    const std::size_t n = r.below(budget + 1);
    for (std::size_t i = 0; i < n; ++i) s += statement(r, depth);
    return s;
}

// A few byte-level edits with the tokens that matter: insert, delete, replace, truncate,
// duplicate. `from` protects a header line.
void mutate(rng& r, std::string& s, std::size_t from) {
    const std::size_t edits = 1 + r.below(3);
    for (std::size_t e = 0; e < edits; ++e) {
        const std::size_t size = s.size() > from ? s.size() - from : 0;
        const std::size_t at = from + r.below(size + 1);
        switch (r.below(6)) {
            case 0:
            case 1: s.insert(at, r.pick(specials)); break;
            case 2:
                if (at < s.size()) s.erase(at, 1 + r.below(3));
                break;
            case 3:
                if (at < s.size()) s[at] = r.pick(specials)[0];
                break;
            case 4:
                if (r.one_in(3)) s.resize(at);
                break;
            default: {
                const std::size_t len = std::min<std::size_t>(s.size() - std::min(at, s.size()), 1 + r.below(20));
                s.insert(at, s.substr(at, len));
                break;
            }
        }
    }
}

struct input {
    std::string text;
    conf_context context = conf_context::location;
    bool lua = false;  // needs the lua module loaded
    std::string origin;
};

struct fixture {
    std::string name;
    std::string text;
    conf_context context;
    std::size_t header_end;
    bool lua;
};

std::vector<fixture> load_fixtures(bool lua) {
    std::vector<fixture> out;
    for (const auto& p : test::files_below(test::fixtures_dir() / "nginx", ".conf")) {
        auto text = test::read_file(p);
        const auto h = oracle::read_fixture_header(text);
        if (h.needs_lua && !lua) continue;
        const auto nl = text.find('\n');
        const std::size_t header_end = (!text.empty() && text[0] == '#' && nl != std::string::npos) ? nl + 1 : 0;
        out.push_back({p.filename().string(), std::move(text), h.context, header_end, h.needs_lua});
    }
    return out;
}

input generate(rng& r, const std::vector<fixture>& fixtures) {
    input in;
    if (!fixtures.empty() && r.one_in(3)) {
        const auto& f = fixtures[r.below(fixtures.size())];
        in.text = f.text;
        in.context = f.context;
        in.lua = f.lua;
        in.origin = "mutated " + f.name;
        mutate(r, in.text, f.header_end);
        return in;
    }
    if (r.one_in(8)) {  // map/types keys at http level
        in.context = conf_context::http;
        in.text = map_block(r);
        if (r.one_in(2)) in.text += map_block(r);
        in.origin = "map soup";
    } else if (r.one_in(7)) {  // a Lua block whose name may be quoted
        in.lua = true;
        in.text = statements(r, 0, 2) + lua_statement(r, 0) + statements(r, 0, 2);
        in.origin = "lua soup";
    } else {
        in.text = statements(r, 0, 5);
        in.origin = "soup";
    }
    if (in.origin != "soup") {
        if (r.one_in(4)) {
            mutate(r, in.text, 0);
            in.origin = "mutated " + in.origin;
        }
        return in;
    }
    if (r.one_in(2)) {
        mutate(r, in.text, 0);
        in.origin = "mutated soup";
    }
    return in;
}

// Whether some line starts (after blanks) with a quoted word or a word with a backslash
// before its first blank: a name nginx reads differently from its bytes.
bool has_spelled_name(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        auto p = text.find_first_not_of(" \t", at);
        if (p == std::string_view::npos) break;
        if (text[p] == '"' || text[p] == '\'') return true;
        const auto end = text.find_first_of(" \t\n;{", p);
        if (text.substr(p, end - p).find('\\') != std::string_view::npos) return true;
        const auto nl = text.find('\n', p);
        if (nl == std::string_view::npos) break;
        at = nl + 1;
    }
    return false;
}

// ---- verdicts -----------------------------------------------------------------------------

// The messages of nginx's tokenizer and block parser (ngx_conf_file.c, and the lua module's
// block reader); any other rejection is about a directive and out of the library's scope.
bool syntax_message(std::string_view m) {
    if (m == "unexpected end of file, expecting \";\" or \"}\"" ||
        m == "unexpected end of file, expecting \"}\"" ||
        m == "unexpected end of file, expecting terminating characters for lua code block") {
        return true;
    }
    if (m.rfind("too long parameter", 0) == 0) return true;
    // unexpected "X" for one byte X (";", "{", "}" or what followed a closing quote).
    return m.size() == 14 && m.rfind("unexpected \"", 0) == 0 && m.back() == '"';
}

enum class outcome : std::uint8_t { agree, skipped, disagree };

outcome judge(const verdict& nginx, const verdict& lib) {
    if (nginx.ok) return lib.ok ? outcome::agree : outcome::disagree;
    if (nginx.in_fragment && syntax_message(nginx.message)) {
        return oracle::agree(nginx, lib) ? outcome::agree : outcome::disagree;
    }
    const bool before = nginx.in_fragment && nginx.line > 0 && !lib.ok && lib.line < nginx.line;
    if (nginx.in_fragment && oracle::directive_message(nginx.message)) {
        if (oracle::agree(nginx, lib)) return outcome::agree;
        // The library's parse failed after line L: nginx stopped before reading that far.
        if (!lib.ok && !oracle::directive_message(lib.message) && lib.line >= nginx.line) return outcome::skipped;
        return outcome::disagree;
    }
    // Rejected inside a directive's handler: nginx lexed and checked everything before line L.
    return before ? outcome::disagree : outcome::skipped;
}

// "unknown directive", "not allowed here", ...: the kind of a message, for the counts.
std::string message_kind(const verdict& v) {
    if (v.ok) return "ok";
    if (!v.in_fragment) return "outside the fragment";
    if (syntax_message(v.message)) return "syntax";
    if (!oracle::directive_message(v.message)) return "handler-level";
    for (std::string_view k : {"unknown directive", "is not allowed here", "invalid number of arguments",
                               "has no opening", "is not terminated by"}) {
        if (v.message.find(k) != std::string::npos) return std::string(k);
    }
    return "directive";
}

// Shrinks `text` while nginx and the library still disagree the same way (same two
// messages), by deleting chunks of halving size.
std::string shrink(const oracle::nginx_oracle& o, std::string text, conf_context where,
                   const verdict& nginx0, const verdict& lib0, std::size_t budget = 400) {
    auto still = [&](const std::string& t) {
        if (budget == 0) return false;
        --budget;
        const auto n = o.check(t, where);
        const auto l = oracle::library_directive_check(t, where, o.lua_loaded());
        return judge(n, l) == outcome::disagree && n.ok == nginx0.ok && l.ok == lib0.ok &&
               n.message == nginx0.message && l.message == lib0.message;
    };
    for (std::size_t chunk = std::max<std::size_t>(text.size() / 2, 1); chunk >= 1; chunk /= 2) {
        bool progress = true;
        while (progress && budget > 0) {
            progress = false;
            for (std::size_t at = 0; at < text.size() && budget > 0;) {
                std::string t = text;
                t.erase(at, chunk);
                if (still(t)) {
                    text = std::move(t);
                    progress = true;
                } else {
                    at += chunk;
                }
            }
        }
        if (chunk == 1) break;
    }
    return text;
}

std::string save(const std::string& text, std::uint64_t seed, std::size_t index,
                 std::string_view suffix) {
    const auto dir = std::filesystem::temp_directory_path();
    const auto path = dir / ("ngxconf-random-diff-" + std::to_string(seed) + "-" +
                             std::to_string(index) + std::string(suffix) + ".conf");
    std::ofstream(path, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
    return path.string();
}

}  // namespace

TEST_CASE("random fragments: nginx and the library agree at the syntax level",
          "[.][nginx][random]") {
    // nginx starts faster without the lua module: it is loaded only for the lua fixtures.
    std::string why;
    oracle::oracle_options plain_opts;
    plain_opts.load_lua = false;
    auto o = oracle::nginx_oracle::find(plain_opts, &why);
    auto lua = o ? oracle::nginx_oracle::find({}, &why) : std::nullopt;
    if (!o || !lua) return test::missing_prerequisite("random differential test: " + why);

    const std::uint64_t seed = env_number("NGXCONF_SEED", 20240501);
    const std::size_t count = env_number("NGXCONF_RANDOM_DIFF_COUNT", 5000);
    // A cap that keeps the test under two minutes on a loaded machine (nginx -t is most of
    // the time); the inputs are the same for a seed, only fewer of them may be run.
    const double max_seconds = static_cast<double>(env_number("NGXCONF_RANDOM_DIFF_SECONDS", 100));
    const auto fixtures = load_fixtures(lua->lua_loaded());
    rng r(seed);

    std::size_t map_inputs = 0, lua_inputs = 0, quoted_names = 0;
    std::size_t run = 0, agreed = 0, skipped = 0, disagreed = 0, nginx_ok = 0, nginx_syntax = 0;
    std::map<std::string, std::array<std::size_t, 3>> by_kind;  // nginx's kind: agree, skipped, disagree
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    for (std::size_t i = 0; i < count && elapsed() < max_seconds; ++i, ++run) {
        const auto in = generate(r, fixtures);
        const auto theirs = (in.lua ? *lua : *o).check(in.text, in.context);
        const auto& oc0 = in.lua ? *lua : *o;
        const auto ours = oracle::library_directive_check(in.text, in.context, oc0.lua_loaded());
        if (theirs.ok) ++nginx_ok;
        if (in.origin.find("map") != std::string::npos) ++map_inputs;
        if (in.origin.find("lua soup") != std::string::npos) ++lua_inputs;
        if (has_spelled_name(in.text)) ++quoted_names;
        if (!theirs.ok && theirs.in_fragment && syntax_message(theirs.message)) ++nginx_syntax;
        const auto verdict_of_pair = judge(theirs, ours);
        ++by_kind[message_kind(theirs)][static_cast<std::size_t>(verdict_of_pair)];
        switch (verdict_of_pair) {
            case outcome::agree: ++agreed; break;
            case outcome::skipped: ++skipped; break;
            case outcome::disagree: {
                ++disagreed;
                const auto& oc = in.lua ? *lua : *o;
                const auto small = shrink(oc, in.text, in.context, theirs, ours);
                const auto small_nginx = oc.check(small, in.context);
                const auto small_lib = oracle::library_directive_check(small, in.context, oc.lua_loaded());
                const auto path = save(in.text, seed, i, "");
                const auto small_path = save(small, seed, i, "-min");
                FAIL_CHECK("nginx and the library disagree (input " << i << ", seed " << seed
                           << ", " << in.origin << ", context " << oracle::to_string(in.context)
                           << ")\n  nginx:   " << oracle::describe(theirs)
                           << "\n  library: " << oracle::describe(ours)
                           << "\n  input saved as " << path
                           << "\n  shrunk:  " << ngxconf::json_quote(small)
                           << "\n    nginx:   " << oracle::describe(small_nginx)
                           << "\n    library: " << oracle::describe(small_lib)
                           << "\n  shrunk input saved as " << small_path);
                break;
            }
        }
    }
    const auto secs = elapsed();
    std::cout << "random differential (" << o->version() << ", lua "
              << (lua->lua_loaded() ? "loaded" : "not loaded") << ", seed " << seed << "): " << run
              << " inputs" << (run < count ? " (time cap reached)" : "") << ", " << agreed << " agree (nginx accepted " << nginx_ok << ", syntax errors "
              << nginx_syntax << "), " << skipped << " not compared past nginx's line (handler-level "
              << "rejections, or a directive error before a later syntax error), "
              << disagreed << " disagree; " << quoted_names << " inputs with a quoted or escaped name, "
              << map_inputs << " map/types, " << lua_inputs << " with a Lua block; " << secs << " s"
              << std::endl;
    for (const auto& [kind, n] : by_kind) {
        std::cout << "  nginx " << kind << ": " << n[0] << " agree, " << n[1] << " not compared, " << n[2]
                  << " disagree" << std::endl;
    }
    // A generator gone wrong would make everything skipped.
    CHECK(agreed > run / 2);
}
