// The plan of a sync: confs built from SWAG's samples through the library's editor, auth by
// swag::session::protect, all as pending edits of one workspace.
#include "sync_plan.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ngxconf/edit.hpp"
#include "ngxconf/query.hpp"

namespace ngxauth::docker {
namespace {

namespace fs = std::filesystem;
namespace swag = ngxconf::swag;

constexpr std::string_view marker_prefix = "# managed by ngxauth sync: container ";
constexpr std::string_view conf_suffix = ".subdomain.conf";

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

refusal refused(const desired_conf& d, ngxconf::diag_code code, std::string label,
                std::string value, std::string why) {
    return {code, d.container, std::move(label), std::move(value),
            "container " + d.container + ": " + why};
}

// The sample text with the marker after SWAG's `## Version` line (SWAG compares confs with
// their samples by that first line), else first.
std::string with_marker(std::string_view sample, std::string_view container) {
    const std::string marker = marker_line(container);
    const auto eol = sample.find('\n');
    const bool crlf = eol != std::string_view::npos && eol > 0 && sample[eol - 1] == '\r';
    const std::string nl = crlf ? "\r\n" : "\n";
    if (sample.substr(0, 10) == "## Version" && eol != std::string_view::npos) {
        return std::string(sample.substr(0, eol + 1)) + marker + nl + std::string(sample.substr(eol + 1));
    }
    return marker + nl + std::string(sample);
}

// Every enabled `set $VAR ...;` of the document.
std::vector<ngxconf::directive> sets_of(ngxconf::document& doc, std::string_view var) {
    return ngxconf::find_if(
        doc.root(), [var](const ngxconf::directive& d) { return d.name() == "set" && d.arg_count() >= 1 && d.arg(0) == var; },
        {.recursive = true});
}

std::vector<ngxconf::directive> servers_of(ngxconf::document& doc) {
    return ngxconf::find_all(doc.root(), "server", {.recursive = true});
}

// `location /` of each server block.
std::vector<ngxconf::directive> main_locations(ngxconf::document& doc) {
    std::vector<ngxconf::directive> out;
    for (const auto& s : servers_of(doc)) {
        if (!s.has_block()) continue;
        for (const auto& l : ngxconf::find_all(s.body(), "location")) {
            if (l.arg_count() == 1 && l.arg(0) == "/" && l.has_block()) out.push_back(l);
        }
    }
    return out;
}

void insert_customs(const ngxconf::directive& block, const std::vector<custom_directive>& ds) {
    for (const auto& c : ds) ngxconf::insert_directive(block.body(), ngxconf::insert_at::last_child, c.name, c.args);
}

// The first value of `set $upstream_port N;` in a preset sample.
std::optional<int> sample_port(ngxconf::document& doc) {
    const auto sets = sets_of(doc, "$upstream_port");
    if (sets.empty() || sets.front().arg_count() != 2) return std::nullopt;
    return parse_port(sets.front().arg(1));
}

// A location per bypass path, before `location /`, passing to the app without auth.
void add_bypass(ngxconf::document& doc, const desired_conf& d) {
    if (d.bypass.empty()) return;
    for (const auto& slash : main_locations(doc)) {
        for (const auto& path : d.bypass) {
            const auto loc = ngxconf::insert_block(slash, ngxconf::insert_at::before, "location", {"^~", path});
            const auto body = loc.body();
            const auto add = [&](std::string_view name, std::vector<std::string> args) {
                ngxconf::insert_directive(body, ngxconf::insert_at::last_child, name, args);
            };
            if (d.auth == swag::provider::basic) add("auth_basic", {"off"});
            add("include", {"/config/nginx/proxy.conf"});
            add("include", {"/config/nginx/resolver.conf"});
            for (const auto* var : {"$upstream_app", "$upstream_port", "$upstream_proto"}) {
                const auto sets = sets_of(doc, var);
                if (!sets.empty()) add("set", sets.front().args());
            }
            add("proxy_pass", {"$upstream_proto://$upstream_app:$upstream_port"});
        }
    }
}

// Which sample a container's conf comes from, and whether it is a preset (its own port).
struct sample_choice {
    fs::path path;
    bool preset = false;
};
std::variant<sample_choice, refusal> pick_sample(const fs::path& proxy_confs, const desired_conf& d) {
    if (!d.preset.empty()) {
        fs::path p = proxy_confs / (d.preset + ".subdomain.conf.sample");
        if (fs::is_regular_file(p)) return sample_choice{p, true};
        return refused(d, ngxconf::diag_code::sync_label_invalid, std::string(label_preset), d.preset,
                       "label swag_preset_conf=\"" + d.preset + "\": no proxy-confs/" +
                           p.filename().string());
    }
    fs::path own = proxy_confs / (d.container + ".subdomain.conf.sample");
    if (fs::is_regular_file(own)) return sample_choice{own, true};
    fs::path tpl = proxy_confs / "_template.subdomain.conf.sample";
    if (fs::is_regular_file(tpl)) return sample_choice{tpl, false};
    return refused(d, ngxconf::diag_code::swag_app_not_found, "name", d.container,
                   "no proxy-confs/" + own.filename().string() +
                       " nor _template.subdomain.conf.sample to start from");
}

}  // namespace

std::string marker_line(std::string_view container) {
    return std::string(marker_prefix) + std::string(container);
}

std::optional<std::string> managed_by(std::string_view bytes) {
    std::size_t at = 0;
    while (at < bytes.size()) {
        auto eol = bytes.find('\n', at);
        if (eol == std::string_view::npos) eol = bytes.size();
        auto line = bytes.substr(at, eol - at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        at = eol + 1;
        if (line.empty()) continue;
        if (line.front() != '#') return std::nullopt;
        if (line.substr(0, marker_prefix.size()) == marker_prefix) {
            const auto name = line.substr(marker_prefix.size());
            if (valid_conf_name(name)) return std::string(name);
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::string_view to_string(plan_action a) noexcept {
    switch (a) {
        case plan_action::add: return "add";
        case plan_action::change: return "change";
        case plan_action::remove: return "remove";
    }
    return "change";
}

std::variant<std::string, refusal> conf_from_sample(const desired_conf& d, std::string_view sample_bytes,
                                                    const fs::path& sample, bool preset) {
    auto parsed = ngxconf::try_parse(with_marker(sample_bytes, d.container), sample.string());
    if (!parsed) {
        return refused(d, ngxconf::diag_code::swag_app_not_found, "name", d.container,
                       sample.filename().string() + " does not parse");
    }
    auto& doc = parsed.value();
    const auto port = port_for(d, preset ? sample_port(doc) : std::nullopt);
    if (const auto* r = std::get_if<refusal>(&port)) return *r;
    const auto apps = sets_of(doc, "$upstream_app");
    const auto names = ngxconf::find_all(doc.root(), "server_name", {.recursive = true});
    if (apps.empty() || names.empty()) {
        return refused(d, ngxconf::diag_code::swag_app_not_found, "name", d.container,
                       sample.filename().string() + " has no server_name or set $upstream_app to edit");
    }
    for (const auto& n : names) ngxconf::set_args(n, d.server_names);
    for (const auto& s : apps) ngxconf::set_args(s, {"$upstream_app", d.address});
    for (const auto& s : sets_of(doc, "$upstream_port")) {
        ngxconf::set_args(s, {"$upstream_port", std::to_string(std::get<int>(port))});
    }
    const std::string proto = d.proto ? *d.proto : (preset ? std::string() : std::string("http"));
    if (!proto.empty()) {
        for (const auto& s : sets_of(doc, "$upstream_proto")) ngxconf::set_args(s, {"$upstream_proto", proto});
    }
    for (const auto& s : servers_of(doc)) {
        if (s.has_block()) insert_customs(s, d.server_directives);
    }
    for (const auto& l : main_locations(doc)) insert_customs(l, d.location_directives);
    return ngxconf::to_string(doc);
}

namespace {

// Puts the document of `path` back as it was before sync_one touched it.
void take_back(ngxconf::workspace& ws, const fs::path& path, const std::optional<std::string>& before) {
    if (before) {
        ws.replace(path, ngxconf::parse(*before, path.string()));
    } else {
        ws.remove(path);
    }
}

// One container's conf into the workspace: created, regenerated, or left alone (a refusal).
std::optional<refusal> sync_one(swag::session& s, const desired_conf& d) {
    auto& ws = s.files();
    const fs::path proxy_confs = s.where().root / "proxy-confs";
    const fs::path path = proxy_confs / (d.container + std::string(conf_suffix));
    std::optional<std::string> before;
    if (fs::exists(fs::symlink_status(path))) {
        before = ngxconf::to_string(ws.open(path));
        if (managed_by(*before) != d.container) {
            return refusal{ngxconf::diag_code::sync_not_managed, d.container, "name", d.container,
                           "container " + d.container + ": proxy-confs/" + path.filename().string() +
                               " was not written by sync (no marker line): left alone"};
        }
    }
    const auto choice = pick_sample(proxy_confs, d);
    if (const auto* r = std::get_if<refusal>(&choice)) return *r;
    const auto& sample = std::get<sample_choice>(choice);
    auto bytes = conf_from_sample(d, read_bytes(sample.path), sample.path, sample.preset);
    if (const auto* r = std::get_if<refusal>(&bytes)) return *r;
    auto fresh = ngxconf::parse(std::get<std::string>(bytes), path.string());
    if (before) {
        ws.replace(path, std::move(fresh));
    } else {
        ws.create(path, std::move(fresh));
    }
    try {
        if (d.auth) {
            swag::protect_options po;
            po.with = *d.auth;
            po.insert = true;
            (void)s.protect(d.container + ".subdomain", po);
        }
        add_bypass(*ws.find(path), d);
    } catch (const swag::error& e) {
        take_back(ws, path, before);
        return refusal{e.code(), d.container, std::string(label_auth), "",
                       "container " + d.container + ": " + std::string(e.description())};
    }
    return std::nullopt;
}

// Every conf sync wrote whose container is not in `present`: marked for removal.
void remove_gone(swag::session& s, const std::set<std::string>& present) {
    const fs::path proxy_confs = s.where().root / "proxy-confs";
    std::error_code ec;
    std::vector<fs::path> gone;
    for (fs::directory_iterator it(proxy_confs, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.size() <= conf_suffix.size() || !name.ends_with(conf_suffix)) continue;
        if (!it->is_regular_file()) continue;
        const auto owner = managed_by(read_bytes(it->path()));
        // The marker must name this very file's container: NAME.subdomain.conf.
        if (!owner || *owner + std::string(conf_suffix) != name || present.count(*owner)) continue;
        gone.push_back(it->path());
    }
    std::sort(gone.begin(), gone.end());
    for (const auto& p : gone) {
        (void)s.files().open(p);
        s.files().remove(p);
    }
}

std::string container_of_file(const fs::path& p) {
    auto name = p.filename().string();
    if (name.ends_with(conf_suffix)) name.resize(name.size() - conf_suffix.size());
    return name;
}

}  // namespace

sync_plan plan_sync(swag::session& s, const std::vector<container>& containers, const label_options& o) {
    sync_plan plan;
    std::set<std::string> present;
    for (const auto& c : containers) {
        if (!c.running || !wants_sync(c)) continue;
        present.insert(c.name);
        auto d = desired_from_labels(c, o);
        if (auto* r = std::get_if<refusal>(&d)) {
            plan.refused.push_back(std::move(*r));
            continue;
        }
        if (auto r = sync_one(s, std::get<desired_conf>(d))) plan.refused.push_back(std::move(*r));
    }
    remove_gone(s, present);
    for (const auto& ch : s.pending_changes()) {
        const auto action = ch.remove ? plan_action::remove : ch.expected ? plan_action::change : plan_action::add;
        plan.entries.push_back({action, container_of_file(ch.path), ch.path});
    }
    return plan;
}

}  // namespace ngxauth::docker
