#pragma once
// A reader of the library's small text records (journal manifest, history entries): literal
// text, decimal or octal numbers and length-prefixed strings "LEN:BYTES", so that any byte may
// occur in a path or label. Anything else is reported as a damaged record.
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "io/fs_util.hpp"

namespace ngxconf::detail::io {

class record_reader {
  public:
    // `damaged`: the message thrown (io_error at `file`) when the text does not parse.
    record_reader(std::string_view text, std::filesystem::path file, std::string damaged)
        : s_(text), file_(std::move(file)), damaged_(std::move(damaged)) {}
    void literal(std::string_view lit) {
        if (!s_.starts_with(lit)) fail();
        s_.remove_prefix(lit.size());
    }
    unsigned long long number(int base = 10) {
        std::size_t n = 0;
        while (n < s_.size() && n < 24 && std::isdigit(static_cast<unsigned char>(s_[n]))) ++n;
        if (n == 0) fail();
        const std::string digits(s_.substr(0, n));
        char* end = nullptr;
        errno = 0;
        const auto v = std::strtoull(digits.c_str(), &end, base);
        if (errno || *end) fail();
        s_.remove_prefix(n);
        return v;
    }
    std::string lenstr() {
        const auto len = number();
        literal(":");
        if (len > s_.size()) fail();
        std::string out(s_.substr(0, len));
        s_.remove_prefix(len);
        return out;
    }
    [[noreturn]] void fail() const { throw plain_error(error_code::io_error, damaged_, file_); }

  private:
    std::string_view s_;
    std::filesystem::path file_;
    std::string damaged_;
};

// "LEN:BYTES"
inline std::string lenstr(std::string_view s) {
    return std::to_string(s.size()) + ":" + std::string(s);
}

}  // namespace ngxconf::detail::io
