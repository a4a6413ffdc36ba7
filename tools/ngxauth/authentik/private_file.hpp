#pragma once
// Writing a small file whole or not at all: a temporary file in the same folder, fsync, rename.
// Used for files that hold secrets (the config file, the outpost kit's .env), created with the
// mode asked for from the start so no other user can ever read a partial or open copy.
#include <filesystem>
#include <string>
#include <sys/types.h>

namespace ngxauth::authentik {

// Writes `text` to `file` with `mode`; false when the file already has exactly these bytes
// and mode (then it is not touched). Throws std::filesystem::filesystem_error.
bool write_file(const std::filesystem::path& file, const std::string& text, mode_t mode);

}  // namespace ngxauth::authentik
