// Another admin tool doing ngxauth's job through the installed ngxconf::swag library, without
// the CLI: protect an app of a small SWAG tree, save, check, unprotect, save, compare bytes.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <ngxconf/swag/swag.hpp>
#include <string>

namespace fs = std::filesystem;

namespace {
void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}
std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

int main() {
    std::string tmpl = (fs::temp_directory_path() / "ngxconf-swag-consumer-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) return 1;
    const fs::path root = tmpl;
    const std::string app =
        "## Version 2025/07/18\n"
        "server {\n"
        "    listen 443 ssl;\n"
        "    server_name dockge.*;\n"
        "    # enable for Authentik (requires authentik-location.conf in the location block)\n"
        "    #include /config/nginx/authentik-server.conf;\n"
        "    location / {\n"
        "        # enable for Authentik (requires authentik-server.conf in the server block)\n"
        "        #include /config/nginx/authentik-location.conf;\n"
        "        proxy_pass http://dockge:5001;\n"
        "    }\n"
        "}\n";
    write(root / "proxy-confs/dockge.subdomain.conf", app);
    write(root / "authentik-server.conf",
          "## Version 2025/03/25\nlocation ^~ /outpost.goauthentik.io {\n"
          "    set $upstream_authentik authentik-server;\n"
          "    proxy_pass http://$upstream_authentik:9000;\n}\n");
    write(root / "authentik-location.conf", "## Version 2023/04/27\nauth_request /outpost.goauthentik.io/auth/nginx;\n");
    int rc = 0;
    try {
        // The domain error crosses the library boundary and is caught by its own type.
        try {
            ngxconf::swag::session s({root});
            (void)s.protect("no-such-app");
            std::cerr << "swag_consumer: protect of a missing app did not throw\n";
            rc = 1;
        } catch (const ngxconf::swag::error& e) {
            if (e.code() != ngxconf::diag_code::swag_app_not_found) {
                std::cerr << "swag_consumer: wrong swag::error: " << e.what() << '\n';
                rc = 1;
            }
        }
        ngxconf::swag::session s({root});
        const auto r = s.protect("dockge");
        s.save({.state_dir = root});
        const auto after = read(root / "proxy-confs/dockge.subdomain.conf");
        if (r.changes.size() != 2 || after.find("\n    include /config/nginx/authentik-server.conf;") == std::string::npos) {
            std::cerr << "swag_consumer: protect did not enable the lines\n" << after;
            rc = 1;
        }
        ngxconf::swag::session s2({root});
        (void)s2.unprotect("dockge");
        s2.save({.state_dir = root});
        if (read(root / "proxy-confs/dockge.subdomain.conf") != app) {
            std::cerr << "swag_consumer: unprotect did not restore the bytes\n";
            rc = 1;
        }
    } catch (const std::exception& e) {
        std::cerr << "swag_consumer: " << e.what() << '\n';
        rc = 1;
    }
    fs::remove_all(root);
    if (rc == 0) std::cout << "swag_consumer: protect + unprotect through the library, bytes restored\n";
    return rc;
}
