#pragma once
// One model of a proxy-conf as nginx will run it: its server blocks, its locations, what each
// location passes on, and the protection nginx applies to each (auth_request / auth_basic as
// inherited, with the provider's endpoint locations looked up the way nginx picks a location).
// protect, status, doctor and verify all read this model; none re-derives the structure.
#include <optional>
#include <string>
#include <vector>

#include "detail.hpp"

namespace ngxconf::swag::detail {

// A directive as nginx reads it in one block: written there, or at the top level of a file
// that an enabled include there pulls in (through nested includes).
struct placed {
    directive d;
    fs::path file;  // the file it is written in
};

// An include that pulls in a provider file that is missing or does not parse.
struct include_problem {
    fs::path file;       // the host path named
    diag_code code;      // swag_files_missing or swag_provider_file_invalid
    std::string detail;  // the parse error, for messages
};

// The enabled directives nginx sees in a block, includes expanded (the include directives
// themselves are left out), in order; nested blocks are not entered.
struct scope_contents {
    std::vector<placed> directives;
    std::vector<include_problem> problems;  // only those of provider files
};
[[nodiscard]] scope_contents expand(const context& ctx, const block& scope, const fs::path& file);

// The location nginx picks for `uri` among a server's locations (named ones never match):
// an exact match, else the longest prefix when it is `^~`, else the first matching regex in
// order, else the longest prefix; nullptr when none matches.
[[nodiscard]] const placed* pick_location(std::string_view uri, const std::vector<placed>& locations);
// The name of a named location (`location @name`), "" for others.
[[nodiscard]] std::string named_location(const directive& loc);

struct server_model {
    directive server;
    fs::path file;
    scope_contents contents;        // server-level directives, includes expanded
    std::vector<placed> locations;  // every location block nginx has at server level
};

struct location_model {
    directive loc;
    std::size_t server = 0;  // index into conf_model::servers
    bool passes = false;     // proxy_pass, grpc_pass, ... in it (or its `if` blocks)
    bool main = false;       // `location /` (subdomain) or the subfolder app's own prefix
    // The app's .sample ships this location (same match) without any auth line: SWAG leaves
    // it open on purpose (AdGuard's /control, Plex's streams, ...). A line deleted by hand
    // from a location the sample protects is not this.
    bool shipped_open = false;
    location_state state;    // the verdict and its reason, filled by evaluate()
};

struct conf_model;
// Fills l.state: its match, line, Authentik line state, verdict and reason.
void evaluate(const context& ctx, const conf_model& m, location_model& l);

struct conf_model {
    app_conf conf;
    document* doc = nullptr;
    std::vector<server_model> servers;  // for a subfolder app: default.conf's server blocks
    std::vector<location_model> locations;
    std::vector<diagnostic> problems;   // default.conf unreadable or without the server block
};

// Builds the model of one conf whose document is `doc` (a pending one too) and evaluates
// every location; for a subfolder app default.conf is read through the session.
[[nodiscard]] conf_model model_of(const context& ctx, const app_conf& conf, document& doc);

// Whether the app is protected: some location asks for a login and none that passes
// requests on is OPEN or broken (open on purpose is fine, never for the main location).
[[nodiscard]] bool app_protected(const conf_model& m);
// The locations that must ask for a login and do not (verdict OPEN or broken).
[[nodiscard]] std::vector<const location_model*> failing(const conf_model& m);
// "location / (line 29): no auth applies" — one per failing location, for messages.
[[nodiscard]] std::string describe_failure(const location_model& l);

}  // namespace ngxconf::swag::detail
