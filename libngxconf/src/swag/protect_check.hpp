#pragma once
// protect's checks on the model of each conf (protect_check.cpp).
#include <string>
#include <utility>
#include <vector>

#include "model.hpp"

namespace ngxconf::swag::detail {

// The provider's -server.conf and -location.conf parse, the location file asks auth_request,
// and the server file has the location that subrequest reaches and the named location of
// error_page 401. Throws error(swag_provider_file_invalid) naming the file otherwise.
void require_provider_endpoints(const context& ctx, provider p);

// The printed bytes of every loaded document, to take an operation's edits back.
struct workspace_snapshot {
    std::vector<std::pair<fs::path, std::string>> texts;
};
[[nodiscard]] workspace_snapshot snapshot(workspace& ws);
// Documents whose bytes differ from the snapshot get the snapshot's bytes back.
void restore(const context& ctx, const workspace_snapshot& s);

// --insert: p's location-level line into every OPEN location of the model, and p's
// server-level line into its server block where none is on (subdomain confs).
std::vector<change> insert_where_open(const context& ctx, const conf_model& m, provider p);

// The refusal naming every failing location of the models (swag.location_open when one is
// open, else the first reason); the hint names --insert unless it was tried.
[[nodiscard]] error refusal(const context& ctx, const std::vector<conf_model>& models, provider p,
                            bool inserted);

}  // namespace ngxconf::swag::detail
