// The journal's manifest: "ngxconf-journal 1\n" "entries N\n" then per entry
//   "PRESENT MODE UID GID MTIME_SEC MTIME_NSEC SIZE LEN:TARGET LEN:PATH\n"
// (MODE octal; paths length-prefixed, so any byte may occur in them).
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "io/journal.hpp"

namespace ngxconf::detail::io {

namespace fs = std::filesystem;

namespace {

class manifest_reader {
public:
    manifest_reader(std::string_view text, fs::path file) : s_(text), file_(std::move(file)) {}
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
    [[noreturn]] void fail() const { journal_damaged(file_); }

private:
    std::string_view s_;
    fs::path file_;
};

journal_entry parse_entry(manifest_reader& r, std::size_t& size) {
    journal_entry e;
    const auto present = r.number();
    r.literal(" ");
    e.meta.mode = static_cast<mode_t>(r.number(8) & 07777);
    r.literal(" ");
    e.meta.uid = static_cast<uid_t>(r.number());
    r.literal(" ");
    e.meta.gid = static_cast<gid_t>(r.number());
    r.literal(" ");
    e.meta.mtime_sec = static_cast<std::int64_t>(r.number());
    r.literal(" ");
    e.meta.mtime_nsec = static_cast<std::int64_t>(r.number());
    r.literal(" ");
    size = static_cast<std::size_t>(r.number());
    r.literal(" ");
    e.target = r.lenstr();
    r.literal(" ");
    e.path = r.lenstr();
    r.literal("\n");
    if (present) e.original.emplace();
    return e;
}

}  // namespace

void journal_damaged(const fs::path& file) {
    throw plain_error(error_code::io_error,
                      "the journal \"" + file.string() +
                          "\" is damaged; check the files it lists and remove it by hand",
                      file);
}

std::string manifest_of(const std::vector<journal_entry>& entries) {
    std::string m = "ngxconf-journal 1\nentries " + std::to_string(entries.size()) + "\n";
    auto lenstr = [&](const std::string& s) { m += std::to_string(s.size()) + ":" + s; };
    for (const auto& e : entries) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%o", static_cast<unsigned>(e.meta.mode));
        m += std::string(e.original ? "1 " : "0 ") + mode + " " + std::to_string(e.meta.uid) +
             " " + std::to_string(e.meta.gid) + " " + std::to_string(e.meta.mtime_sec) + " " +
             std::to_string(e.meta.mtime_nsec) + " " +
             std::to_string(e.original ? e.original->size() : 0) + " ";
        lenstr(e.target.string());
        m += ' ';
        lenstr(e.path.string());
        m += '\n';
    }
    return m;
}

std::vector<journal_entry> parse_manifest(std::string_view text, const fs::path& file,
                                          std::vector<std::size_t>& sizes) {
    manifest_reader r(text, file);
    r.literal("ngxconf-journal 1\nentries ");
    const auto count = r.number();
    r.literal("\n");
    std::vector<journal_entry> entries;
    sizes.clear();
    for (unsigned long long i = 0; i < count; ++i) {
        std::size_t size = 0;
        entries.push_back(parse_entry(r, size));
        sizes.push_back(size);
    }
    return entries;
}

}  // namespace ngxconf::detail::io
