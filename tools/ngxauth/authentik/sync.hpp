#pragma once
// The Authentik half of protect and unprotect: a plan made from reads only (what exists, what
// must be written), then its writes, each with the write that undoes it. A run whose nginx
// half fails undoes what it created; a second run finds everything and writes nothing.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "objects.hpp"

namespace ngxauth::authentik {

// The provider and application an app needs.
struct app_target {
    std::string slug;           // APP
    std::string external_host;  // "https://dockge.example.com"
    bool domain_level = false;  // forward_domain (else forward_single)
    std::string cookie_domain;  // domain level: "example.com"
    std::string authorization_flow = "default-provider-authorization-implicit-consent";
    std::string invalidation_flow = "default-provider-invalidation-flow";
    bool replace = false;       // change an existing provider whose mode or host differ
};

// One write, as the dry run prints it ("POST /api/v3/providers/proxy/ {...}").
struct api_step {
    std::string method, path;
    json body;  // null for DELETE
};

struct protect_plan {
    std::string version;
    std::vector<api_step> steps;  // in order; a new provider's pk appears as "(new provider)"
    // what the writes need
    std::optional<proxy_provider> provider;  // existing (reused, or changed with --replace)
    std::optional<application> app;          // existing
    json provider_body, app_body;
    bool create_provider = false, update_provider = false, create_app = false, link_app = false;
    outpost target;                          // the outpost nginx talks to (pk "": none)
};

// Reads what exists and plans the writes. Throws api_error (flow_missing, outpost_missing,
// provider_differs without --replace, and every API failure). Without `where`, the provider
// and application only (outpost create attaches them itself).
[[nodiscard]] protect_plan plan_protect(client& c, const app_target& t, const outpost_ref* where);

// Compensating writes, run newest first by rollback().
struct undo_log {
    std::vector<std::pair<std::string, std::function<void(client&)>>> steps;  // what, how
};

// Makes the plan's writes, recording how to undo each in `undo`.
void apply(client& c, protect_plan& plan, undo_log& undo);
// Undoes what `undo` recorded; the descriptions of steps that failed (empty: all undone).
[[nodiscard]] std::vector<std::string> rollback(client& c, undo_log& undo);

struct unprotect_plan {
    std::optional<application> app;
    std::optional<proxy_provider> provider;
    std::optional<outpost> target;
    bool detach = false;                  // the provider is on the outpost
    bool delete_app = false, delete_provider = false;  // --purge, objects ngxauth made
    std::vector<std::string> kept;        // --purge: objects a person made, left alone
    std::vector<api_step> steps;
};
[[nodiscard]] unprotect_plan plan_unprotect(client& c, const std::string& slug,
                                            const outpost_ref& where, bool purge);
void apply(client& c, const unprotect_plan& plan);

}  // namespace ngxauth::authentik
