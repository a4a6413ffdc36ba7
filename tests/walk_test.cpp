// walk(): the one preorder traversal under every tree walker (queries, selectors, JSON, dumps,
// reformat). Events are recorded as short codes: "+name@depth" for enter, "-name@depth" for
// leave; a comment is "#", a blank line "_".
#include <ngxconf/walk.hpp>

#include "test_support.hpp"

using namespace ngxconf;

namespace {

// http (depth 1) holds a comment, a block with an enabled and a disabled directive, a blank
// line, an empty block and a Lua block; `top` follows at depth 1.
constexpr std::string_view fixture =
    "http {\n"
    "    # c\n"
    "    server {\n"
    "        listen 80;\n"
    "        #include x.conf;\n"
    "    }\n"
    "\n"
    "    empty {}\n"
    "    content_by_lua_block { ngx.say(1) }\n"
    "}\n"
    "top;\n";

std::string code(const node& n) {
    if (n.is_comment()) return "#";
    if (n.is_blank()) return "_";
    return std::string(n.as_directive().name());
}

std::string label(walk_event e, const node& n, std::size_t depth) {
    return (e == walk_event::enter ? "+" : "-") + code(n) + "@" + std::to_string(depth);
}

// Records every event; `action` decides what to return.
template <class Action>
std::vector<std::string> record(const block& scope, Action action) {
    std::vector<std::string> out;
    walk(scope, [&](walk_event e, const node& n, std::size_t depth) {
        out.push_back(label(e, n, depth));
        return action(e, n);
    });
    return out;
}

walk_action always_descend(walk_event, const node&) { return walk_action::descend; }

std::vector<std::string> names(const std::vector<directive>& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds) out.push_back(std::string(d.name()) + (d.arg_count() ? " " + d.arg(0) : ""));
    return out;
}

}  // namespace

TEST_CASE("walk: enter in document order, leave after the children of each block", "[walk]") {
    auto doc = parse(fixture);
    const std::vector<std::string> expected = {
        "+http@1",  "+#@2",       "+server@2", "+listen@3",
        "+include@3", "-server@2", "+_@2",      "+empty@2",
        "-empty@2", "+content_by_lua_block@2", "-http@1", "+top@1"};
    CHECK(record(doc.root(), always_descend) == expected);
}

TEST_CASE("walk: skip_children skips the children, and the leave still comes", "[walk]") {
    auto doc = parse(fixture);
    const auto events = record(doc.root(), [](walk_event e, const node& n) {
        return e == walk_event::enter && code(n) == "server" ? walk_action::skip_children
                                                              : walk_action::descend;
    });
    const std::vector<std::string> expected = {
        "+http@1", "+#@2", "+server@2", "-server@2", "+_@2", "+empty@2", "-empty@2",
        "+content_by_lua_block@2", "-http@1", "+top@1"};
    CHECK(events == expected);
    // Skipping at the top: one enter and one leave per top-level block.
    const auto flat = record(doc.root(), [](walk_event, const node&) { return walk_action::skip_children; });
    CHECK(flat == std::vector<std::string>{"+http@1", "-http@1", "+top@1"});
}

TEST_CASE("walk: stop ends the walk at once, on enter or on leave", "[walk]") {
    auto doc = parse(fixture);
    const auto on_enter = record(doc.root(), [](walk_event e, const node& n) {
        return e == walk_event::enter && code(n) == "listen" ? walk_action::stop : walk_action::descend;
    });
    CHECK(on_enter == std::vector<std::string>{"+http@1", "+#@2", "+server@2", "+listen@3"});
    const auto on_leave = record(doc.root(), [](walk_event e, const node&) {
        return e == walk_event::leave ? walk_action::stop : walk_action::descend;
    });
    CHECK(on_leave == std::vector<std::string>{"+http@1", "+#@2", "+server@2", "+listen@3",
                                               "+include@3", "-server@2"});
}

TEST_CASE("walk: a sub-block is walked alone, its children at depth 1", "[walk]") {
    auto doc = parse(fixture);
    const auto server = find_first(doc.root(), "server", {.recursive = true});
    REQUIRE(server);
    CHECK(record(server.body(), always_descend) == std::vector<std::string>{"+listen@1", "+include@1"});
    const auto http = find_first(doc.root(), "http");
    REQUIRE(http);
    const auto events = record(http.body(), always_descend);
    REQUIRE(events.size() == 9);
    CHECK(events.front() == "+#@1");
    CHECK(events.back() == "+content_by_lua_block@1");  // nothing of `top` after it
}

TEST_CASE("walk: empty blocks and empty documents", "[walk]") {
    auto doc = parse(fixture);
    const auto empty = find_first(doc.root(), "empty", {.recursive = true});
    REQUIRE(empty);
    CHECK(record(empty.body(), always_descend).empty());
    CHECK(record(parse("").root(), always_descend).empty());
    CHECK(record(parse("a {\n}\n").root(), always_descend) == std::vector<std::string>{"+a@1", "-a@1"});
    // A Lua block has no body to walk: enter only.
    const auto lua = find_first(doc.root(), "content_by_lua_block", {.recursive = true});
    REQUIRE(lua);
    CHECK_FALSE(lua.body());
}

TEST_CASE("walk: disabled directives, in commented-out blocks too, are visited", "[walk]") {
    // `#server {` and `#}` are comment lines; the line between is a disabled directive.
    auto doc = parse("#listen 443 quic;\n#server {\n#    listen 80;\n#}\nkeep;\n");
    std::vector<std::string> seen;
    walk(doc.root(), [&](walk_event e, const node& n) {
        if (e != walk_event::enter) return;
        if (const auto d = n.as_directive()) {
            seen.push_back(code(n) + (d.enabled() ? "" : "(off)") + (d.in_commented_block() ? "(in)" : ""));
        } else {
            seen.push_back(code(n));
        }
    });
    CHECK(seen == std::vector<std::string>{"listen(off)", "#", "listen(off)(in)", "#", "keep"});
}

TEST_CASE("walk: a visitor may return nothing or omit the depth; a null scope throws", "[walk]") {
    auto doc = parse(fixture);
    std::size_t entered = 0, left = 0;
    walk(doc.root(), [&](walk_event e, const node&) { ++(e == walk_event::enter ? entered : left); });
    CHECK(entered == 9);
    CHECK(left == 3);
    CHECK_THROWS_AS(walk(block(), always_descend), usage_error);
}

TEST_CASE("walk: 300 000 nested blocks, enters and leaves balanced", "[walk]") {
    std::string text;
    constexpr std::size_t n = 300000;
    for (std::size_t i = 0; i < n; ++i) text += "a{";
    text += std::string(n, '}');
    parse_options opts;
    opts.max_depth = static_cast<std::uint32_t>(2 * n);
    auto doc = parse(text, "deep.conf", opts);
    std::size_t entered = 0, left = 0, deepest = 0;
    walk(doc.root(), [&](walk_event e, const node&, std::size_t depth) {
        ++(e == walk_event::enter ? entered : left);
        deepest = std::max(deepest, depth);
    });
    CHECK(entered == n);
    CHECK(left == n);
    CHECK(deepest == n);
}

TEST_CASE("find: recursive or not, disabled on request, stops at the first", "[walk][query]") {
    auto doc = parse(fixture);
    CHECK(find_all(doc.root(), "listen").empty());
    CHECK(find_all(doc.root(), "listen", {.recursive = true}).size() == 1);
    CHECK(find_all(doc.root(), "include", {.recursive = true}).empty());
    CHECK(find_all(doc.root(), "include", {.recursive = true, .include_disabled = true}).size() == 1);
    std::vector<std::string> order;
    for_each_directive(doc.root(), [&](const directive& d) { order.push_back(std::string(d.name())); },
                       {.recursive = true});
    CHECK(order == std::vector<std::string>{"http", "server", "listen", "empty",
                                            "content_by_lua_block", "top"});
    const auto first = find_first(doc.root(), "listen", {.recursive = true});
    REQUIRE(first);
    CHECK(first.arg(0) == "80");
    CHECK_FALSE(find_first(doc.root(), "missing", {.recursive = true}));
}

TEST_CASE("select: results once each, in document order, also for nested matches", "[walk][query]") {
    auto doc = parse(
        "a 1 {\n"
        "    b 1;\n"
        "    a 2 {\n"
        "        b 2;\n"
        "        a 3 { b 3; }\n"
        "    }\n"
        "    b 4;\n"
        "    #b 5;\n"
        "    c { b 6; }\n"
        "}\n"
        "b 7;\n");
    CHECK(names(select(doc.root(), "a > b")) == std::vector<std::string>{"b 1", "b 2", "b 3", "b 4"});
    CHECK(names(select(doc.root(), "a b")) ==
          std::vector<std::string>{"b 1", "b 2", "b 3", "b 4", "b 6"});
    CHECK(names(select(doc.root(), "a b", {.include_disabled = true})) ==
          std::vector<std::string>{"b 1", "b 2", "b 3", "b 4", "b 5", "b 6"});
    CHECK(names(select(doc.root(), "a a")) == std::vector<std::string>{"a 2", "a 3"});
    CHECK(names(select(doc.root(), "a > a > a > b")) == std::vector<std::string>{"b 3"});
    CHECK(names(select(doc.root(), "a[1] > * > b")) == std::vector<std::string>{"b 2", "b 6"});
    CHECK(names(select(doc.root(), "a > c b")) == std::vector<std::string>{"b 6"});
    CHECK(names(select(doc.root(), "b")).size() == 6);
    // A scope below the root: the first step matches below it only.
    const auto inner = find_first(doc.root(), "a", {.recursive = true});
    REQUIRE(inner);
    CHECK(names(select(inner.body(), "a b")) == std::vector<std::string>{"b 2", "b 3"});
}

TEST_CASE("select: the lines of a commented-out block are children of the enclosing block",
          "[walk][query]") {
    auto doc = parse("a {\n    #x {\n    #    b;\n    #}\n    y { b; }\n}\n");
    CHECK(select(doc.root(), "a b").size() == 1);
    CHECK(select(doc.root(), "a > b").empty());
    CHECK(select(doc.root(), "a > b", {.include_disabled = true}).size() == 1);
    CHECK(select(doc.root(), "a > * > b", {.include_disabled = true}).size() == 1);
    CHECK(select(doc.root(), "a b", {.include_disabled = true}).size() == 2);
}

TEST_CASE("select: more steps than one 64-bit word holds", "[walk][query]") {
    std::string text, selector;
    for (int i = 0; i < 70; ++i) {
        text += "s" + std::to_string(i) + " {\n";
        selector += (i ? " > s" : "s") + std::to_string(i);
    }
    text += "leaf;\n";
    for (int i = 0; i < 70; ++i) text += "}\n";
    auto doc = parse(text);
    const auto hit = select(doc.root(), selector + " > leaf");
    REQUIRE(hit.size() == 1);
    CHECK(hit[0].name() == "leaf");
    CHECK(select(doc.root(), selector + " > s0").empty());
    CHECK(select(doc.root(), "s0 s69 leaf").size() == 1);
    CHECK(select(doc.root(), "s69 s0").empty());
}

TEST_CASE("walk: a const document is walked with read-only handles", "[walk]") {
    const auto doc = parse(fixture);
    std::vector<std::string> names;
    walk(doc.root(), [&](walk_event e, const const_node& n) {
        if (e == walk_event::enter && n.is_directive()) names.emplace_back(n.as_directive().name());
    });
    auto mutable_doc = parse(fixture);
    std::vector<std::string> expected;
    walk(mutable_doc.root(), [&](walk_event e, const node& n) {
        if (e == walk_event::enter && n.is_directive()) expected.emplace_back(n.as_directive().name());
    });
    CHECK(names == expected);
    CHECK(names.size() >= 6);
}
