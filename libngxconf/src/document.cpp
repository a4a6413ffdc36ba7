// parse(), parse_file(), try_parse() and the document object.
#include <ngxconf/document.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "cst/builder.hpp"
#include "cst/doc_impl.hpp"
#include "cst/style.hpp"

namespace ngxconf {

error::error(error_code code, std::string description, source_region where)
    : std::runtime_error([&] {
          std::string s;
          if (!where.file.empty() || where.begin.known()) {
              s += where.file.empty() ? std::string("<input>") : where.file;
              if (where.begin.known()) {
                  s += ':' + std::to_string(where.begin.line) + ':' +
                       std::to_string(where.begin.column);
              }
              s += ": ";
          }
          return s + description;
      }()),
      code_(code),
      description_(std::move(description)),
      where_(std::move(where)) {}

document::document(std::unique_ptr<detail::doc_impl> impl) noexcept : impl_(std::move(impl)) {
    impl_->owner = this;
}
document::document(document&& other) noexcept : impl_(std::move(other.impl_)) {
    if (impl_) impl_->owner = this;
}
document& document::operator=(document&& other) noexcept {
    impl_ = std::move(other.impl_);
    if (impl_) impl_->owner = this;
    return *this;
}
document::~document() = default;

namespace detail {
document doc_impl::wrap(std::unique_ptr<doc_impl> impl) { return document(std::move(impl)); }
}  // namespace detail

document document::empty(text_style style, std::string source_name) {
    auto impl = std::make_unique<detail::doc_impl>();
    impl->style = std::move(style);
    impl->name = std::move(source_name);
    return document(std::move(impl));
}

block document::root() noexcept { return impl_->handle<block>(0); }
const_block document::root() const noexcept {
    return static_cast<const detail::doc_impl&>(*impl_).handle<const_block>(0);
}
const std::string& document::source_name() const noexcept { return impl_->name; }
std::string_view document::source() const noexcept { return impl_->source; }
const text_style& document::style() const {
    if (!impl_->style) impl_->style = detail::detect_style(*impl_);
    return *impl_->style;
}
bool document::modified() const noexcept { return impl_->modified(); }
source_position document::position_of(std::uint64_t byte) const {
    return impl_->position_of(byte);
}

namespace {

void check_size(std::uint64_t size, const std::string& name) {
    if (size >= std::numeric_limits<std::uint32_t>::max()) {
        throw parse_error(error_code::file_too_large,
                          "file too large (" + std::to_string(size) + " bytes; at most 4 GiB)",
                          source_region{name, {}, {}});
    }
}

std::unique_ptr<detail::doc_impl> new_impl(detail::page_buffer bytes, std::size_t size,
                                           std::string name, const parse_options& options) {
    check_size(size, name);
    auto impl = std::make_unique<detail::doc_impl>();
    impl->storage = std::move(bytes);
    impl->source = std::string_view(impl->storage.data(), size);
    impl->name = std::move(name);
    impl->options = options;
    return impl;
}

parse_error to_parse_error(const detail::doc_impl& impl, detail::syntax_failure failure) {
    auto pos = impl.position_of(failure.at);
    pos.line -= std::min(pos.line - 1, failure.lines_lost);  // nginx's own line count
    return parse_error(failure.code, std::move(failure.message), source_region{impl.name, pos, pos});
}

document build_document(detail::page_buffer bytes, std::size_t size, std::string name,
                        const parse_options& options) {
    auto impl = new_impl(std::move(bytes), size, std::move(name), options);
    if (auto failure = detail::build(*impl)) throw to_parse_error(*impl, std::move(*failure));
    return detail::doc_impl::wrap(std::move(impl));
}

detail::page_buffer copy_of(std::string_view text) {
    detail::page_buffer bytes(text.size() + 1);
    std::memcpy(bytes.data(), text.data(), text.size());
    return bytes;
}

}  // namespace

document parse(std::string_view text, std::string source_name, const parse_options& options) {
    check_size(text.size(), source_name);
    return build_document(copy_of(text), text.size(), std::move(source_name), options);
}

namespace {

recovered_document recover_document(detail::page_buffer bytes, std::size_t size,
                                    std::string name, const parse_options& options) {
    auto impl = new_impl(std::move(bytes), size, std::move(name), options);
    std::vector<diagnostic> errors;
    for (auto& f : detail::build_recovering(*impl)) {
        errors.push_back(to_parse_error(*impl, std::move(f)).to_diagnostic());
    }
    return {detail::doc_impl::wrap(std::move(impl)), std::move(errors)};
}

struct file_bytes {
    detail::page_buffer bytes;
    std::size_t size;
};

// A file's bytes, mapped (parse_options::map_file) or read; io_error when it cannot be read.
file_bytes read_source(const std::filesystem::path& path, const std::string& name,
                       const parse_options& options) {
    auto io_fail = [&](const std::string& what, int err) {
        return io_error(error_code::io_error,
                        what + " \"" + name + "\" failed (" + std::to_string(err) + ": " +
                            std::strerror(err) + ")",
                        source_region{name, {}, {}});
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below).
    struct fd_guard {
        int fd;
        ~fd_guard() { ::close(fd); }
    };
    const fd_guard file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
    if (file.fd < 0) throw io_fail("open()", errno);
    struct stat st {};
    if (::fstat(file.fd, &st) != 0) throw io_fail("fstat()", errno);
    if (!S_ISREG(st.st_mode)) {
        throw io_error(error_code::io_error,
                       "\"" + name + "\" is not a regular file" +
                           (S_ISDIR(st.st_mode) ? " (it is a directory)" : ""),
                       source_region{name, {}, {}});
    }
    if (options.map_file && st.st_size > 0) {
        const auto size = static_cast<std::uint64_t>(st.st_size);
        check_size(size, name);
        auto mapped = detail::page_buffer::map_file(file.fd, static_cast<std::size_t>(size));
        if (mapped.data()) return {std::move(mapped), static_cast<std::size_t>(size)};
    }
    // st_size is a hint: files of /proc and the like say 0 and still have bytes.
    std::size_t capacity = static_cast<std::size_t>(st.st_size) + 1;
    detail::page_buffer bytes(capacity);
    std::size_t got = 0;
    for (;;) {
        if (got == capacity) {
            check_size(capacity, name);
            const std::size_t bigger = capacity * 2 + 4096;
            detail::page_buffer grown(bigger);
            std::memcpy(grown.data(), bytes.data(), got);
            bytes = std::move(grown);
            capacity = bigger;
        }
        const auto n = ::read(file.fd, bytes.data() + got, capacity - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw io_fail("read()", errno);
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    return {std::move(bytes), got};
}

}  // namespace

recovered_document parse_recovering(std::string_view text, std::string source_name,
                                    const parse_options& options) {
    check_size(text.size(), source_name);
    return recover_document(copy_of(text), text.size(), std::move(source_name), options);
}

document parse_file(const std::filesystem::path& path, const parse_options& options) {
    const std::string name = path.string();
    auto f = read_source(path, name, options);
    return build_document(std::move(f.bytes), f.size, name, options);
}

recovered_document parse_file_recovering(const std::filesystem::path& path,
                                         const parse_options& options) {
    const std::string name = path.string();
    auto f = read_source(path, name, options);
    return recover_document(std::move(f.bytes), f.size, name, options);
}

document& parse_result::value() & {
    if (!doc_) throw usage_error("parse_result::value() on a failed parse");
    return *doc_;
}
document&& parse_result::value() && {
    if (!doc_) throw usage_error("parse_result::value() on a failed parse");
    return std::move(*doc_);
}
const parse_error& parse_result::error() const {
    if (!err_) throw usage_error("parse_result::error() on a successful parse");
    return *err_;
}

parse_result try_parse(std::string_view text, std::string source_name,
                       const parse_options& options) {
    try {
        return parse_result(parse(text, std::move(source_name), options));
    } catch (parse_error& e) {
        return parse_result(std::move(e));
    }
}

}  // namespace ngxconf
