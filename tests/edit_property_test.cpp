// Property tests of the edit API over the fixtures and the real corpus.
#include <iostream>
#include <random>
#include <set>

#include "test_support.hpp"

using namespace ngxconf;

namespace {

std::vector<directive> all_directives(document& doc) {
    std::vector<directive> out;
    for_each_directive(doc.root(), [&](const directive& d) { out.push_back(d); },
                       {.recursive = true, .include_disabled = true});
    return out;
}

// b is a with exactly one byte inserted.
bool one_byte_more(std::string_view a, std::string_view b) {
    if (b.size() != a.size() + 1) return false;
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    return a.substr(i) == b.substr(i + 1);
}

struct toggle_counts {
    std::size_t directives = 0, toggled = 0, blocks = 0, multi_line = 0, in_region = 0;
};

void toggle_everything(const std::string& text, const std::string& name, toggle_counts& n) {
    auto doc = parse(text, name);
    for (const auto& d : all_directives(doc)) {
        ++n.directives;
        INFO(name << ':' << d.position().line << " " << d.name());
        const bool was_enabled = d.enabled();
        const auto first = set_enabled(d, !was_enabled);
        if (first != toggle_status::changed) {
            REQUIRE(to_string(doc) == text);
            switch (first) {
                case toggle_status::is_block: ++n.blocks; break;
                case toggle_status::not_single_line: ++n.multi_line; break;
                case toggle_status::inside_commented_block: ++n.in_region; break;
                default: FAIL("unexpected status " << to_string(first));
            }
            continue;
        }
        const auto between = to_string(doc);
        if (was_enabled) {
            REQUIRE(one_byte_more(text, between));
        } else {
            REQUIRE(one_byte_more(between, text));
        }
        REQUIRE(set_enabled(d, was_enabled) == toggle_status::changed);
        REQUIRE(to_string(doc) == text);
        ++n.toggled;
    }
}

// What each refusal should be, computed independently of set_enabled.
void expected_refusals(const std::string& text, toggle_counts& n) {
    auto doc = parse(text);
    for (const auto& d : all_directives(doc)) {
        if (d.has_block()) {
            ++n.blocks;
        } else if (d.in_commented_block()) {
            ++n.in_region;
        } else if (d.enabled()) {
            const auto t = d.text();
            const auto semi = t.find(';');
            const auto head = std::string_view(t).substr(0, semi);
            if (head.find('\n') != std::string_view::npos || head.find('#') != std::string_view::npos) {
                ++n.multi_line;
            }
        }
    }
}

}  // namespace

TEST_CASE("every corpus directive toggles off and on byte-exactly, one byte at a time",
          "[corpus][edit]") {
    const auto root = test::corpus_dir();
    const auto files = test::files_below(root, ".sample");
    if (files.empty()) {
        WARN("corpus not found at " << root << ": skipped");
        return;
    }
    toggle_counts got, want;
    for (const auto& f : files) {
        const auto text = test::read_file(f);
        toggle_everything(text, f.filename().string(), got);
        expected_refusals(text, want);
    }
    std::cout << "toggle property: " << files.size() << " files, " << got.directives
              << " directives, " << got.toggled << " toggled and restored, refused: " << got.blocks
              << " blocks, " << got.multi_line << " multi-line, " << got.in_region
              << " inside commented blocks\n";
    CHECK(got.toggled + got.blocks + got.multi_line + got.in_region == got.directives);
    CHECK(got.blocks == want.blocks);
    CHECK(got.in_region == want.in_region);
    CHECK(got.multi_line >= want.multi_line);
    CHECK(got.toggled > 0);
}

TEST_CASE("random edit sequences re-parse and leave untouched nodes identical", "[edit]") {
    const auto files = test::files_below(test::fixtures_dir() / "roundtrip");
    REQUIRE(!files.empty());
    std::mt19937 rng(20261128);  // fixed seed: CI is deterministic
    std::size_t edits = 0;
    for (const auto& f : files) {
        const auto text = test::read_file(f);
        auto doc = parse(text, f.filename().string());
        std::vector<node> nodes;
        std::vector<std::string> before;
        std::function<void(const block&)> walk = [&](const block& b) {
            for (node n : b) {
                nodes.push_back(n);
                before.push_back(n.text());
                if (block inner = n.as_block()) walk(inner);
            }
        };
        walk(doc.root());
        std::set<std::uint32_t> touched;
        auto touch = [&](node n) {
            for (node p = n; p && !p.as_block().is_root(); p = p.parent()) touched.insert(p.id());
        };
        for (int k = 0; k < 12 && !nodes.empty(); ++k) {
            node n = nodes[rng() % nodes.size()];
            if (n.removed() || touched.count(n.id())) continue;
            directive d = n.as_directive();
            switch (rng() % 4) {
                case 0:
                    if (d) {
                        touch(n);
                        (void)set_enabled(d, !d.enabled());
                    }
                    break;
                case 1:
                    if (d && d.arg_count() > 0) {
                        std::string v;
                        for (std::size_t i = rng() % 8; i > 0; --i) v += static_cast<char>(rng() % 256);
                        if (!d.enabled()) std::erase(v, '\n');
                        touch(n);
                        set_arg(d, rng() % d.arg_count(), v);
                        REQUIRE(parse(to_string(doc)).root());
                    }
                    break;
                case 2:
                    if (d || n.is_comment()) {
                        touch(n.parent());
                        if (!n.parent().is_root()) touch(n.parent());
                        touch(n);
                        (void)insert_directive(n, insert_at::after, "add_header", {"X-Edit", "v"});
                    }
                    break;
                default:
                    // A removed node that ended a shared line hands its line end to the
                    // node before it (or to its parent's `{` line).
                    touch(n);
                    if (n.prev_sibling()) touch(n.prev_sibling());
                    touch(n.parent());
                    remove(n);
                    break;
            }
            ++edits;
        }
        const auto printed = to_string(doc);
        INFO(f.filename() << " after edits: " << json_quote(printed));
        // The printer copies unedited subtrees as source spans; pieces() visits every node.
        std::string from_pieces;
        for (const auto& p : ngxconf::pieces(doc)) from_pieces += p.bytes;
        CHECK(from_pieces == printed);
        auto again = try_parse(printed);
        REQUIRE(again);
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (touched.count(nodes[i].id()) || nodes[i].removed()) continue;
            // Inserting after a node that ends its line without LF gives it the LF (R1).
            if (nodes[i].next_sibling() && nodes[i].next_sibling().edited() &&
                !nodes[i].next_sibling().position().known()) {
                continue;
            }
            CHECK(nodes[i].text() == before[i]);
        }
    }
    CHECK(edits > 20);
}
