// The history of committed transactions (see history.hpp).
#include "io/history.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "io/posix.hpp"
#include "io/record_reader.hpp"

namespace ngxconf::detail::io {

namespace fs = std::filesystem;

namespace {

constexpr const char* history_name = "history";
constexpr const char* staged_prefix = "new-";

std::string id_name(std::uint64_t id) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(id));
    return buf;
}

// The ids kept, in increasing order, and the names of staged folders.
struct history_listing {
    std::vector<std::uint64_t> ids;
    std::vector<std::string> staged;
};

history_listing list_history(const state_folder& folder) {
    history_listing out;
    const fs::path dir = folder / history_name;
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
        if (errno == ENOENT) return out;
        throw sys_error("opendir()", dir, errno);
    }
    while (const dirent* e = ::readdir(d)) {
        const std::string_view n(e->d_name);
        if (n.starts_with(staged_prefix)) out.staged.emplace_back(n);
        if (n.size() != 20 ||
            !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            continue;
        }
        out.ids.push_back(std::strtoull(e->d_name, nullptr, 10));
    }
    ::closedir(d);
    std::sort(out.ids.begin(), out.ids.end());
    return out;
}

std::string entry_text(const history_entry& h) {
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(h.time.time_since_epoch()).count();
    std::string t = "ngxconf-history 1\nid " + std::to_string(h.id) + "\ntime " +
                    std::to_string(ns / 1'000'000'000) + " " + std::to_string(ns % 1'000'000'000) +
                    "\nlabel " + lenstr(h.label) + "\nfiles " + std::to_string(h.files.size()) +
                    "\n";
    for (const auto& f : h.files) {
        t += std::string(f.before ? "1 " : "0 ") + (f.after ? "1 " : "0 ") +
             lenstr(f.path.string()) + "\n";
    }
    return t;
}

void write_record(const state_folder& folder, const fs::path& p, std::string_view bytes,
                  bool do_fsync) {
    write_new_file(p, bytes, do_fsync);
    folder.adopt(p);
}

std::optional<std::string> read_part(const fs::path& dir, const std::string& name, bool present,
                                     record_reader& r) {
    if (!present) return std::nullopt;
    auto cur = read_current(dir / name);
    if (!cur) r.fail();
    return std::move(cur->bytes);
}

history_entry parse_entry(const fs::path& dir) {
    const fs::path file = dir / "entry";
    const auto text = read_current(file);
    record_reader r(text ? std::string_view(text->bytes) : std::string_view(), file,
                    "the history entry \"" + file.string() + "\" is damaged");
    history_entry h;
    r.literal("ngxconf-history 1\nid ");
    h.id = r.number();
    r.literal("\ntime ");
    const auto sec = static_cast<std::int64_t>(r.number());
    r.literal(" ");
    const auto nsec = static_cast<std::int64_t>(r.number());
    h.time = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(sec) + std::chrono::nanoseconds(nsec)));
    r.literal("\nlabel ");
    h.label = r.lenstr();
    r.literal("\nfiles ");
    const auto count = r.number();
    r.literal("\n");
    for (unsigned long long i = 0; i < count; ++i) {
        const bool before = r.number() != 0;
        r.literal(" ");
        const bool after = r.number() != 0;
        r.literal(" ");
        history_file f{r.lenstr(), std::nullopt, std::nullopt};
        r.literal("\n");
        f.before = read_part(dir, "before-" + std::to_string(i), before, r);
        f.after = read_part(dir, "after-" + std::to_string(i), after, r);
        h.files.push_back(std::move(f));
    }
    return h;
}

}  // namespace

std::uint64_t next_history_id(const state_folder& folder) {
    const auto l = list_history(folder);
    return l.ids.empty() ? 1 : l.ids.back() + 1;
}

bool history_has(const state_folder& folder, std::uint64_t id) {
    struct stat st {};
    return ::stat((folder / history_name / id_name(id)).c_str(), &st) == 0;
}

fs::path stage_history(const state_folder& folder, const history_entry& entry, bool do_fsync) {
    folder.ensure(history_name);
    std::string tmp = (folder / history_name / (std::string(staged_prefix) + "XXXXXX")).string();
    if (!::mkdtemp(tmp.data())) throw sys_error("mkdtemp()", folder / history_name, errno);
    try {
        const fs::path dir(tmp);
        for (std::size_t i = 0; i < entry.files.size(); ++i) {
            const auto& f = entry.files[i];
            if (f.before)
                write_record(folder, dir / ("before-" + std::to_string(i)), *f.before, do_fsync);
            if (f.after)
                write_record(folder, dir / ("after-" + std::to_string(i)), *f.after, do_fsync);
        }
        write_record(folder, dir / "entry", entry_text(entry), do_fsync);
        folder.adopt(dir);
        if (do_fsync) fsync_dir(dir);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
    return tmp;
}

void commit_history(const state_folder& folder, const fs::path& staged, std::uint64_t id,
                    bool do_fsync) {
    const fs::path dest = folder / history_name / id_name(id);
    if (::rename(staged.c_str(), dest.c_str()) != 0) throw sys_error("rename() to", dest, errno);
    if (do_fsync) fsync_dir(folder / history_name);
}

void prune_history(const state_folder& folder) noexcept {
    try {
        const auto l = list_history(folder);
        std::error_code ec;
        for (const auto& n : l.staged) fs::remove_all(folder / history_name / n, ec);
        for (std::size_t i = 0; i + history_kept < l.ids.size(); ++i) {
            fs::remove_all(folder / history_name / id_name(l.ids[i]), ec);
        }
    } catch (...) {
        // The commit is done; a leftover is dropped by the next run.
    }
}

void drop_staged_history(const state_folder& folder) {
    const auto l = list_history(folder);
    for (const auto& n : l.staged) remove_tree(folder / history_name / n);
    if (l.ids.empty()) ::rmdir((folder / history_name).c_str());  // fails when not empty: kept
}

std::vector<history_entry> read_history_of(const state_folder& folder) {
    std::vector<history_entry> out;
    for (const auto id : list_history(folder).ids) {
        const fs::path dir = folder / history_name / id_name(id);
        try {
            out.push_back(parse_entry(dir));
        } catch (const io_error&) {
            // Dropped by a run pruning the history meanwhile: not damaged, just gone.
            struct stat st {};
            if (::stat(dir.c_str(), &st) != 0 && errno == ENOENT) continue;
            throw;
        }
    }
    return out;
}

}  // namespace ngxconf::detail::io
