# `cpack -G DEB` in the build folder: a .deb of the tools for self-hosters (ngxauth, ngxconf,
# their man pages and shell completions: the `tools` install component). The library, its
# headers and CMake/pkg-config files are for developers and stay out of it.
set(CPACK_PACKAGE_NAME ngxauth)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "ngxconf")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "put SWAG apps behind Authentik SSO by editing SWAG's nginx confs losslessly")
set(CPACK_PACKAGE_DESCRIPTION
    "ngxauth switches the auth lines of SWAG's (linuxserver/swag) proxy-confs on and off, \
shows a diff first and writes every file or none; it can also set up Authentik's side. \
ngxconf is the lossless nginx configuration parser it is built on, as a command line \
(parse to crossplane JSON, check, select).")
set(CPACK_PACKAGE_CONTACT "ngxconf maintainers <ngxconf@users.noreply.github.com>")
set(CPACK_COMPONENTS_ALL tools)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_NAME ngxauth)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # ngxauth_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries the binaries link (libcurl4, libfmt9, libstdc++6, ...) as
# dpkg-shlibdeps finds them; nginx itself runs in SWAG's container, so it is not needed here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
include(CPack)
