// The printer: writes every node's bytes in order. It has no formatting logic; adjacent
// untouched spans of the source coalesce into one write, so printing an unedited document
// costs one copy (or one writev) of the bytes.
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <ostream>
#include <vector>

#include "cst/emit.hpp"
#include "ngxconf/document.hpp"

namespace ngxconf {
namespace {

// Merges contiguous pieces before passing them on.
template <class Sink>
struct coalescing_out {
    Sink& sink;
    const char* p = nullptr;
    std::size_t n = 0;
    void put(std::string_view v) {
        if (v.empty()) return;
        if (p && p + n == v.data()) {
            n += v.size();
            return;
        }
        flush();
        p = v.data();
        n = v.size();
    }
    void flush() {
        if (n) sink.write(p, n);
        p = nullptr;
        n = 0;
    }
};

struct string_sink {
    std::string& s;
    void write(const char* p, std::size_t n) { s.append(p, n); }
};
struct stream_sink {
    std::ostream& os;
    void write(const char* p, std::size_t n) { os.write(p, static_cast<std::streamsize>(n)); }
};

// Pieces point into the document (source or parts), which outlives the call, so they can be
// gathered and written with writev.
struct fd_sink {
    int fd;
    std::vector<iovec> iov;
    void write(const char* p, std::size_t n) {
        iov.push_back({const_cast<char*>(p), n});
        if (iov.size() == IOV_MAX) drain();
    }
    void drain() {
        std::size_t i = 0;
        while (i < iov.size()) {
            const auto cnt = static_cast<int>(std::min<std::size_t>(iov.size() - i, IOV_MAX));
            const auto w = ::writev(fd, iov.data() + i, cnt);
            if (w < 0) {
                if (errno == EINTR) continue;
                const int e = errno;
                throw io_error(error_code::io_error,
                               std::string("writev() failed (") + std::strerror(e) + ")");
            }
            auto left = static_cast<std::size_t>(w);
            while (i < iov.size() && left >= iov[i].iov_len) left -= iov[i++].iov_len;
            if (left) {
                iov[i].iov_base = static_cast<char*>(iov[i].iov_base) + left;
                iov[i].iov_len -= left;
            }
        }
        iov.clear();
    }
};

template <class Sink>
void print_to(const document& doc, Sink& sink) {
    coalescing_out<Sink> out{sink};
    detail::doc_access::of(doc).write_node(0, out);
    out.flush();
}

}  // namespace

std::string to_string(const document& doc) {
    std::string s;
    if (!doc.modified()) s.reserve(doc.source().size());
    string_sink sink{s};
    print_to(doc, sink);
    return s;
}

void print(const document& doc, std::ostream& out) {
    stream_sink sink{out};
    print_to(doc, sink);
}

std::ostream& operator<<(std::ostream& out, const document& doc) {
    print(doc, out);
    return out;
}

void write_to_fd(const document& doc, int fd) {
    fd_sink sink{fd, {}};
    print_to(doc, sink);
    sink.drain();
}

}  // namespace ngxconf
