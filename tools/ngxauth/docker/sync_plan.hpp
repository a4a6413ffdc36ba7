#pragma once
// `ngxauth sync`'s plan: the desired confs of the labelled containers become edits of a SWAG
// session's workspace (new files, regenerated ones, removed ones), written later in one
// transaction by the caller. Each conf sync writes starts with a marker comment; a conf
// without it is never touched (sync.not_managed), and a managed conf whose container is gone
// is removed (its name compared whole: removing `app` keeps `app2`'s conf). Nothing printed.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "labels.hpp"
#include "model.hpp"
#include "ngxconf/swag/swag.hpp"

namespace ngxauth::docker {

// "# managed by ngxauth sync: container NAME" (no line end).
[[nodiscard]] std::string marker_line(std::string_view container);
// The container named by the marker among the leading comment lines of a conf's bytes
// (before its first directive); nullopt when there is none.
[[nodiscard]] std::optional<std::string> managed_by(std::string_view bytes);

enum class plan_action { add, change, remove };
// "add", "change", "remove".
[[nodiscard]] std::string_view to_string(plan_action a) noexcept;

struct plan_entry {
    plan_action action = plan_action::add;
    std::string container;
    std::filesystem::path file;
};

struct sync_plan {
    std::vector<plan_entry> entries;  // in the order of the session's pending changes
    // The containers left as they were (their conf untouched): bad labels, ports, samples, a
    // conf not written by sync (sync.not_managed), a protect that failed (its swag.* code).
    std::vector<refusal> refused;
};

// Plans the sync of `containers` (the running ones labelled swag=enable; others are ignored)
// on the session's workspace: afterwards s.pending_changes() are the writes.
[[nodiscard]] sync_plan plan_sync(ngxconf::swag::session& s, const std::vector<container>& containers,
                                  const label_options& o);

// The bytes of one container's conf from the sample `sample_bytes` (read from `sample`,
// a preset when it is not the template): marker, server_name, $upstream_app/port/proto,
// custom directives, bypass locations (auth is protect's job). A refusal when the port is
// ambiguous or the sample lacks what must be edited.
[[nodiscard]] std::variant<std::string, refusal> conf_from_sample(const desired_conf& d,
                                                                  std::string_view sample_bytes,
                                                                  const std::filesystem::path& sample,
                                                                  bool preset);

}  // namespace ngxauth::docker
