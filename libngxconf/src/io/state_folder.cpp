// The state folder (see state_folder.hpp).
#include "io/state_folder.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "io/posix.hpp"
#include "ngxconf/save.hpp"

namespace ngxconf::detail::io {

namespace fs = std::filesystem;

state_folder::state_folder(const fs::path& state_dir)
    : state_dir_(state_dir), path_(state_dir / state_folder_name) {
    struct stat st {};
    if (::stat(state_dir.c_str(), &st) != 0) throw sys_error("stat()", state_dir, errno);
    uid_ = st.st_uid;
    gid_ = st.st_gid;
    mode_ = static_cast<mode_t>(st.st_mode & 0777);
}

bool state_folder::ensure(const std::string& sub) const {
    bool created = false;
    for (const fs::path& p : {path_, sub.empty() ? fs::path() : path_ / sub}) {
        if (p.empty()) continue;
        if (::mkdir(p.c_str(), mode_ | S_IRWXU) != 0) {
            if (errno == EEXIST) continue;
            throw sys_error("mkdir()", p, errno);
        }
        // mkdir() applies the umask: set the mode of state_dir exactly.
        if (::chmod(p.c_str(), mode_ | S_IRWXU) != 0) throw sys_error("chmod()", p, errno);
        adopt(p);
        if (p == path_) created = true;
    }
    return created;
}

void state_folder::adopt(const fs::path& p) const {
    if (::geteuid() != 0) return;
    if (::lchown(p.c_str(), uid_, gid_) != 0) throw sys_error("lchown()", p, errno);
}

void state_folder::remove_if_empty() const { ::rmdir(path_.c_str()); }

}  // namespace ngxconf::detail::io
