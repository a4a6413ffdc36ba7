// Demultiplexing the Engine's attach stream (stream.hpp).
#include "stream.hpp"

#include <algorithm>

namespace ngxauth::docker {
namespace {

constexpr std::size_t header_size = 8;

bool valid_header(std::string_view h) {
    const auto stream = static_cast<unsigned char>(h[0]);
    return stream <= 2 && h[1] == '\0' && h[2] == '\0' && h[3] == '\0';
}

std::size_t payload_size(std::string_view h) {
    std::size_t n = 0;
    for (std::size_t i = 4; i < header_size; ++i) n = (n << 8) | static_cast<unsigned char>(h[i]);
    return n;
}

}  // namespace

void stream_demux::feed(std::string_view bytes) {
    while (!bytes.empty()) {
        if (raw_) {
            output_ += bytes;
            return;
        }
        if (remaining_ > 0) {
            const auto take = std::min(remaining_, bytes.size());
            output_ += bytes.substr(0, take);
            bytes.remove_prefix(take);
            remaining_ -= take;
            continue;
        }
        const auto take = std::min(header_size - header_.size(), bytes.size());
        header_ += bytes.substr(0, take);
        bytes.remove_prefix(take);
        if (header_.size() < header_size) return;
        if (!valid_header(header_)) {
            // Not frames (a tty's raw output): keep the bytes as they came.
            raw_ = true;
            output_ += header_;
            header_.clear();
            continue;
        }
        remaining_ = payload_size(header_);
        header_.clear();
    }
}

}  // namespace ngxauth::docker
