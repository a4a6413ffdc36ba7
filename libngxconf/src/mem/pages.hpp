#pragma once
// Large allocations a parse fills once: the bytes of a source and the chunks of node
// records. Pages are left to the kernel's zero-fill-on-demand (nothing here writes them
// before use), and a large block asks for transparent huge pages, so that reading a 10 MB
// file costs a handful of page faults instead of thousands.
#include <cstddef>
#include <utility>

namespace ngxconf::detail {

// Allocations from this size on are mapped directly and advised for huge pages.
inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;

// Returns uninitialized storage for `n` bytes (n > 0), aligned for any object.
// Throws std::bad_alloc when there is no memory.
[[nodiscard]] void* allocate_pages(std::size_t n);
void release_pages(void* p, std::size_t n) noexcept;

// Maps the first `n` bytes (n > 0) of an open regular file read-only and private, its
// pages populated up front. Returns nullptr when the system refuses (the caller reads).
[[nodiscard]] const void* map_file_pages(int fd, std::size_t n) noexcept;
void unmap_file_pages(const void* p, std::size_t n) noexcept;

// An owning, move-only buffer of bytes from allocate_pages, or a read-only file mapping.
class page_buffer {
public:
    page_buffer() noexcept = default;
    explicit page_buffer(std::size_t n) : p_(static_cast<char*>(allocate_pages(n))), n_(n) {}
    // An empty buffer when the file cannot be mapped. The bytes must not be written.
    [[nodiscard]] static page_buffer map_file(int fd, std::size_t n) noexcept {
        page_buffer b;
        if (const void* p = map_file_pages(fd, n)) {
            b.p_ = static_cast<char*>(const_cast<void*>(p));
            b.n_ = n;
            b.mapped_ = true;
        }
        return b;
    }
    page_buffer(page_buffer&& o) noexcept
        : p_(std::exchange(o.p_, nullptr)),
          n_(std::exchange(o.n_, 0)),
          mapped_(std::exchange(o.mapped_, false)) {}
    page_buffer& operator=(page_buffer&& o) noexcept {
        if (this != &o) {
            reset();
            p_ = std::exchange(o.p_, nullptr);
            n_ = std::exchange(o.n_, 0);
            mapped_ = std::exchange(o.mapped_, false);
        }
        return *this;
    }
    page_buffer(const page_buffer&) = delete;
    page_buffer& operator=(const page_buffer&) = delete;
    ~page_buffer() { reset(); }

    [[nodiscard]] char* data() const noexcept { return p_; }
    [[nodiscard]] std::size_t capacity() const noexcept { return n_; }

private:
    void reset() noexcept {
        if (p_ && mapped_) {
            unmap_file_pages(p_, n_);
        } else if (p_) {
            release_pages(p_, n_);
        }
        p_ = nullptr;
        n_ = 0;
        mapped_ = false;
    }
    char* p_ = nullptr;
    std::size_t n_ = 0;
    bool mapped_ = false;
};

}  // namespace ngxconf::detail
