// workspace: a root file and the files its `include` directives pull in (nginx semantics),
// one document per file (keyed by its canonical host path), saved in one transaction.
//
// Baseline: a document is clean while to_string(doc) equals its baseline, which is source()
// (the bytes read) until save() writes it and the written bytes from then on. Documents are
// never re-parsed by save(), so the caller's handles into them stay valid.
#include <ngxconf/workspace.hpp>

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <ngxconf/diff.hpp>
#include <ngxconf/query.hpp>

#include "cst/doc_impl.hpp"
#include "io/posix.hpp"

namespace ngxconf {

namespace fs = std::filesystem;

namespace {

struct entry {
    fs::path path;     // the host path it was reached by (absolute, lexically normal)
    std::string key;   // canonical host path
    std::unique_ptr<document> doc;
    std::optional<std::string> saved;  // the bytes save() wrote: the baseline from then on
    bool created = false;              // by create(), not written yet
    bool followed = false;             // its includes were followed
    bool removing = false;             // remove() marked it: save() deletes the file
    bool gone = false;                 // save() deleted it: nothing pending any more
};

fs::path absolute_normal(const fs::path& p) {
    std::error_code ec;
    fs::path a = fs::absolute(p, ec);
    if (ec) a = p;
    return a.lexically_normal();
}

std::string key_of(const fs::path& abs) {
    std::error_code ec;
    fs::path c = fs::weakly_canonical(abs, ec);
    return (ec ? abs : c).string();
}

bool is_glob(std::string_view nginx_path) {
    return nginx_path.find_first_of("*?[") != std::string_view::npos;
}

std::string glob_escape(std::string_view literal) {
    std::string out;
    for (const char c : literal) {
        if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

// A host path in two parts: the host folder nginx's path was mapped to (or the prefix), taken
// literally, and the rest of nginx's path, which may hold glob characters.
struct split_path {
    std::string literal;
    std::string rest;

    [[nodiscard]] std::string joined(bool escape_literal) const {
        std::string lit = escape_literal ? glob_escape(literal) : literal;
        if (lit.empty()) return rest;
        if (rest.empty()) return lit;
        if (lit.back() != '/') lit += '/';
        return lit + rest;
    }
};

source_region include_site(const document& doc, const directive& inc) {
    source_region r = inc.region();
    if (r.file.empty()) r.file = doc.source_name();
    if (const auto pos = inc.name_position(); pos.known()) r.begin = pos;
    return r;
}

}  // namespace

struct workspace::impl {
    workspace_options opts;
    fs::path prefix;  // effective base of relative includes
    std::vector<std::unique_ptr<entry>> entries;  // load order
    std::unordered_map<std::string, entry*> by_key;
    std::vector<diagnostic> problems;
    bool file_limit_reported = false;
    // Documents replace() took out: kept alive so that their handles stay safe to read.
    std::vector<std::unique_ptr<document>> retired;

    explicit impl(workspace_options o) : opts(std::move(o)) {
        if (!opts.prefix.empty()) prefix = absolute_normal(opts.prefix);
    }

    [[nodiscard]] split_path split(std::string_view nginx_path) const {
        split_path out;
        if (!nginx_path.starts_with('/')) {
            out.literal = prefix.string();
            out.rest = nginx_path;
            return out;
        }
        const path_mapping* best = nullptr;
        std::size_t best_len = 0;
        for (const auto& m : opts.mappings) {
            std::string_view pre = m.nginx_prefix;
            while (pre.size() > 1 && pre.back() == '/') pre.remove_suffix(1);
            if (pre == "/") pre = {};
            const bool match = nginx_path.starts_with(pre) &&
                               (nginx_path.size() == pre.size() || nginx_path[pre.size()] == '/');
            if (match && (!best || pre.size() > best_len)) {
                best = &m;
                best_len = pre.size();
            }
        }
        if (!best) {
            out.rest = nginx_path;
            return out;
        }
        std::string_view rest = nginx_path.substr(best_len);
        while (rest.starts_with('/')) rest.remove_prefix(1);
        out.literal = best->host_prefix.string();
        out.rest = rest;
        if (out.literal.empty()) out.literal = "/";  // a mapping to "" maps to the root
        return out;
    }

    struct resolved {
        std::vector<fs::path> files;
        bool glob = false;
        int glob_error = 0;  // glob(3)'s code other than GLOB_NOMATCH
        std::string pattern;
    };

    [[nodiscard]] resolved resolve(std::string_view nginx_path) const {
        resolved r;
        const split_path sp = split(nginx_path);
        if (!is_glob(nginx_path)) {
            r.files.emplace_back(sp.joined(false));
            return r;
        }
        r.glob = true;
        r.pattern = sp.joined(true);
        glob_t g{};
        const int rc = ::glob(r.pattern.c_str(), GLOB_NOSORT, nullptr, &g);
        if (rc == 0) {
            std::vector<std::string> names(g.gl_pathv, g.gl_pathv + g.gl_pathc);
            std::sort(names.begin(), names.end());  // bytewise, as nginx's glob in the C locale
            for (auto& n : names) r.files.emplace_back(std::move(n));
        } else if (rc != GLOB_NOMATCH) {
            r.glob_error = rc;
        }
        ::globfree(&g);
        return r;
    }

    entry* find(const fs::path& host_path) {
        const auto it = by_key.find(key_of(absolute_normal(host_path)));
        return it == by_key.end() ? nullptr : it->second;
    }

    entry* add(fs::path abs, std::string key, document doc) {
        auto e = std::make_unique<entry>();
        e->path = std::move(abs);
        e->key = std::move(key);
        e->doc = std::make_unique<document>(std::move(doc));
        entry* raw = e.get();
        entries.push_back(std::move(e));
        by_key.emplace(raw->key, raw);
        return raw;
    }

    // Parses a file not loaded yet; throws parse_error / io_error.
    entry* open(const fs::path& host_path) {
        fs::path abs = absolute_normal(host_path);
        std::string key = key_of(abs);
        if (const auto it = by_key.find(key); it != by_key.end()) return it->second;
        document doc = parse_file(abs, opts.parse);
        return add(std::move(abs), std::move(key), std::move(doc));
    }

    void problem(diag_code code, std::string message, std::vector<source_region> chain,
                 source_region where = {}) {
        diagnostic p;
        p.level = code == diag_code::include_too_many_files ? severity::warning : severity::error;
        p.code = code;
        p.message = std::move(message);
        p.where = std::move(where);
        for (auto& site : chain) p.related.push_back({std::move(site), "included here"});
        problems.push_back(std::move(p));
    }

    // Depth-first, in document order, without recursion (a long include chain cannot overflow
    // the stack). A frame is a file whose includes are being followed.
    void follow(entry* root) {
        if (root->followed) return;
        struct frame {
            entry* e;
            std::vector<directive> includes;
            std::size_t next = 0;
            std::vector<fs::path> pending;  // files of the current include not yet visited
            std::size_t pending_next = 0;
            source_region site;             // the current include directive
            source_region via;              // the include that led to this file
        };
        std::vector<frame> stack;
        std::unordered_set<std::string> active;
        const auto push = [&](entry* e, source_region via) {
            e->followed = true;
            active.insert(e->key);
            frame f{e, find_all(e->doc->root(), "include", {.recursive = true}), 0, {}, 0, {}, std::move(via)};
            stack.push_back(std::move(f));
        };
        const auto chain_to = [&](const source_region& last) {
            std::vector<source_region> chain;
            for (std::size_t i = 1; i < stack.size(); ++i) chain.push_back(stack[i].via);
            chain.push_back(last);
            return chain;
        };
        push(root, {});
        while (!stack.empty()) {
            frame& f = stack.back();
            if (f.pending_next < f.pending.size()) {
                const fs::path file = f.pending[f.pending_next++];
                const source_region site = f.site;
                if (entry* child = visit(file, site, active, chain_to)) {
                    push(child, site);  // invalidates f
                }
                continue;
            }
            if (f.next == f.includes.size()) {
                active.erase(f.e->key);
                stack.pop_back();
                continue;
            }
            const directive inc = f.includes[f.next++];
            f.site = include_site(*f.e->doc, inc);
            f.pending.clear();
            f.pending_next = 0;
            if (inc.arg_count() != 1) continue;  // nginx -t reports the arity
            const std::string arg = inc.arg(0);
            resolved r = resolve(arg);
            if (r.glob_error) {
                problem(diag_code::include_io_error,
                        "glob() \"" + r.pattern + "\" failed (error " + std::to_string(r.glob_error) + ")",
                        chain_to(f.site), source_region{r.pattern, {}, {}});
                continue;
            }
            if (r.glob && r.files.size() > opts.max_files) {
                problem(diag_code::include_too_many_files,
                        "include \"" + arg + "\" matches " + std::to_string(r.files.size()) +
                            " files, more than the limit of " + std::to_string(opts.max_files) +
                            "; none of them was loaded",
                        chain_to(f.site), source_region{r.pattern, {}, {}});
                continue;
            }
            if (!r.glob) {
                struct stat st {};
                if (::stat(r.files.front().c_str(), &st) != 0) {
                    const int err = errno;
                    const std::string name = r.files.front().string();
                    problem(err == ENOENT ? diag_code::include_missing : diag_code::include_io_error,
                            "open() \"" + name + "\" failed (" + detail::io::errno_text(err) +
                                ") for include \"" + arg + "\"",
                            chain_to(f.site), source_region{name, {}, {}});
                    continue;
                }
            }
            f.pending = std::move(r.files);
        }
    }

    // One file an include resolved to: the entry to follow next, or nullptr.
    template <class ChainTo>
    entry* visit(const fs::path& file, const source_region& site,
                 const std::unordered_set<std::string>& active, const ChainTo& chain_to) {
        const fs::path abs = absolute_normal(file);
        const std::string key = key_of(abs);
        if (active.count(key)) {
            problem(diag_code::include_cycle,
                    "include cycle: \"" + abs.string() + "\" is already being included",
                    chain_to(site), source_region{abs.string(), {}, {}});
            return nullptr;
        }
        if (const auto it = by_key.find(key); it != by_key.end()) {
            return it->second->followed ? nullptr : it->second;  // one file, one document
        }
        if (entries.size() >= opts.max_files) {
            if (!file_limit_reported) {
                file_limit_reported = true;
                problem(diag_code::include_too_many_files,
                        "more than " + std::to_string(opts.max_files) +
                            " files; \"" + abs.string() + "\" and later ones were not loaded",
                        chain_to(site), source_region{abs.string(), {}, {}});
            }
            return nullptr;
        }
        try {
            document doc = parse_file(abs, opts.parse);
            return add(abs, key, std::move(doc));
        } catch (const parse_error& e) {
            problem(diag_code::include_parse_error, e.what(), chain_to(site), e.where());
        } catch (const io_error& e) {
            problem(diag_code::include_io_error, e.what(), chain_to(site), e.where());
        }
        return nullptr;
    }

    [[nodiscard]] std::string baseline(const entry& e) const {
        return e.saved ? *e.saved : std::string(e.doc->source());
    }
};

workspace::workspace(workspace_options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}
workspace::workspace(workspace&&) noexcept = default;
workspace& workspace::operator=(workspace&&) noexcept = default;
workspace::~workspace() = default;

document& workspace::load(const fs::path& host_path) {
    const fs::path abs = absolute_normal(host_path);
    if (impl_->prefix.empty()) impl_->prefix = abs.parent_path();
    entry* e = impl_->open(abs);
    if (impl_->opts.follow_includes) impl_->follow(e);
    return *e->doc;
}

document& workspace::open(const fs::path& host_path) { return *impl_->open(host_path)->doc; }

document& workspace::create(const fs::path& host_path, document doc) {
    fs::path abs = absolute_normal(host_path);
    std::string key = key_of(abs);
    if (impl_->by_key.count(key)) {
        throw usage_error("workspace::create: \"" + abs.string() + "\" is already loaded");
    }
    struct stat st {};
    if (::lstat(abs.c_str(), &st) == 0) {
        throw usage_error("workspace::create: \"" + abs.string() + "\" exists; open() it instead");
    }
    if (doc.source_name().empty()) detail::doc_access::of(doc).name = abs.string();
    entry* e = impl_->add(std::move(abs), std::move(key), std::move(doc));
    e->created = true;
    e->followed = true;
    return *e->doc;
}

document& workspace::replace(const fs::path& host_path, document doc) {
    entry* e = impl_->find(host_path);
    if (!e) {
        throw usage_error("workspace::replace: \"" + host_path.string() + "\" is not loaded");
    }
    if (!e->created && !e->saved) e->saved = std::string(e->doc->source());
    if (doc.source_name().empty()) detail::doc_access::of(doc).name = e->path.string();
    auto old = std::make_unique<document>(std::move(*e->doc));
    detail::doc_access::of(*old).retired = true;
    impl_->retired.push_back(std::move(old));
    *e->doc = std::move(doc);
    return *e->doc;
}

document* workspace::find(const fs::path& host_path) {
    entry* e = impl_->find(host_path);
    return e ? e->doc.get() : nullptr;
}

fs::path workspace::host_path(std::string_view nginx_path) const {
    return impl_->split(nginx_path).joined(false);
}

std::vector<fs::path> workspace::resolve_include(const const_directive& inc) const {
    if (!inc || inc.arg_count() != 1) return {};
    return impl_->resolve(inc.arg(0)).files;
}

std::vector<document*> workspace::documents() {
    std::vector<document*> out;
    out.reserve(impl_->entries.size());
    for (const auto& e : impl_->entries) out.push_back(e->doc.get());
    return out;
}

const std::vector<diagnostic>& workspace::problems() const noexcept { return impl_->problems; }

void workspace::remove(const fs::path& host_path) {
    entry* e = impl_->find(host_path);
    if (!e) {
        throw usage_error("workspace::remove: \"" + host_path.string() + "\" is not loaded");
    }
    e->removing = true;
}

bool workspace::removed(const fs::path& host_path) const {
    const auto it = impl_->by_key.find(key_of(absolute_normal(host_path)));
    return it != impl_->by_key.end() && (it->second->removing || it->second->gone);
}

std::vector<file_change> workspace::pending_changes() const {
    std::vector<file_change> out;
    for (const auto& e : impl_->entries) {
        if (e->gone) continue;
        if (e->removing) {
            // A file created and removed in this session never reaches the disk.
            if (!e->created) out.push_back({e->path, {}, impl_->baseline(*e), true});
            continue;
        }
        std::string now = to_string(*e->doc);
        if (e->created) {
            out.push_back({e->path, std::move(now), std::nullopt});
            continue;
        }
        std::string base = impl_->baseline(*e);
        if (now != base) out.push_back({e->path, std::move(now), std::move(base)});
    }
    return out;
}

std::vector<file_change> workspace::pending_changes(const std::vector<fs::path>& first) const {
    std::vector<file_change> rest = pending_changes();
    std::vector<file_change> out;
    out.reserve(rest.size());
    for (const auto& p : first) {
        const std::string key = key_of(absolute_normal(p));
        const auto it = std::find_if(rest.begin(), rest.end(),
                                     [&](const file_change& c) { return key_of(c.path) == key; });
        if (it == rest.end()) continue;
        out.push_back(std::move(*it));
        rest.erase(it);
    }
    for (auto& c : rest) out.push_back(std::move(c));
    return out;
}

std::string workspace::diff(int context) const { return diff({}, context); }

std::string workspace::diff(const std::vector<fs::path>& first, int context) const {
    std::string out;
    for (const auto& c : pending_changes(first)) {
        const std::string name = c.path.string();
        const std::string old_name = c.expected ? name : std::string("/dev/null");
        out += c.remove ? unified_diff(c.expected.value_or(std::string()), {}, name, "/dev/null",
                                       context)
                        : unified_diff(c.expected.value_or(std::string()), c.bytes, old_name, name,
                                       context);
    }
    return out;
}

transaction_result workspace::save(const transaction_options& opts) { return save(opts, {}); }

transaction_result workspace::save(const transaction_options& opts,
                                   const std::vector<fs::path>& first) {
    auto changes = pending_changes(first);
    transaction_result result = apply_changes(changes, opts);
    for (auto& c : changes) {
        entry* e = impl_->find(c.path);
        if (!e) continue;
        e->gone = c.remove;
        e->saved = std::move(c.bytes);
        e->created = false;
    }
    return result;
}

}  // namespace ngxconf
