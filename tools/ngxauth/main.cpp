// ngxauth: put SWAG apps behind Authentik SSO by switching SWAG's own commented lines on and
// off, losslessly, with a diff first and an all-or-nothing write. The command line only; the
// work is done by ngxconf::swag (libngxconf/include/ngxconf/swag/swag.hpp).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hidden.hpp"
#include "output.hpp"
#include "transaction.hpp"
#include "usage.hpp"

#ifndef NGXAUTH_VERSION
#define NGXAUTH_VERSION "0.0.0"
#endif

namespace {

constexpr const char* footer_text = R"(ROOT is the folder SWAG mounts as /config/nginx: --root, else $NGXAUTH_ROOT,
else the first of /config/nginx and /docker/swag/config/nginx that holds proxy-confs/.

Every write is one transaction: all files or none. Its state lives in ROOT/.ngxconf/
(the journal of a running write, the history of the last 20); every command first rolls
back a write that was killed half-way and names the files. A second run waits --wait
SECONDS for the first. SIGINT, SIGTERM, SIGHUP or SIGQUIT before the commit (while
writing or during --validate) restore every file; during --reload the changes stay.

Exit codes:
  0  done, or nothing to do
  1  --check: changes would be made (nothing written)
  2  usage error
  3  configuration error: a parse error, or the SWAG tree's state (app not found,
     another provider enabled, no auth lines, invalid target, would overwrite)
  4  I/O error, lock still held after --wait, a file changed since (undo), or the
     --validate command failed (every file restored); or the --reload command failed
     (the changes are kept); verify: an app could not be checked (no connection, 5xx)
  5  verify: an app is OPEN (answered without asking for a login)
  6  Authentik's API failed: unreachable, TLS, timeout, token refused (401/403),
     not Authentik (404), a server error; nothing was written in the tree
  7  the Docker Engine failed or refused: socket missing, permission denied, API older
     than 1.41, timeout; nothing was written in the tree
  128+N  stopped by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP, 131 SIGQUIT)

Colour only on a terminal (not TERM=dumb); --no-color, --color never or NO_COLOR turn it
off, --color always turns it on (for less -R).)";

// The options that say how to reach the live site: verify's, also protect --verify's.
struct site_options {
    std::string domain, url, connect;
    CLI::Option* domain_opt = nullptr;
    CLI::Option* url_opt = nullptr;
    CLI::Option* connect_opt = nullptr;

    void add_to(CLI::App* cmd, ngxauth::verify_args& va) {
        domain_opt =
            cmd->add_option("--domain", domain, "your domain: https://APP.DOMAIN/, DOMAIN/APP/")
                ->type_name("DOMAIN");
        url_opt = cmd->add_option("--url", url, "check exactly this URL")
                      ->type_name("URL")
                      ->excludes(domain_opt);
        connect_opt =
            cmd->add_option("--connect", connect,
                            "connect to HOST:PORT, keeping the app's name for TLS and Host")
                ->type_name("HOST:PORT");
        cmd->add_flag("--insecure", va.insecure, "do not check TLS certificates");
        cmd->add_option("--timeout", va.timeout, "seconds per request")
            ->type_name("S")
            ->check(ngxauth::seconds(ngxauth::at_least::above_zero))
            ->capture_default_str();
    }
    [[nodiscard]] bool names_site() const { return *domain_opt || *url_opt; }
    void fill(ngxauth::verify_args& va) const {
        if (*domain_opt) va.domain = domain;
        if (*url_opt) va.url = url;
        if (*connect_opt) va.connect = connect;
    }
};

// A command line ngxauth refuses after CLI11 accepted it: "ngxauth: MESSAGE" on stderr, the
// JSON failure object with --json, exit 2.
int usage(bool json, const std::string& message) {
    return ngxauth::report_failure(std::make_exception_ptr(ngxauth::usage_failure(message)), json, {});
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ngxauth;

    CLI::App app{
        "ngxauth - put SWAG apps behind Authentik SSO (edits SWAG's nginx confs losslessly)"};
    app.name("ngxauth");
    app.set_version_flag("--version", "ngxauth " NGXAUTH_VERSION);
    app.require_subcommand(1);
    app.fallthrough();  // global options may also follow the command

    options o;
    std::string root;
    bool no_color = false;
    auto* root_opt =
        app.add_option("--root", root, "the SWAG nginx folder (/config/nginx in the container)")
            ->type_name("DIR");
    app.add_flag("--dry-run", o.dry_run, "print the unified diff, write nothing");
    app.add_flag("--check", o.check, "write nothing; exit 1 when changes would be made");
    app.add_flag("--json", o.json, "machine-readable output (status, doctor, reports)");
    app.add_flag("--no-color", no_color, "no ANSI colour (also: NO_COLOR=1, --color never)");
    std::string color = "auto";
    app.add_option("--color", color, "colour: auto (a terminal, not TERM=dumb), always (| less -R), never")
        ->type_name("WHEN")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    app.add_flag("-q,--quiet", o.quiet, "only warnings and errors (and what --dry-run, --json, status print)");
    app.add_flag("-v,--verbose", o.verbose, "doctor: each finding's explanation in full");
    auto* validate_opt = app.add_option("--validate", o.validate,
                   "run CMD after writing; failure: all restored (default `auto`: nginx -t in SWAG's container)")
        ->type_name("CMD");
    auto* validate_timeout_opt = app.add_option("--validate-timeout", o.validate_timeout,
                   "kill --validate CMD after this long and restore everything (0: wait forever)")
        ->type_name("SECONDS")
        ->check(seconds(at_least::zero))
        ->capture_default_str();
    // Alone (or `auto`): nginx -s reload inside SWAG's container.
    auto* reload_opt = app.add_option("--reload", o.reload,
                   "run CMD after a write; alone or `auto`: nginx -s reload in SWAG's container")
        ->type_name("CMD")
        ->expected(0, 1);
    app.add_option("--wait", o.wait,
                   "wait this long for another run editing the tree (0: fail at once)")
        ->type_name("SECONDS")
        ->check(seconds(at_least::zero))
        ->capture_default_str();

    // How to reach Authentik's API (any command that talks to it; the token never on the
    // command line: --authentik-token-file, $AUTHENTIK_TOKEN or the saved config).
    bool insecure = false;
    app.add_option("--authentik-url", o.authentik.url,
                   "Authentik's URL (https://auth.example.com): also do the Authentik half")
        ->type_name("URL");
    app.add_option("--authentik-token-file", o.authentik.token_file,
                   "a file (mode 600) holding an API token (else $AUTHENTIK_TOKEN, else the saved config)")
        ->type_name("FILE");
    app.add_option("--ca-file", o.authentik.ca_file, "trust this CA bundle for Authentik's API")
        ->type_name("FILE");
    app.add_option("--authentik-timeout", o.authentik.timeout, "seconds per API request")
        ->type_name("SECONDS")
        ->check(seconds(at_least::above_zero))
        ->capture_default_str();
    app.add_flag("--insecure", insecure, "do not check TLS certificates (printed as a warning)");
    app.add_option_function<std::string>(
           "--nginx",
           [&o](const std::string& v) { o.nginx = *ngxconf::nginx_version_named(v); },
           "the nginx whose directive table checks writes and doctor: 1.22 or 1.26 (default)")
        ->check(CLI::IsMember({"1.22", "1.22.1", "1.26", "1.26.3"}));
    // How to reach Docker (doctor's container checks, --validate auto, sync).
    app.add_flag("--no-docker", o.docker.off, "never talk to Docker");
    app.add_option("--docker-host", o.docker.host,
                   "the Engine: unix:///PATH, tcp://HOST:PORT or HOST (default: $DOCKER_HOST, else /var/run/docker.sock)")
        ->type_name("HOST");
    app.add_option("--docker-timeout", o.docker.timeout, "seconds per Docker API request")
        ->type_name("SECONDS")
        ->check(seconds(at_least::above_zero))
        ->capture_default_str();
    app.add_option("--swag-container", o.docker.swag_container,
                   "SWAG's container (default: the one running lscr.io/linuxserver/swag)")
        ->type_name("NAME");
    app.add_option("--outpost", o.outpost,
                   "the Authentik outpost nginx asks (default: $upstream_authentik's host)")
        ->type_name("NAME");

    const std::vector<std::string> providers{"authentik", "authelia", "ldap", "tinyauth",
                                             "basic"};

    protect_args pa;
    auto* protect = app.add_subcommand("protect", "enable the auth lines of each APP's proxy-conf");
    protect->add_option("APP", pa.apps,
                        "the apps (proxy-confs/APP.subdomain.conf or .subfolder.conf): one write")
        ->required();
    protect->add_option("--provider", pa.provider, "the provider to enable")
        ->transform(CLI::IsMember(providers, CLI::ignore_case))
        ->capture_default_str();
    protect->add_flag("--replace", pa.replace, "disable another enabled provider first");
    protect->add_flag("--insert", pa.insert, "add the auth lines where the conf has none");
    protect->add_flag("--from-sample", pa.from_sample,
                      "activate APP's .conf from its .sample first");
    bool protect_verify = false;
    verify_args pva;
    site_options protect_site;
    protect->add_flag(
        "--verify", protect_verify,
        "after the write (and --reload), verify APP on the live site; exit as verify");
    protect_site.add_to(protect, pva);
    protect->add_flag("--domain-level", pa.ak.domain_level,
                      "Authentik: forward auth for the whole domain (cookie domain DOMAIN)");
    protect->add_option("--authorization-flow", pa.ak.authorization_flow,
                        "Authentik: the provider's authorization flow (slug)")
        ->capture_default_str();
    protect->add_option("--invalidation-flow", pa.ak.invalidation_flow,
                        "Authentik: the provider's invalidation flow (slug, 2024.10+)")
        ->capture_default_str();

    protect_args ua;
    auto* unprotect = app.add_subcommand("unprotect", "disable the auth lines of each APP's proxy-conf");
    unprotect->add_option("APP", ua.apps, "the apps: one write")->required();
    unprotect->add_option("--provider", ua.provider, "the provider to disable")
        ->transform(CLI::IsMember(providers, CLI::ignore_case))
        ->capture_default_str();
    unprotect->add_flag("--purge", ua.ak.purge,
                        "Authentik: also delete the application and provider ngxauth made");

    switch_args sa;
    int port = 0;
    std::string scheme;
    auto* sw = app.add_subcommand(
        "switch-upstream", "point authentik-server.conf at TARGET (host, IP or URL)");
    sw->add_option("TARGET", sa.target,
                   "authentik-outpost, 10.0.0.5, [fd00::5] or https://host:9443")
        ->required();
    auto* port_opt = sw->add_option("--port", port, "port (default: the URL's, else unchanged)")
                         ->check(port_number());
    auto* scheme_opt =
        sw->add_option("--scheme", scheme, "http or https (default: the URL's, else unchanged)")
            ->check(CLI::IsMember({"http", "https"}));
    sw->add_flag("--strict", sa.strict,
                 "refuse a TARGET that is no container on a network SWAG's container shares");

    gen_args ga;
    auto* gen = app.add_subcommand("gen", "generate a conf");
    gen->require_subcommand(1);
    auto* gen_auth = gen->add_subcommand(
        "auth-subdomain", "write proxy-confs/SUBDOMAIN.subdomain.conf serving Authentik");
    gen_auth->add_option("--subdomain", ga.subdomain, "the subdomain")->capture_default_str();
    gen_auth->add_option("--upstream", ga.upstream,
                         "Authentik's container or host, as switch-upstream takes it (HOST:PORT, URL)")
        ->capture_default_str();
    auto* gen_port_opt = gen_auth->add_option("--port", ga.port, "Authentik's port")
        ->check(port_number())
        ->capture_default_str();
    auto* gen_scheme_opt = gen_auth->add_option("--scheme", ga.scheme, "http or https")
        ->check(CLI::IsMember({"http", "https"}))
        ->capture_default_str();
    gen_auth->add_flag("--force", ga.force, "overwrite a different existing file");

    verify_args va;
    site_options verify_site;
    auto* verify = app.add_subcommand(
        "verify", "ask the live site whether each app wants a login (one anonymous GET each)");
    verify->add_option("APP", va.apps, "apps to check (default: every protected one)");
    verify_site.add_to(verify, va);

    auto* status = app.add_subcommand("status", "show every app's auth state");
    std::vector<std::string> status_apps;
    status->add_option("APP", status_apps, "show these apps' locations, one line each");
    status->footer(R"(Columns:
  PROVIDERS  every provider with a line on in the conf (- for none)
  SERVER     on: the server-level line of each provider in use is on (a subfolder app's
             is default.conf's); off: it is not
  LOCATIONS  how many locations get each verdict: protected (asks for a login), OPEN
             (anyone gets in), broken (a 500 or nginx refuses), open on purpose (an API,
             .well-known, ... SWAG leaves open); none: no location
  PROBLEMS   what to fix (- for nothing); status APP names each location's reason)");
    auto* list = app.add_subcommand(
        "list", "every app SWAG offers (its .sample confs): active or not, and its protection");
    auto* doctor = app.add_subcommand("doctor", "check the tree for problems");
    auto* history = app.add_subcommand("history", "list the recorded writes (ROOT/.ngxconf/)");
    std::uint64_t undo_id = 0;
    auto* undo = app.add_subcommand(
        "undo", "revert the last (or the given) recorded write, as a new write");
    auto* undo_id_opt = undo->add_option("ID", undo_id, "the write's id (see history)");

    auto* ak_cmd = app.add_subcommand("authentik", "the connection to Authentik's API");
    ak_cmd->require_subcommand(1);
    auto* ak_login = ak_cmd->add_subcommand(
        "login", "check --authentik-url and the token, save them (mode 600) for later runs");
    auto* ak_version = ak_cmd->add_subcommand("version", "print the Authentik server's version");

    outpost_args oa;
    sync_args sya;
    auto* sync = app.add_subcommand(
        "sync", "proxy-confs from the labels of running containers (swag=enable), one write");
    sync->add_flag("--allow-directives", sya.allow_directives,
                   "accept swag_server/location_custom_directive (checked against the directive table)");
    sync->add_flag("--watch", sya.watch, "follow Docker's events and sync again until SIGINT/SIGTERM");
    sync->add_option("--debounce", sya.debounce, "seconds without events before syncing again")
        ->type_name("S")
        ->check(seconds(at_least::above_zero))
        ->capture_default_str();
    auto* outpost = app.add_subcommand("outpost", "Authentik proxy outposts");
    outpost->require_subcommand(1);
    auto* outpost_create = outpost->add_subcommand(
        "create", "make a proxy outpost for APPs and write its compose.yaml and .env");
    outpost_create->add_option("NAME", oa.name, "the outpost (its container's name)")->required();
    outpost_create->add_option("--apps", oa.apps, "the apps it serves (A,B)")
        ->delimiter(',')
        ->required();
    std::string outpost_domain;
    auto* outpost_domain_opt =
        outpost_create->add_option("--domain", outpost_domain, "apps answer on APP.DOMAIN")
            ->type_name("DOMAIN");
    outpost_create->add_flag("--domain-level", oa.ak.domain_level, "forward auth for the whole domain");
    outpost_create->add_option("--authentik-host", oa.authentik_host,
                               "where the outpost reaches Authentik (default: --authentik-url)")
        ->type_name("URL");
    outpost_create->add_option("--upstream", oa.upstream,
                               "how SWAG reaches the outpost (default: NAME)")
        ->type_name("HOST");
    outpost_create->add_option("--out", oa.out, "the folder for the files (default: outpost-NAME)")
        ->type_name("DIR");
    outpost_create->add_flag("--apply", oa.apply, "also run switch-upstream for SWAG");
    auto* outpost_list = outpost->add_subcommand("list", "outposts with their providers and health");

    auto* docker_cmd = app.add_subcommand("docker", "what ngxauth sees of Docker");
    docker_cmd->require_subcommand(1);
    auto* docker_info = docker_cmd->add_subcommand(
        "info", "the Engine (endpoint, API version), each container's networks, addresses and names");

    app.footer(footer_text);

    if (const auto rc = run_hidden_command(app, argc, argv)) return *rc;
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 uses 0 for --help/--version (printed by app.exit) and 100 and up for errors.
        if (e.get_exit_code() == 0) return app.exit(e);
        return report_failure(std::make_exception_ptr(refused_command_line(app, e, argc, argv)),
                              wants_json(argc, argv), {});
    }
    // An empty command would run a shell with nothing; a timeout without a command is a typo.
    if (validate_opt->count() != 0 && o.validate.empty()) return usage(o.json, "--validate needs a command");
    if (reload_opt->count() != 0 && o.reload.empty()) o.reload = "auto";
    if (validate_timeout_opt->count() != 0 && o.validate.empty()) {
        return usage(o.json, "--validate-timeout needs --validate CMD");
    }

    if (*verify && !verify_site.names_site()) {
        return usage(o.json, "verify needs --domain DOMAIN or --url URL");
    }
    if (*protect && !protect_verify && *protect_site.url_opt) {
        return usage(o.json, "protect: --url needs --verify");
    }
    if (*protect && *protect_site.domain_opt) pa.ak.domain = protect_site.domain;
    pa.ak.outpost = ua.ak.outpost = o.outpost;
    if (*outpost_domain_opt) oa.ak.domain = outpost_domain;
    // One --insecure for every TLS connection of the run: the API's and verify's.
    o.authentik.insecure = insecure || pva.insecure || va.insecure;
    pva.insecure = va.insecure = o.authentik.insecure;
    if (*protect && protect_verify) {
        if (!protect_site.names_site()) {
            return usage(o.json, "protect --verify needs --domain DOMAIN or --url URL");
        }
        // A dry run changes nothing on the live site: there would be nothing new to verify.
        if (o.dry_run || o.check) {
            return usage(o.json, "protect --verify: not with --dry-run or --check");
        }
        if (*protect_site.url_opt && pa.apps.size() > 1) {
            return usage(o.json, "protect --verify --url checks one app; --domain checks each");
        }
        protect_site.fill(pva);
        pa.verify = pva;
    }
    if (!o.docker.host) {
        if (const char* h = std::getenv("DOCKER_HOST"); h != nullptr && *h != '\0') o.docker.host = h;
    }
    if (root_opt->count() != 0 && root.empty()) return usage(o.json, "--root needs a folder");
    if (root_opt->count() != 0) o.root = std::filesystem::path(root);
    const bool colour = !no_color && color != "never" && (color == "always" || want_color(false));
    o.out = style(!o.json && colour);
    if (*port_opt) sa.port = port;
    if (*scheme_opt) sa.scheme = scheme;
    ga.port_given = gen_port_opt->count() != 0;
    ga.scheme_given = gen_scheme_opt->count() != 0;
    verify_site.fill(va);
    o.label = command_line(argc, argv);

    try {
        // Commands that only talk to Authentik need no SWAG tree.
        if (*ak_login) return cmd_authentik_login(o);
        if (*ak_version) return cmd_authentik_version(o);
        if (*outpost_list) return cmd_outpost_list(o);
        if (*docker_info) return cmd_docker_info(o);
        recover_first(o);
        if (*protect) return cmd_protect(o, pa);
        if (*unprotect) return cmd_unprotect(o, ua);
        if (*sw) return cmd_switch_upstream(o, sa);
        if (*gen_auth) return cmd_gen_auth_subdomain(o, ga);
        if (*verify) return cmd_verify(o, va);
        if (*status) return cmd_status(o, status_apps);
        if (*list) return cmd_list(o);
        if (*doctor) return cmd_doctor(o);
        if (*history) return cmd_history(o);
        if (*undo) return cmd_undo(o, *undo_id_opt ? std::optional(undo_id) : std::nullopt);
        if (*outpost_create) return cmd_outpost_create(o, oa);
        if (*sync) return cmd_sync(o, sya);
    } catch (...) {
        return report_failure(std::current_exception(), o.json, o.recovered);
    }
    return exit_usage;
}
