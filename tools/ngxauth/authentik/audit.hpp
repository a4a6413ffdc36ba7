#pragma once
// What status and doctor say about the Authentik side: for each app nginx protects with
// Authentik, whether its provider exists, names the app's host and is on the outpost nginx
// talks to; for each provider on that outpost, whether nginx protects its host; the version.
#include <filesystem>
#include <vector>

#include "client.hpp"
#include "ngxconf/diagnostic.hpp"
#include "ngxconf/swag/swag.hpp"
#include "objects.hpp"

namespace ngxauth::authentik {

// Findings with authentik.* codes: version (info), in_sync (ok), provider_missing,
// external_host_differs, not_on_outpost (errors: nginx answers 500 for such an app),
// host_unprotected (warning), outpost_missing (error). API failures become one error finding
// with the failure's code, so the nginx half of a report is never lost.
[[nodiscard]] std::vector<ngxconf::diagnostic> audit(
    client& c, const std::vector<ngxconf::swag::app_status>& apps, const outpost_ref& where);

}  // namespace ngxauth::authentik
