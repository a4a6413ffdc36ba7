#pragma once
// Whether this build runs under AddressSanitizer (GCC defines __SANITIZE_ADDRESS__, clang
// answers __has_feature). Large allocations and the hostile tests' limits depend on it.

namespace ngxconf::detail {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool address_sanitizer = true;
#else
inline constexpr bool address_sanitizer = false;
#endif
#else
inline constexpr bool address_sanitizer = false;
#endif

}  // namespace ngxconf::detail
