// The journal's manifest: "ngxconf-journal 2\n" "id ID\n" "entries N\n" then per entry
//   "PRESENT MODE UID GID MTIME_SEC MTIME_NSEC SIZE LEN:TARGET LEN:PATH LEN:BACKUP\n"
// (MODE octal; paths length-prefixed, so any byte may occur in them).
#include <cstdio>

#include "io/journal.hpp"
#include "io/record_reader.hpp"

namespace ngxconf::detail::io {

namespace fs = std::filesystem;

namespace {

std::string damaged_message(const fs::path& file) {
    return "the journal \"" + file.string() +
           "\" is damaged; check the files it lists and remove it by hand";
}

journal_entry parse_entry(record_reader& r, std::size_t& size) {
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
    r.literal(" ");
    e.backup = r.lenstr();
    r.literal("\n");
    if (present) e.original.emplace();
    return e;
}

}  // namespace

void journal_damaged(const fs::path& file) {
    throw plain_error(error_code::io_error, damaged_message(file), file);
}

std::string manifest_of(const journal& j) {
    std::string m = "ngxconf-journal 2\nid " + std::to_string(j.id) + "\nentries " +
                    std::to_string(j.entries.size()) + "\n";
    for (const auto& e : j.entries) {
        char mode[16];
        std::snprintf(mode, sizeof mode, "%o", static_cast<unsigned>(e.meta.mode));
        m += std::string(e.original ? "1 " : "0 ") + mode + " " + std::to_string(e.meta.uid) +
             " " + std::to_string(e.meta.gid) + " " + std::to_string(e.meta.mtime_sec) + " " +
             std::to_string(e.meta.mtime_nsec) + " " +
             std::to_string(e.original ? e.original->size() : 0) + " " + lenstr(e.target.string()) +
             " " + lenstr(e.path.string()) + " " + lenstr(e.backup.string()) + "\n";
    }
    return m;
}

journal parse_manifest(std::string_view text, const fs::path& file, std::vector<std::size_t>& sizes) {
    record_reader r(text, file, damaged_message(file));
    r.literal("ngxconf-journal 2\nid ");
    journal j;
    j.id = r.number();
    r.literal("\nentries ");
    const auto count = r.number();
    r.literal("\n");
    sizes.clear();
    for (unsigned long long i = 0; i < count; ++i) {
        std::size_t size = 0;
        j.entries.push_back(parse_entry(r, size));
        sizes.push_back(size);
    }
    return j;
}

}  // namespace ngxconf::detail::io
