// libFuzzer target: whatever the bytes, parsing either fails with a positioned parse_error or
// prints back byte for byte; pieces() tile the input; reading the tree never crashes. The
// recovering parse prints back byte for byte always, and agrees with the strict one.
#include <ngxconf/ngxconf.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

// tests/regress_test.cpp compiles this file too (NGXCONF_FUZZ_REPLAY) to replay the inputs of
// fixtures/regress/: the entry point gets another name and a broken invariant throws.
namespace roundtrip_fuzz {
namespace {

[[noreturn]] void fail(const char* what, std::string_view detail = {}) {
    std::string msg = std::string("roundtrip_fuzz invariant broken: ") + what;
    if (!detail.empty()) msg += "\n  " + ngxconf::json_quote(detail);
#ifdef NGXCONF_FUZZ_REPLAY
    throw std::runtime_error(msg);
#else
    std::fprintf(stderr, "%s\n", msg.c_str());
    std::abort();
#endif
}

void check(bool ok, const char* what, std::string_view detail = {}) {
    if (!ok) fail(what, detail);
}

bool is_syntax_code(ngxconf::error_code c) {
    using ec = ngxconf::error_code;
    switch (c) {
        case ec::unexpected_character:
        case ec::unexpected_semicolon:
        case ec::unexpected_open_brace:
        case ec::unexpected_close_brace:
        case ec::eof_expecting_terminator:
        case ec::eof_expecting_close:
        case ec::too_long_parameter:
        case ec::eof_in_lua_block:
        case ec::nesting_too_deep:
            return true;
        default:
            return false;
    }
}

// A recovering parse opens blocks past max_depth: the harness (recursive) looks no deeper.
constexpr std::uint32_t recovered_depth_seen = 300;

// Reads every accessor of every node, so that a bad span or view shows up under ASan.
void walk(const ngxconf::const_block& b, std::size_t size, std::uint32_t depth, bool recovered) {
    if (recovered && depth > recovered_depth_seen) return;
    for (const auto n : b) {
        check(!n.removed() && !n.edited(), "a fresh node is removed or edited");
        check(n.parent() == b, "parent() does not lead back to the block");
        const auto pos = n.position();
        check(pos.line >= 1 && pos.column >= 1 && pos.byte <= size, "node position out of range");
        const auto reg = n.region();
        check(reg.begin.byte <= reg.end.byte && reg.end.byte <= size, "node region out of range");
        (void)n.text();
        if (const auto c = n.as_comment()) {
            check(!c.text().empty() && c.text().front() == '#', "comment text without '#'");
        }
        if (const auto d = n.as_directive()) {
            check(!d.raw_name().empty(), "directive with an empty raw name");
            const auto np = d.name_position();
            check(np.line >= pos.line && np.byte <= size, "name position out of range");
            const auto count = d.arg_count();
            const auto args = d.args();
            check(args.size() == count, "args() and arg_count() disagree");
            for (std::size_t i = 0; i < count; ++i) {
                check(!d.raw_arg(i).empty(), "empty raw argument");
                check(d.arg(i) == args[i], "arg(i) and args()[i] disagree");
                (void)d.quote(i);
            }
            for (const auto& r : {d.name_region(), d.tokens_region()}) {
                check(r.begin.byte <= r.end.byte && r.end.byte <= size, "token region out of range");
            }
            (void)d.indent();
            (void)d.enabled();
            (void)d.in_commented_block();
            if (d.is_lua_block()) (void)d.lua_code();
            if (const auto body = d.body()) {
                check(d.has_block() && !d.is_lua_block(), "body() of a non-block");
                check(body.owner_directive() == d, "owner_directive() does not lead back");
                walk(body, size, depth + 1, recovered);
            }
        }
        check(!n.is_error() || recovered, "an error node outside a recovering parse");
    }
    check(recovered || depth <= 256, "tree deeper than max_depth");
}

void check_document(const ngxconf::document& doc, std::string_view in, bool recovered = false) {
    const std::string out = ngxconf::to_string(doc);
    if (out != in) fail("to_string(parse(x)) != x", in);
    std::ostringstream os;
    os << doc;
    check(os.str() == in, "operator<< differs from the input", in);

    // pieces(): offsets tile the source exactly, bytes are the source's.
    std::uint64_t at = 0;
    for (const auto& p : ngxconf::pieces(doc)) {
        check(!p.bytes.empty(), "an empty piece");
        check(p.offset == at, "pieces do not tile the input (gap, overlap or npos)", in);
        check(in.substr(at, p.bytes.size()) == p.bytes, "piece bytes differ from the source");
        at += p.bytes.size();
    }
    check(at == in.size(), "pieces stop before the end of the input", in);

    walk(doc.root(), in.size(), 0, recovered);
    (void)ngxconf::dump_tree(doc);
    ngxconf::json_options json;
    json.include_comments = true;
    json.spans = true;
    (void)ngxconf::to_crossplane_json(doc, json);
}

void check_error(const ngxconf::parse_error& e, std::string_view in) {
    const auto& w = e.where();
    check(w.begin.line >= 1 && w.begin.column >= 1, "parse error without a position", in);
    check(w.begin.byte <= in.size(), "parse error position beyond the input", in);
    check(is_syntax_code(e.code()), "parse error with a non-syntax code", e.what());
    check(!e.description().empty(), "parse error without a message");
}

// The recovering parse: lossless whatever the bytes; no error and the same tree where the
// strict parse accepts, else the strict parse's error first.
void check_recovering(ngxconf::parse_result& strict, std::string_view in) {
    const auto r = ngxconf::parse_recovering(in, "fuzz.conf");
    check_document(r.doc, in, true);
    for (const auto& e : r.errors) {
        check(is_syntax_code(e.code) && e.level == ngxconf::severity::error,
              "a recovered error that is not a syntax error", e.message);
        check(e.where.begin.line >= 1 && e.where.begin.byte <= in.size(),
              "a recovered error without a position in the input", in);
    }
    if (strict) {
        check(r.errors.empty(), "the recovering parse finds an error the strict one does not", in);
        check(ngxconf::dump_tree(r.doc) == ngxconf::dump_tree(strict.value()),
              "the recovering parse builds another tree for text that parses", in);
        return;
    }
    check(!r.errors.empty(), "the recovering parse misses the strict parse's error", in);
    const auto& first = r.errors.front();
    const auto& e = strict.error();
    check(first.code == e.code() && first.message == e.description() &&
              first.where.begin == e.where().begin,
          "the recovering parse's first error is not the strict parse's", in);
}

}  // namespace

int run(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);

    // nginx's rules (the defaults).
    auto strict = ngxconf::try_parse(in, "fuzz.conf");
    if (strict) {
        check_document(strict.value(), in);
    } else {
        check_error(strict.error(), in);
    }
    check_recovering(strict, in);

    // No length limit: accepts a superset of the above.
    auto loose = ngxconf::try_parse(in, "fuzz.conf", {.nginx_length_limit = false});
    if (loose) {
        check_document(loose.value(), in);
    } else {
        check_error(loose.error(), in);
        check(!strict, "accepted with the length limit, rejected without it", in);
    }

    // Lua bodies read as ordinary blocks (only worth a parse when one is named), and a tiny
    // depth limit.
    if (in.find("_by_lua_block") != std::string_view::npos) {
        auto plain = ngxconf::try_parse(in, "fuzz.conf",
                                        {.nginx_length_limit = false, .lua_blocks = false});
        if (plain) {
            check_document(plain.value(), in);
        } else {
            check_error(plain.error(), in);
        }
    }
    auto shallow = ngxconf::try_parse(in, "fuzz.conf", {.max_depth = 2});
    if (shallow) {
        check_document(shallow.value(), in);
        check(static_cast<bool>(strict), "accepted at depth 2, rejected at depth 256", in);
    } else {
        check_error(shallow.error(), in);
    }

    // Detached from the source, a document still prints the same bytes.
    if (strict) {
        auto& doc = strict.value();
        ngxconf::detach_from_source(doc);
        check(ngxconf::to_string(doc) == in, "detach_from_source changed the bytes", in);
        std::string joined;
        for (const auto& p : ngxconf::pieces(doc)) joined.append(p.bytes);
        check(joined == in, "pieces of a detached document do not join to the input", in);
    }
    return 0;
}

}  // namespace roundtrip_fuzz

#ifdef NGXCONF_FUZZ_REPLAY
inline int roundtrip_fuzz_one(const std::uint8_t* data, std::size_t size) {
    return roundtrip_fuzz::run(data, size);
}
#else
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return roundtrip_fuzz::run(data, size);
}
#endif
