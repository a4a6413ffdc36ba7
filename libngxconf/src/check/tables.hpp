#pragma once
// The generated directive tables (tables/nginx_*.inc) and nginx's context model they are read
// against.
#include <ngxconf/check.hpp>

#include <cstdint>
#include <span>
#include <string_view>

namespace ngxconf::detail::check {

// ngx_module_t's type; a `conf` module's directives (include) are valid in every type.
enum class mt : std::uint8_t { core, conf, event, http, stream, mail };

// What a block directive's handler does with its body: opens a context, or reads the body
// itself (opaque). http_if: SIF inside a server, LIF inside a location.
enum class bk : std::uint8_t {
    none, opaque, http_if,
    main, events, http, http_server, http_location, http_upstream,
    http_if_server, http_if_location, http_limit_except,
    stream, stream_server, stream_upstream, mail, mail_server,
};

struct directive_row {
    std::string_view name;
    mt module_type;
    std::uint32_t type;
    std::string_view module;
    std::string_view source;
    bk body;
};

// ngx_conf_file.h's bits of ngx_command_t::type.
inline constexpr std::uint32_t conf_block = 0x00000100;
inline constexpr std::uint32_t conf_flag = 0x00000200;
inline constexpr std::uint32_t conf_any = 0x00000400;
inline constexpr std::uint32_t conf_1more = 0x00000800;
inline constexpr std::uint32_t conf_2more = 0x00001000;
inline constexpr std::size_t conf_max_args = 8;

// cf->module_type and cf->cmd_type of a context.
struct context_bits {
    mt module_type;
    std::uint32_t cmd_type;
};
[[nodiscard]] context_bits bits_of(check_context c) noexcept;

// The rows of a version in the generator's order (nginx's module order within a source).
[[nodiscard]] std::span<const directive_row> rows(nginx_version v) noexcept;
// The rows named `name`, in table order.
[[nodiscard]] std::span<const directive_row* const> rows_named(nginx_version v, std::string_view name);

}  // namespace ngxconf::detail::check
