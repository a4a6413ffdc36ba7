# Install and export rules, fmt style. `find_package(ngxconf)` gives ngxconf::ngxconf (and
# ngxconf::swag when that target is built), from an install prefix or from a build tree.
#
# PEGTL is a private, header-only dependency linked through $<BUILD_INTERFACE:...>: it never
# appears in the installed export, so consumers need neither PEGTL nor find_dependency(pegtl).
include(CMakePackageConfigHelpers)

set(NGXCONF_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/ngxconf)
set(NGXCONF_EXPORTED_TARGETS ngxconf)
if(TARGET ngxconf_swag)
    list(APPEND NGXCONF_EXPORTED_TARGETS ngxconf_swag)
endif()

install(TARGETS ${NGXCONF_EXPORTED_TARGETS} EXPORT ngxconf-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The swag/ headers go with the ngxconf::swag target.
set(_ngxconf_header_excludes)
if(NOT TARGET ngxconf_swag)
    set(_ngxconf_header_excludes PATTERN swag EXCLUDE)
endif()
install(DIRECTORY libngxconf/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.hpp" ${_ngxconf_header_excludes})

# Dependencies a consumer must find: those the exported targets link (a static library exports
# its private link dependencies as $<LINK_ONLY:...>), except build-interface-only ones.
set(NGXCONF_FIND_DEPENDENCIES "")
set(_ngxconf_links "")
foreach(target ${NGXCONF_EXPORTED_TARGETS})
    get_target_property(_l ${target} LINK_LIBRARIES)
    get_target_property(_il ${target} INTERFACE_LINK_LIBRARIES)
    foreach(lib IN LISTS _l _il)
        if(lib AND NOT lib MATCHES "BUILD_INTERFACE")
            list(APPEND _ngxconf_links "${lib}")
        endif()
    endforeach()
endforeach()
if(_ngxconf_links MATCHES "fmt::")
    string(APPEND NGXCONF_FIND_DEPENDENCIES "find_dependency(fmt)\n")
endif()

# Installed package: config, version, targets.
configure_package_config_file(cmake/ngxconf-config.cmake.in
    ${PROJECT_BINARY_DIR}/ngxconf-config.cmake
    INSTALL_DESTINATION ${NGXCONF_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ngxconf-config-version.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ngxconf-config.cmake
              ${PROJECT_BINARY_DIR}/ngxconf-config-version.cmake
        DESTINATION ${NGXCONF_CMAKE_INSTALL_DIR})
install(EXPORT ngxconf-targets NAMESPACE ngxconf:: DESTINATION ${NGXCONF_CMAKE_INSTALL_DIR})

# Build tree: `-Dngxconf_DIR=<build>` works without installing. The build-tree export keeps
# the $<BUILD_INTERFACE:taocpp::pegtl> link (CMake 3.25 has no BUILD_LOCAL_INTERFACE), so
# this config alone also finds PEGTL.
export(TARGETS ${NGXCONF_EXPORTED_TARGETS} NAMESPACE ngxconf::
       FILE ${PROJECT_BINARY_DIR}/ngxconf-targets.cmake)
file(WRITE ${PROJECT_BINARY_DIR}/ngxconf-build-tree.cmake
     "# Read by ngxconf-config.cmake in the build tree only (never installed).\n"
     "find_dependency(pegtl 3.2)\n")

# pkg-config: ngxconf.pc (and ngxconf-swag.pc). The prefix is found from the .pc file's own
# place (${pcfiledir}), so `cmake --install --prefix DIR` and DESTDIR installs are right too.
# Absolute install dirs are written as they are.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
    set(NGXCONF_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
    set(NGXCONF_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
    set(NGXCONF_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
    file(RELATIVE_PATH _ngxconf_pc_up "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
    string(REGEX REPLACE "/$" "" _ngxconf_pc_up "${_ngxconf_pc_up}")
    set(NGXCONF_PC_PREFIX "\${pcfiledir}/${_ngxconf_pc_up}")
    set(NGXCONF_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
    set(NGXCONF_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(_ngxconf_pc_files ngxconf)
if(TARGET ngxconf_swag)
    list(APPEND _ngxconf_pc_files ngxconf-swag)
endif()
foreach(pc ${_ngxconf_pc_files})
    configure_file(cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
