// libFuzzer target: random edits on a parsed document, driven by the input bytes.
//
// Input: CONFIG [ "\xff\xfe" SCRIPT ]. The config is everything before the last "\xff\xfe";
// the script bytes choose the edits. Past the end of the script (or without one, as for the
// seed corpus of plain configuration files) a PRNG seeded from the input takes over, so
// every seed gets edits too.
//
// After the edits:
//  - the output re-parses, and its enabled directives (name, decoded args, depth) are those
//    of the edited document;
//  - every value given to set_arg/set_args/insert_* decodes back through directive::arg;
//  - every node no edit touched prints its original bytes, and every original line that such
//    a node had to itself is still a line of the output (line multisets);
//  - set_enabled() that returns `changed` adds or removes exactly one '#';
//  - an edit refused with usage_error changes no byte;
//  - pieces() join to to_string().
#include <ngxconf/ngxconf.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// tests/regress_test.cpp compiles this file too (NGXCONF_FUZZ_REPLAY) to replay the inputs of
// fixtures/regress/: the entry point gets another name and a broken invariant throws.
namespace edit_fuzz {
using namespace ngxconf;
namespace {

[[noreturn]] void fail(const char* what, std::string_view a = {}, std::string_view b = {}) {
    std::string msg = std::string("edit_fuzz invariant broken: ") + what;
    if (!a.empty()) msg += "\n  " + json_quote(a);
    if (!b.empty()) msg += "\n  " + json_quote(b);
#ifdef NGXCONF_FUZZ_REPLAY
    throw std::runtime_error(msg);
#else
    std::fprintf(stderr, "%s\n", msg.c_str());
    std::abort();
#endif
}

// Open issues that the fuzzer steps around so that it keeps finding new ones (the others it
// found are fixed and have minimal cases in tests/regress_test.cpp). Replays step around them
// too, so that a crash input replays exactly as the fuzzer ran it. Set to false to hunt them.
constexpr bool avoid_open_issues = true;

void check(bool ok, const char* what, std::string_view a = {}, std::string_view b = {}) {
    if (!ok) fail(what, a, b);
}

// NGXCONF_FUZZ_TRACE=1 prints every edit, to turn a crash input into a readable recipe.
bool tracing() {
    static const bool on = std::getenv("NGXCONF_FUZZ_TRACE") != nullptr;
    return on;
}

void trace(std::string_view op, const node& n, std::string_view a = {},
           const std::vector<std::string>* args = nullptr) {
    if (!tracing()) return;
    std::string line(op);
    line += " node#" + std::to_string(n.id()) + " " + json_quote(n.text());
    if (!a.empty()) line += " " + json_quote(a);
    if (args) {
        line += " [";
        for (const auto& v : *args) line += json_quote(v) + ",";
        line += "]";
    }
    std::fprintf(stderr, "edit: %s\n", line.c_str());
}

// Script bytes first, then a splitmix64 stream.
class byte_source {
public:
    byte_source(std::string_view script, std::uint64_t seed) : script_(script), state_(seed) {}
    std::uint8_t byte() {
        if (pos_ < script_.size()) return static_cast<std::uint8_t>(script_[pos_++]);
        state_ += 0x9E3779B97F4A7C15ull;
        std::uint64_t z = state_;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return static_cast<std::uint8_t>(z ^ (z >> 31));
    }
    std::size_t below(std::size_t n) {  // n > 0
        const std::size_t v = (std::size_t{byte()} << 8) | byte();
        return v % n;
    }
    bool coin() { return byte() & 1; }

private:
    std::string_view script_;
    std::size_t pos_ = 0;
    std::uint64_t state_;
};

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (const char c : s) h = (h ^ static_cast<std::uint8_t>(c)) * 1099511628211ull;
    return h;
}

// A value with the bytes that matter to nginx's lexer well represented.
std::string random_value(byte_source& src) {
    static constexpr std::string_view special = "\"'\\{};#$ \t\r\n()^~*";
    static constexpr std::string_view plain = "az09_/.:-=";
    const std::size_t len = src.below(4) == 0 ? src.below(300) : src.below(12);
    std::string v;
    for (std::size_t i = 0; i < len; ++i) {
        switch (src.below(4)) {
            case 0: v += special[src.below(special.size())]; break;
            case 1: v += static_cast<char>(src.byte()); break;
            default: v += plain[src.below(plain.size())]; break;
        }
    }
    return v;
}

std::string random_name(byte_source& src) {
    static constexpr std::string_view names[] = {
        "listen", "include", "return", "add_header", "set", "location", "if", "server",
        "proxy_pass", "x", "a_b", "${", "a}", "content_by_lua_block", "#x", "}", "a;b", ""};
    if (src.below(4) == 0) return random_value(src);
    return std::string(names[src.below(std::size(names))]);
}

std::vector<std::string> random_args(byte_source& src) {
    std::vector<std::string> args(src.below(4));
    for (auto& a : args) a = random_value(src);
    return args;
}

// The enabled directives of a tree in document order: name, decoded args and depth.
struct flat_directive {
    std::string name;
    std::vector<std::string> args;
    std::size_t depth;
    friend bool operator==(const flat_directive&, const flat_directive&) = default;
};

void flatten(const block& b, std::size_t depth, std::vector<flat_directive>& out) {
    for (const auto n : b) {
        const auto d = n.as_directive();
        if (!d || !d.enabled()) continue;
        out.push_back({std::string(d.name()), d.args(), depth});
        if (const auto body = d.body()) flatten(body, depth + 1, out);
    }
}

std::string describe(const std::vector<flat_directive>& v) {
    std::string s;
    for (const auto& d : v) {
        s += std::to_string(d.depth) + ":" + d.name;
        for (const auto& a : d.args) s += " " + json_quote(a);
        s += "\n";
    }
    return s;
}

// Every live node, in document order (the root excluded).
void live_nodes(const block& b, std::vector<node>& out) {
    for (const auto n : b) {
        out.push_back(n);
        if (const auto body = n.as_block()) live_nodes(body, out);
    }
}

std::vector<std::string_view> lines_of(std::string_view s) {
    std::vector<std::string_view> out;
    while (!s.empty()) {
        const auto nl = s.find('\n');
        if (nl == std::string_view::npos) {
            out.push_back(s);
            break;
        }
        out.push_back(s.substr(0, nl + 1));
        s.remove_prefix(nl + 1);
    }
    return out;
}

struct original {
    std::string text;   // node text right after parsing
    bool whole_lines;   // starts a line and ends with LF in the source
};

// One edit; returns false when the document refused it (usage_error, which must leave the
// bytes alone).
struct editor {
    document& doc;
    byte_source& src;
    std::map<std::uint32_t, std::vector<std::string>> expected_args;  // id -> decoded args set
    std::vector<bool> touched;  // by original id: an edit changed it or its subtree
    bool has_lua_ = false;

    void touch(const node& n) {
        for (node cur = n; cur && !cur.as_block().is_root(); cur = cur.parent()) {
            if (cur.id() < touched.size()) touched[cur.id()] = true;
        }
    }

    directive pick_directive(const std::vector<node>& nodes) {
        std::vector<directive> ds;
        for (const auto& n : nodes) {
            if (const auto d = n.as_directive()) ds.push_back(d);
        }
        if (ds.empty()) return {};
        return ds[src.below(ds.size())];
    }

    void step() {
        std::vector<node> nodes;
        live_nodes(doc.root(), nodes);
        if (avoid_open_issues) {
            // Open issue (reported; no regress case yet, the wanted behaviour is the
            // library's call): a Lua string left open in a Lua block is closed by bytes after
            // the block's '}', so editing a node after a Lua block can move the end of the
            // block (`content_by_lua_block { a = "} b;` with b's argument set to "x y").
            // More generally a quote left open on a line of the Lua code pairs with quotes in
            // later lines, so nothing after the first Lua block is edited.
            const auto lua = std::find_if(nodes.begin(), nodes.end(), [](const node& n) {
                return n.as_directive() && n.as_directive().is_lua_block();
            });
            if (lua != nodes.end()) {
                has_lua_ = true;
                nodes.erase(lua + 1, nodes.end());
            }
        }
        const std::string before = to_string(doc);
        const auto op = static_cast<unsigned>(src.below(9));
        try {
            apply(op, nodes, before);
        } catch (const usage_error& e) {
            if (tracing()) std::fprintf(stderr, "edit: refused: %s\n", e.what());
            check(to_string(doc) == before, "an edit refused with usage_error changed bytes",
                  before, to_string(doc));
        }
    }

    void apply(unsigned op, const std::vector<node>& nodes, const std::string& before) {
        switch (op) {
            case 0:
            case 1: {  // set_enabled
                const auto d = pick_directive(nodes);
                if (!d) return;
                const bool on = src.coin();
                const bool was = d.enabled();
                trace(on ? "enable" : "disable", d);
                const auto status = set_enabled(d, on);
                const std::string after = to_string(doc);
                if (status == toggle_status::changed) {
                    touch(d);
                    check(was != on && d.enabled() == on, "set_enabled: state not changed");
                    check_one_hash(before, after);
                } else {
                    check(after == before, "set_enabled changed bytes without `changed`", before,
                          after);
                    check(d.enabled() == was, "set_enabled changed the state without `changed`");
                }
                return;
            }
            case 2: {  // set_arg
                const auto d = pick_directive(nodes);
                if (!d || d.arg_count() == 0) return;
                const auto i = src.below(d.arg_count());
                const auto value = random_value(src);
                auto args = d.args();
                trace("set_arg " + std::to_string(i), d, value);
                set_arg(d, i, value);
                touch(d);
                args[i] = value;
                check(d.arg(i) == value, "set_arg: the value does not decode back", value,
                      d.raw_arg(i));
                expected_args[d.id()] = args;
                return;
            }
            case 3: {  // set_args
                const auto d = pick_directive(nodes);
                if (!d) return;
                const auto values = random_args(src);
                trace("set_args", d, {}, &values);
                set_args(d, values);
                touch(d);
                if (d.args() != values) {
                    std::string raw;
                    for (std::size_t i = 0; i < d.arg_count(); ++i) raw += std::string(d.raw_arg(i)) + "\n";
                    fail("set_args: the values do not decode back", describe({{"", values, 0}}), raw);
                }
                expected_args[d.id()] = values;
                return;
            }
            case 4:
            case 5: {  // insert_directive / insert_block
                node anchor = doc.root();
                if (!nodes.empty() && src.below(4) != 0) anchor = nodes[src.below(nodes.size())];
                const auto where = static_cast<insert_at>(src.below(4));
                const auto name = random_name(src);
                const auto args = random_args(src);
                if (avoid_open_issues && after_lua(anchor, where)) return;
                static constexpr const char* wheres[] = {"before", "after", "first_child", "last_child"};
                trace(std::string(op == 4 ? "insert_directive " : "insert_block ") +
                          wheres[static_cast<int>(where)] + " " + json_quote(name),
                      anchor, {}, &args);
                const auto d = op == 4 ? insert_directive(anchor, where, name, args)
                                       : insert_block(anchor, where, name, args);
                touch(anchor);
                touch_neighbours(anchor);
                check(d.name() == name, "insert: the name does not read back", name, d.name());
                if (d.args() != args) {
                    std::string raw;
                    for (std::size_t i = 0; i < d.arg_count(); ++i) raw += std::string(d.raw_arg(i)) + "\n";
                    fail("insert: the args do not decode back", describe({{name, args, 0}}), raw);
                }
                expected_args[d.id()] = args;
                return;
            }
            case 6: {  // insert_comment
                node anchor = doc.root();
                if (!nodes.empty() && src.below(4) != 0) anchor = nodes[src.below(nodes.size())];
                const auto where = static_cast<insert_at>(src.below(4));
                const auto text = random_value(src);
                if (avoid_open_issues && after_lua(anchor, where)) return;
                trace("insert_comment " + std::to_string(static_cast<int>(where)), anchor, text);
                (void)insert_comment(anchor, where, text);
                touch(anchor);
                touch_neighbours(anchor);
                return;
            }
            case 7: {  // remove
                if (nodes.empty()) return;
                const auto n = nodes[src.below(nodes.size())];
                const auto prev = n.prev_sibling();
                trace("remove", n);
                remove(n);
                check(n.removed(), "remove: node not marked removed");
                touch(n);
                if (prev) touch(prev);
                if (n.parent()) touch(n.parent());
                return;
            }
            default: {  // rename
                const auto d = pick_directive(nodes);
                if (!d) return;
                const auto name = random_name(src);
                trace("rename", d, name);
                rename(d, name);
                touch(d);
                check(d.name() == name, "rename: the name does not read back");
                return;
            }
        }
    }

    // The Lua-string issue of step(): nothing is inserted after a Lua block either.
    bool after_lua(const node& anchor, insert_at where) const {
        if (where == insert_at::after && anchor.as_directive() && anchor.as_directive().is_lua_block()) {
            return true;
        }
        return has_lua_ && anchor.as_block().is_root() && where == insert_at::last_child;
    }

    void touch_neighbours(const node& anchor) {
        if (anchor.as_block().is_root()) return;
        if (const auto p = anchor.prev_sibling()) touch(p);
        if (const auto n = anchor.next_sibling()) touch(n);
    }

    static void check_one_hash(const std::string& before, const std::string& after) {
        const bool added = after.size() == before.size() + 1;
        const bool removed = after.size() + 1 == before.size();
        check(added || removed, "set_enabled `changed` did not change one byte", before, after);
        const auto& longer = added ? after : before;
        const auto& shorter = added ? before : after;
        std::size_t i = 0;
        while (i < shorter.size() && shorter[i] == longer[i]) ++i;
        check(longer[i] == '#' && longer.compare(i + 1, std::string::npos, shorter, i) == 0,
              "set_enabled `changed` did more than add or remove one '#'", before, after);
    }
};

}  // namespace

int run(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    std::string_view config = in;
    std::string_view script;
    if (const auto sep = in.rfind("\xff\xfe"); sep != std::string_view::npos) {
        config = in.substr(0, sep);
        script = in.substr(sep + 2);
    }
    auto parsed = try_parse(config, "edit.conf");
    if (!parsed) return 0;
    auto& doc = parsed.value();

    // What every node was before the edits.
    std::vector<node> nodes;
    live_nodes(doc.root(), nodes);
    std::uint32_t max_id = 0;
    for (const auto& n : nodes) max_id = std::max(max_id, n.id());
    std::vector<original> orig(max_id + 1);
    for (const auto& n : nodes) {
        const auto b = n.position().byte;
        const auto t = n.text();
        orig[n.id()] = {t, (b == 0 || config[b - 1] == '\n') && !t.empty() && t.back() == '\n'};
    }

    byte_source src(script, fnv1a(in));
    editor ed{doc, src, {}, std::vector<bool>(max_id + 1, false), false};
    const std::size_t steps = 1 + src.below(8);
    for (std::size_t s = 0; s < steps; ++s) ed.step();

    const std::string out = to_string(doc);
    if (tracing()) std::fprintf(stderr, "edit: input %s\nedit: output %s\n", json_quote(config).c_str(), json_quote(out).c_str());
    {
        std::string joined;
        for (const auto& p : pieces(doc)) joined.append(p.bytes);
        check(joined == out, "pieces() do not join to to_string()", out, joined);
    }

    // Edited values decode back from the edited document.
    std::vector<node> live;
    live_nodes(doc.root(), live);
    for (const auto& n : live) {
        const auto it = ed.expected_args.find(n.id());
        if (it == ed.expected_args.end()) continue;  // not edited, or removed since
        check(n.as_directive().args() == it->second, "an edited value no longer decodes back");
    }

    // The output re-parses to the same enabled directives (no length limit: a long value
    // set by an edit is not the edit's fault; depth grows with inserted blocks).
    auto again = try_parse(out, "edit.conf", {.nginx_length_limit = false, .max_depth = 100000});
    if (!again) fail("the edited output does not re-parse", out, again.error().what());
    std::vector<flat_directive> want, got;
    flatten(doc.root(), 0, want);
    flatten(again.value().root(), 0, got);
    if (want != got) fail("re-parsed directives differ from the edited tree", describe(want), describe(got));

    // Untouched nodes keep their bytes, and their lines stay lines.
    std::map<std::string_view, long> need;
    for (const auto& n : live) {
        if (n.id() > max_id || ed.touched[n.id()] || n.edited()) continue;
        const auto& o = orig[n.id()];
        const auto now = n.text();
        if (now != o.text) fail("an untouched node changed its bytes", o.text, now);
        if (!o.whole_lines) continue;
        // Only the node's own lines: a block's children may have been edited.
        if (n.as_block()) continue;
        for (const auto l : lines_of(o.text)) ++need[l];
    }
    for (const auto l : lines_of(out)) {
        if (const auto it = need.find(l); it != need.end()) --it->second;
    }
    for (const auto& [line, count] : need) {
        if (count > 0) fail("a line of an untouched node is no longer a line of the output", line, out);
    }
    return 0;
}

}  // namespace edit_fuzz

#ifdef NGXCONF_FUZZ_REPLAY
inline int edit_fuzz_one(const std::uint8_t* data, std::size_t size) {
    return edit_fuzz::run(data, size);
}
#else
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return edit_fuzz::run(data, size);
}
#endif
