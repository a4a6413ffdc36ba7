#pragma once
// A deterministic generator of large, realistic nginx configurations for the benchmarks.
//
// The output is a file for the `http { ... }` context: SWAG-shaped server blocks (commented-out
// auth includes, `#    listen 443 quic;`), regex / exact / prefix / named locations, `if`,
// `map`, `upstream`, `log_format` spread over several lines, quoted strings with escapes,
// comments everywhere (whole-line, end-of-line, between arguments), commented-out regions
// (`#server { ... #}`), blank lines and a mix of indentation styles. The same seed and size
// give the same bytes on every machine (own PRNG, no std distributions).
//
// Enabled `include` lines use paths relative to nginx's configuration prefix
// (`snippets/proxy.conf`, `snippets/resolver.conf`); a harness that runs `nginx -t` on the
// output creates those files (empty files will do). Upstream servers are IP addresses, so
// nginx resolves nothing at start-up.
#include <cstdint>
#include <string>

namespace ngxconf::bench {

struct gen_options {
    std::uint64_t seed = 1;
    std::uint64_t target_bytes = 10u << 20;  // generation stops at the first unit past this
    bool crlf = false;                       // every line ends with CR LF
};

// The snippet files that enabled includes of the output refer to (relative paths).
inline constexpr const char* gen_snippets[] = {"snippets/proxy.conf", "snippets/resolver.conf"};

[[nodiscard]] std::string generate_config(const gen_options& options);

}  // namespace ngxconf::bench
