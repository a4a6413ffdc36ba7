#include "input.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace ngxconf_tool {
namespace {

std::string read_stdin() {
    std::string bytes;
    char buf[65536];
    for (;;) {
        const auto n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n == 0) return bytes;
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            throw ngxconf::io_error(ngxconf::error_code::io_error,
                                    std::string("reading standard input failed (") +
                                        std::to_string(err) + ": " + std::strerror(err) + ")",
                                    ngxconf::source_region{stdin_name, {}, {}});
        }
        bytes.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace

ngxconf::document parse_input(const std::string& file, const ngxconf::parse_options& options) {
    if (file == "-") return ngxconf::parse(read_stdin(), stdin_name, options);
    return ngxconf::parse_file(file, options);
}

ngxconf::recovered_document parse_input_recovering(const std::string& file,
                                                   const ngxconf::parse_options& options) {
    if (file == "-") return ngxconf::parse_recovering(read_stdin(), stdin_name, options);
    return ngxconf::parse_file_recovering(file, options);
}

}  // namespace ngxconf_tool
