#pragma once
// The commands of ngxauth. Each one builds a swag::session, runs one domain operation and
// hands the report to finish(); none of them catches: main() turns exceptions into messages
// and exit codes (output.hpp).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "authentik/connection.hpp"
#include "ngxconf/check.hpp"
#include "ngxconf/swag/swag.hpp"
#include "output.hpp"

namespace ngxauth {

// How ngxauth reaches Docker (--docker-host, $DOCKER_HOST, --no-docker, --docker-timeout,
// --swag-container): doctor's container checks, --validate auto, --reload in SWAG, sync.
struct docker_options {
    bool off = false;                 // --no-docker: never talk to Docker
    std::optional<std::string> host;  // --docker-host, else $DOCKER_HOST (read by main)
    double timeout = 5;               // --docker-timeout SECONDS, per request
    std::string swag_container;       // --swag-container NAME (default: found by image)
};

// The options every command shares.
struct options {
    std::optional<std::filesystem::path> root;  // --root; else NGXAUTH_ROOT, else detected
    bool dry_run = false;
    bool check = false;
    bool json = false;
    bool quiet = false;    // -q: a write says nothing but warnings and errors
    bool verbose = false;  // -v: doctor's explanations in full
    std::string validate;  // --validate CMD: run after writing, roll back on failure;
                           // "auto" (the default with a SWAG container): nginx -t inside it
    double validate_timeout = 120;  // --validate-timeout SECONDS (0: none)
    std::string reload;    // --reload CMD: run after a successful write
    double wait = 30;      // --wait SECONDS for another run's lock (0: fail at once)
    std::string label;     // the command line, recorded in the history with a write
    std::vector<std::string> recovered;  // files an interrupted run left, put back first
    style out;
    // --authentik-url, --authentik-token-file, --ca-file, --insecure, --authentik-timeout;
    // with the saved config they say whether (and how) a command talks to Authentik.
    authentik::connection_options authentik;
    docker_options docker;
    std::string outpost;  // --outpost NAME: the outpost nginx asks, instead of the one
                          // $upstream_authentik's host names
    // --nginx 1.22|1.26: the directive table writes are checked against and doctor uses.
    ngxconf::nginx_version nginx = ngxconf::newest_nginx_version;
};

// Rolls back what an interrupted run left in ROOT (every command calls it first) and says so
// on stderr, a line per file; fills o.recovered (recovery.cpp). A live run holding the lock
// is left alone: it recovers the tree itself.
void recover_first(options& o);

// Shows, checks or saves what a change-making command did (apply.cpp):
//   nothing pending   -> `nothing_to_do` (and the report's notes), exit 0
//   --dry-run         -> the unified diff, nothing written (exit 1 with --check)
//   --check           -> a line per file that would change, exit 1
//   otherwise         -> one transaction (--validate inside it), a line per file, `done`,
//                        then --reload
struct outcome_text {
    std::string_view command;        // "protect"
    std::string subject;             // "dockge" (owned: it may be built from several names)
    std::string nothing_to_do;       // "dockge is already protected by authentik"
    std::string done;                // "dockge is now protected by authentik"
    std::string extra_json = {};     // members appended to the JSON report (",\"authentik\":{...}")
};
[[nodiscard]] int finish(ngxconf::swag::session& s, const ngxconf::swag::report& r,
                         const options& o, const outcome_text& text);

// What finish() shows, checks or saves, for changes that come from elsewhere than a session
// (undo).
struct pending_write {
    std::filesystem::path root;
    std::vector<ngxconf::file_change> changes;
    std::function<void(const ngxconf::transaction_options&)> save;
};

// The --dry-run patch of `changes`, as git writes one: `diff --git a/PATH b/PATH` with PATH
// relative to `root` (quoted as git quotes names), new/deleted file modes, /dev/null for the
// missing side. `cd ROOT && patch -p1` and `git apply` both apply it (git_diff.cpp).
[[nodiscard]] std::string git_diff(const std::vector<ngxconf::file_change>& changes,
                                   const std::filesystem::path& root);
[[nodiscard]] int finish_write(const ngxconf::swag::report& r, const pending_write& w,
                               const options& o, const outcome_text& text);


struct switch_args {
    std::string target;
    std::optional<int> port;
    std::optional<std::string> scheme;
    // --strict: refuse (exit 3, nothing written) a target that is no container on a network
    // SWAG's container shares; without it that is a warning (docker.not_a_container).
    bool strict = false;
};
[[nodiscard]] int cmd_switch_upstream(const options& o, const switch_args& a);

struct gen_args {
    std::string subdomain = "auth";
    std::string upstream = "authentik-server";
    int port = 9000;
    std::string scheme = "http";
    bool force = false;
    bool port_given = false, scheme_given = false;  // --port / --scheme win over --upstream's
};
[[nodiscard]] int cmd_gen_auth_subdomain(const options& o, const gen_args& a);

struct verify_args {
    std::vector<std::string> apps;       // none: every app with some auth on (protected or meant to be)
    std::optional<std::string> domain;   // --domain: APP.DOMAIN, DOMAIN/APP/
    std::optional<std::string> url;      // --url: exactly this URL
    std::optional<std::string> connect;  // --connect HOST:PORT
    bool insecure = false;
    double timeout = 10;
};
// Whether this build can verify (it has libcurl); says why not on stderr when it cannot.
[[nodiscard]] bool verify_available();
[[nodiscard]] int cmd_verify(const options& o, const verify_args& a);

// The Authentik half of protect / unprotect (run when a URL is given or saved).
struct authentik_args {
    std::optional<std::string> domain;  // --domain: apps answer on APP.DOMAIN
    bool domain_level = false;          // --domain-level: forward_domain, cookie domain DOMAIN
    std::string authorization_flow = "default-provider-authorization-implicit-consent";
    std::string invalidation_flow = "default-provider-invalidation-flow";
    std::string outpost;                // --outpost NAME instead of $upstream_authentik's host
    bool purge = false;                 // unprotect --purge: delete what ngxauth made
};

struct protect_args {
    std::vector<std::string> apps;  // one or more: one session, one diff, one transaction
    std::string provider = "authentik";
    bool replace = false;
    bool insert = false;
    bool from_sample = false;
    // protect --verify: after the write (and --reload), verify APP with these options and
    // exit with verify's code. main() refuses it with --dry-run / --check or without
    // --domain / --url.
    std::optional<verify_args> verify;
    authentik_args ak;
};
[[nodiscard]] int cmd_protect(const options& o, const protect_args& a);
[[nodiscard]] int cmd_unprotect(const options& o, const protect_args& a);
[[nodiscard]] int cmd_history(const options& o);
// Reverts transaction `id` (the last one when nullopt) as a new transaction.
[[nodiscard]] int cmd_undo(const options& o, std::optional<std::uint64_t> id);

// Every app as a table; with APPs, each named app's locations with their verdicts.
[[nodiscard]] int cmd_status(const options& o, const std::vector<std::string>& apps);
[[nodiscard]] int cmd_doctor(const options& o);
// Every app SWAG offers (its .sample confs) and every active conf: kind, whether active, and
// the protection status reports.
[[nodiscard]] int cmd_list(const options& o);

// The Authentik side's findings (authentik/audit.hpp) when a URL is given or saved; none else.
[[nodiscard]] std::vector<ngxconf::diagnostic> authentik_findings(const options& o,
                                                                  ngxconf::swag::session& s);
// Findings as doctor prints them: JSON array elements (with "level"), or a line each under
// 100 columns: the message's first line, or with `verbose` all of it, wrapped.
[[nodiscard]] std::string findings_json(const std::vector<ngxconf::diagnostic>& findings,
                                        const std::filesystem::path& root);
void print_findings(const std::vector<ngxconf::diagnostic>& findings,
                    const std::filesystem::path& root, const style& st, bool verbose = false);

// authentik login: checks the connection, saves it (0600); authentik version: the server's.
[[nodiscard]] int cmd_authentik_login(const options& o);
[[nodiscard]] int cmd_authentik_version(const options& o);

// sync [--watch]: proxy-confs/NAME.subdomain.conf from the labels of running containers
// labelled swag=enable (swag-auto-proxy's labels), one transaction per sync (cmd_sync.cpp).
struct sync_args {
    bool allow_directives = false;  // --allow-directives: the custom-directive labels
    bool watch = false;             // --watch: follow the Engine's events until SIGINT/SIGTERM
    double debounce = 2;            // --debounce SECONDS of quiet before a re-sync
};
[[nodiscard]] int cmd_sync(const options& o, const sync_args& a);

struct outpost_args {
    std::string name;                 // the outpost (and, by default, nginx's upstream host)
    std::vector<std::string> apps;    // --apps A,B
    authentik_args ak;                // --domain, flows
    std::string authentik_host;       // --authentik-host: where the outpost reaches Authentik
    std::string upstream;             // --upstream HOST: how SWAG reaches the outpost
    std::string out;                  // --out DIR (default ./outpost-NAME)
    bool apply = false;               // --apply: run switch-upstream too
};
[[nodiscard]] int cmd_outpost_create(const options& o, const outpost_args& a);
[[nodiscard]] int cmd_outpost_list(const options& o);

// docker info: the Engine's endpoint and API version, each container's state, image, and per
// network its address and the names it answers to (cmd_docker.cpp).
[[nodiscard]] int cmd_docker_info(const options& o);

}  // namespace ngxauth
