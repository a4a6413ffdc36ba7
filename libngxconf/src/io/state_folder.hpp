#pragma once
// STATE/.ngxconf/: the one folder that holds what the transactions of a tree keep (the journal
// of a running one, the history of committed ones). See save.hpp for why its name is safe
// beside nginx's `*.conf` include globs and SWAG's auto-reload.
#include <sys/types.h>

#include <filesystem>

namespace ngxconf::detail::io {

class state_folder {
  public:
    // Reads the owner and mode of state_dir (which must exist: io_error otherwise).
    explicit state_folder(const std::filesystem::path& state_dir);

    [[nodiscard]] const std::filesystem::path& state_dir() const { return state_dir_; }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
        return path_ / name;
    }

    // Creates the folder (state_dir's mode and owner) and `sub` inside it when missing; true
    // when this call created the folder itself, so a rollback can take it away again.
    bool ensure(const std::string& sub = {}) const;
    // Gives a file or folder made inside the owner of state_dir when running as root, so a
    // later run as that owner can replace and remove it.
    void adopt(const std::filesystem::path& p) const;
    // Removes the folder when empty (after a rollback of the transaction that created it).
    void remove_if_empty() const;

  private:
    std::filesystem::path state_dir_;
    std::filesystem::path path_;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
    mode_t mode_ = 0755;
};

}  // namespace ngxconf::detail::io
