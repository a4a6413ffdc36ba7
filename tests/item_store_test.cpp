// The node store: ids stay put across chunk boundaries (small chunks, then 2 MiB ones), and
// large buffers come back writable to their last byte.
#include <catch2/catch.hpp>

#include <cstring>

#include "cst/doc_impl.hpp"
#include "mem/pages.hpp"

using ngxconf::detail::item;
using ngxconf::detail::item_store;
using ngxconf::detail::page_buffer;

TEST_CASE("item_store keeps every id across small and huge chunks", "[mem]") {
    item_store store;
    // Past the growing chunks (8128 + ... + 65536 items) and into the third big chunk.
    const std::uint32_t n = item_store::small_total + 2 * item_store::big + 17;
    for (std::uint32_t i = 0; i < n; ++i) {
        item it;
        it.begin = i;
        it.end = ~i;
        REQUIRE(store.push(it) == i);
    }
    REQUIRE(store.size() == n);
    std::uint32_t wrong = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        if (store[i].begin != i || store[i].end != ~i) ++wrong;
    }
    CHECK(wrong == 0);
    // Neighbours on either side of each chunk boundary are distinct records.
    for (std::uint32_t b : {item_store::small_total - 1, item_store::small_total,
                            item_store::small_total + item_store::big}) {
        CHECK(&store[b] != &store[b + 1]);
        CHECK(store[b + 1].begin == b + 1);
    }
}

TEST_CASE("page_buffer gives writable memory below and above the huge-page size", "[mem]") {
    for (std::size_t n : {std::size_t{1}, std::size_t{4096}, ngxconf::detail::huge_page_bytes - 1,
                          ngxconf::detail::huge_page_bytes, ngxconf::detail::huge_page_bytes * 3 + 5}) {
        page_buffer b(n);
        REQUIRE(b.data() != nullptr);
        CHECK(b.capacity() == n);
        std::memset(b.data(), 'x', n);
        CHECK(b.data()[n - 1] == 'x');
        page_buffer moved(std::move(b));
        CHECK(b.data() == nullptr);
        CHECK(moved.data()[0] == 'x');
    }
}
