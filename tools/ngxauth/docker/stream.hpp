#pragma once
// The Engine's multiplexed stream: what an attached exec without a tty writes, as frames of an
// 8-byte header (the stream: 0 stdin, 1 stdout, 2 stderr; three zero bytes; the payload's
// size, 4 bytes big-endian) and the payload. Frames arrive cut anywhere.
#include <cstddef>
#include <string>
#include <string_view>

namespace ngxauth::docker {

class stream_demux {
public:
    // Takes the next bytes of the stream, in any pieces.
    void feed(std::string_view bytes);
    // stdout and stderr, interleaved as they were written.
    [[nodiscard]] const std::string& output() const noexcept { return output_; }
    // Whether the bytes fed so far end on a frame boundary (false: a frame was cut off).
    [[nodiscard]] bool complete() const noexcept { return header_.empty() && remaining_ == 0; }
    // Whether the bytes were not frames (a header with an unknown stream or non-zero padding):
    // from there on everything was taken as plain output.
    [[nodiscard]] bool raw() const noexcept { return raw_; }

private:
    std::string output_;
    std::string header_;         // the part of a header received so far
    std::size_t remaining_ = 0;  // payload bytes of the current frame still to come
    bool raw_ = false;
};

}  // namespace ngxauth::docker
