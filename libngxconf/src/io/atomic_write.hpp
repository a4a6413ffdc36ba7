#pragma once
// The one-file atomic replace under write_file_atomic() and every step of a transaction.
#include <filesystem>
#include <string_view>

#include "io/fs_util.hpp"
#include "ngxconf/save.hpp"

namespace ngxconf::detail::io {

// Replaces `target` (a resolved path) with `bytes` through a temporary file and rename(2).
// `owner_required`: failing to give the file meta's owner is an error (else best effort).
// `hooks` (may be null) hears before and after the temporary file is written.
void write_atomic(const std::filesystem::path& target, std::string_view bytes,
                  const file_meta& meta, bool owner_required, bool do_fsync,
                  save_observer* hooks = nullptr);

}  // namespace ngxconf::detail::io
