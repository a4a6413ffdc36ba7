// Golden edits: fixtures/edits/NAME.in.conf, after the operations of NAME.ops, must print
// exactly NAME.out.conf. One operation a line:
//   enable|disable|remove NAME ARG0           the first directive NAME whose first arg is ARG0
//   set_arg NAME ARG0 INDEX VALUE             (VALUE: the rest of the line)
//   insert_after NAME ARG0 -- NEW ARGS...     sibling after the target
//   insert_first|insert_last [NAME [ARG0]] -- NEW ARGS...   child of the target (root if none)
// Double-quoted words in .ops are values: the quotes are not part of them.
#include <sstream>

#include "test_support.hpp"

using namespace ngxconf;

namespace {

std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    std::string w;
    while (in >> w) {
        if (w.size() >= 2 && w.front() == '"' && w.back() == '"') w = w.substr(1, w.size() - 2);
        out.push_back(w);
    }
    return out;
}

directive target(document& doc, const std::string& name, const std::string* arg0) {
    const auto found = find_if(
        doc.root(),
        [&](const directive& d) {
            return d.name() == name && (!arg0 || (d.arg_count() > 0 && d.arg(0) == *arg0));
        },
        {.recursive = true, .include_disabled = true});
    REQUIRE(!found.empty());
    return found.front();
}

void apply_op(document& doc, const std::string& line) {
    INFO("op: " << line);
    auto w = words(line);
    REQUIRE(!w.empty());
    const auto dash = std::find(w.begin(), w.end(), "--");
    std::vector<std::string> head(w.begin(), dash);
    std::vector<std::string> tail = dash == w.end() ? std::vector<std::string>{}
                                                    : std::vector<std::string>(dash + 1, w.end());
    const auto& op = head[0];
    auto pick = [&]() {
        REQUIRE(head.size() >= 2);
        return target(doc, head[1], head.size() >= 3 ? &head[2] : nullptr);
    };
    if (op == "enable") {
        REQUIRE(enable(pick()) == toggle_status::changed);
    } else if (op == "disable") {
        REQUIRE(disable(pick()) == toggle_status::changed);
    } else if (op == "remove") {
        remove(pick());
    } else if (op == "set_arg") {
        REQUIRE(head.size() >= 5);
        const auto d = target(doc, head[1], &head[2]);
        std::string value = head[4];
        for (std::size_t i = 5; i < head.size(); ++i) value += " " + head[i];
        set_arg(d, std::stoul(head[3]), value);
    } else {
        REQUIRE(!tail.empty());
        const std::vector<std::string> args(tail.begin() + 1, tail.end());
        if (op == "insert_after") {
            insert_directive(pick(), insert_at::after, tail[0], args);
        } else {
            const node anchor = head.size() >= 2 ? node(pick()) : node(doc.root());
            insert_directive(anchor, op == "insert_first" ? insert_at::first_child : insert_at::last_child,
                             tail[0], args);
        }
    }
}

}  // namespace

TEST_CASE("golden edits print exactly the expected bytes and re-parse", "[edit][golden]") {
    const auto dir = test::fixtures_dir() / "edits";
    std::size_t cases = 0;
    for (const auto& in : test::files_below(dir, ".in.conf")) {
        const auto stem = in.filename().string().substr(0, in.filename().string().size() - 8);
        DYNAMIC_SECTION(stem) {
            auto doc = parse(test::read_file(in), stem);
            std::istringstream ops(test::read_file(dir / (stem + ".ops")));
            for (std::string line; std::getline(ops, line);) {
                if (!line.empty()) apply_op(doc, line);
            }
            const auto expected = test::read_file(dir / (stem + ".out.conf"));
            CHECK(to_string(doc) == expected);
            CHECK(to_string(parse(expected)) == expected);
        }
        ++cases;
    }
    CHECK(cases >= 7);
}
