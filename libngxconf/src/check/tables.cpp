// The generated tables, and lookups by name over them.
#include "check/tables.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace ngxconf::detail::check {
namespace {

// clang-format off
constexpr directive_row rows_1_22[] = {
#include "check/tables/nginx_1_22.inc"
};
constexpr directive_row rows_1_26[] = {
#include "check/tables/nginx_1_26.inc"
};
// clang-format on

// Row pointers sorted by name (ties in table order), built once per version.
struct name_index {
    std::vector<const directive_row*> sorted;
    explicit name_index(std::span<const directive_row> all) {
        for (const auto& r : all) sorted.push_back(&r);
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const directive_row* a, const directive_row* b) { return a->name < b->name; });
    }
};

const name_index& index_of(nginx_version v) {
    static const name_index i22(rows_1_22);
    static const name_index i26(rows_1_26);
    return v == nginx_version::v1_22 ? i22 : i26;
}

}  // namespace

std::span<const directive_row> rows(nginx_version v) noexcept {
    if (v == nginx_version::v1_22) return rows_1_22;
    return rows_1_26;
}

std::span<const directive_row* const> rows_named(nginx_version v, std::string_view name) {
    const auto& s = index_of(v).sorted;
    const auto lo = std::lower_bound(s.begin(), s.end(), name,
                                     [](const directive_row* r, std::string_view n) { return r->name < n; });
    auto hi = lo;
    while (hi != s.end() && (*hi)->name == name) ++hi;
    return {lo, hi};
}

context_bits bits_of(check_context c) noexcept {
    // ngx_conf_file.h, ngx_event.h, ngx_http_config.h, ngx_stream.h, ngx_mail.h.
    switch (c) {
        case check_context::main: return {mt::core, 0x01000000};
        case check_context::events: return {mt::event, 0x02000000};
        case check_context::http: return {mt::http, 0x02000000};
        case check_context::http_server: return {mt::http, 0x04000000};
        case check_context::http_location: return {mt::http, 0x08000000};
        case check_context::http_upstream: return {mt::http, 0x10000000};
        case check_context::http_if_server: return {mt::http, 0x20000000};
        case check_context::http_if_location: return {mt::http, 0x40000000};
        case check_context::http_limit_except: return {mt::http, 0x80000000};
        case check_context::stream: return {mt::stream, 0x02000000};
        case check_context::stream_server: return {mt::stream, 0x04000000};
        case check_context::stream_upstream: return {mt::stream, 0x08000000};
        case check_context::mail: return {mt::mail, 0x02000000};
        case check_context::mail_server: return {mt::mail, 0x04000000};
    }
    return {mt::core, 0x01000000};
}

}  // namespace ngxconf::detail::check
