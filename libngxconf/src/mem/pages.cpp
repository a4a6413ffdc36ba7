// mmap for large blocks (with MADV_HUGEPAGE where the kernel has it), operator new below.
#include "mem/pages.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <new>

#include "mem/sanitizer.hpp"

namespace ngxconf::detail {
namespace {

// Under AddressSanitizer every block comes from operator new, so that reads past the end of
// a large source or node chunk are caught too (ASan puts no guard around an mmap).
bool mapped(std::size_t n) noexcept { return !address_sanitizer && n >= huge_page_bytes; }

std::size_t round_up(std::size_t n, std::size_t to) noexcept { return (n + to - 1) / to * to; }

std::size_t page_size() noexcept {
    static const auto size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

}  // namespace

void* allocate_pages(std::size_t n) {
    if (!mapped(n)) return ::operator new(n);
    // Map a huge page more than needed and trim, so that the block starts on a huge-page
    // boundary: only aligned 2 MiB ranges can become huge pages. The end is rounded to an
    // ordinary page, so a block never holds more than it asked for plus one small page.
    const auto len = round_up(n, page_size());
    const auto span = len + huge_page_bytes;
    void* m = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) throw std::bad_alloc();
    auto* base = static_cast<char*>(m);
    const auto addr = reinterpret_cast<std::uintptr_t>(base);
    auto* start = base + (round_up(addr, huge_page_bytes) - addr);
    if (start != base) ::munmap(base, static_cast<std::size_t>(start - base));
    if (const auto tail = static_cast<std::size_t>(base + span - (start + len))) {
        ::munmap(start + len, tail);
    }
#ifdef MADV_HUGEPAGE
    // Advice only: without transparent huge pages the range is ordinary pages.
    (void)::madvise(start, len, MADV_HUGEPAGE);
#endif
    return start;
}

void release_pages(void* p, std::size_t n) noexcept {
    if (!mapped(n)) {
        ::operator delete(p);
        return;
    }
    ::munmap(p, round_up(n, page_size()));
}

const void* map_file_pages(int fd, std::size_t n) noexcept {
    if (n == 0) return nullptr;
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE;  // one call maps the cached pages instead of a fault per 64 KiB
#endif
    void* p = ::mmap(nullptr, n, PROT_READ, flags, fd, 0);
    return p == MAP_FAILED ? nullptr : p;
}

void unmap_file_pages(const void* p, std::size_t n) noexcept {
    ::munmap(const_cast<void*>(p), round_up(n, page_size()));
}

}  // namespace ngxconf::detail
