# The binary interface of the project's libraries (ngxconf, ngxconf_swag), static or shared.
#
# Symbols are hidden unless ngxconf/export.hpp marks them (NGXCONF_API, NGXCONF_SWAG_API), so
# a shared build exports the public API and nothing of the internals or of PEGTL. A shared
# library is named libNAME.so.VERSION with the soname libNAME.so.SOVERSION. While the major
# version is 0 every minor release may break the ABI (the CMake package says so too:
# SameMinorVersion), so the soname carries major.minor (libngxconf.so.0.1); from 1.0 on, the
# major alone.
if(PROJECT_VERSION_MAJOR EQUAL 0)
    set(NGXCONF_SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
else()
    set(NGXCONF_SOVERSION ${PROJECT_VERSION_MAJOR})
endif()

function(ngxconf_library_abi target)
    set_target_properties(${target} PROPERTIES
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON
        VERSION ${PROJECT_VERSION}
        SOVERSION ${NGXCONF_SOVERSION})
    # An installed libngxconf_swag.so finds libngxconf.so beside it, wherever the prefix is.
    if(NOT DEFINED CMAKE_INSTALL_RPATH)
        set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN")
    endif()
endfunction()
