# The fully static ngxauth: `file`/`ldd` say static, and it runs in an empty chroot holding
# only itself and a SWAG tree (scripts/check-static.sh; skipped, exit 77, when not root).
# A normal build configures and builds a second, static build tree of ngxauth alone.
if(TARGET ngxauth)
    if(NGXCONF_STATIC_TOOLS)
        add_test(NAME ngxauth_static
                 COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/check-static.sh
                         --binary $<TARGET_FILE:ngxauth> ${PROJECT_SOURCE_DIR})
    else()
        add_test(NAME ngxauth_static
                 COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/check-static.sh
                         --build ${CMAKE_BINARY_DIR}/static-ngxauth ${PROJECT_SOURCE_DIR})
        set_tests_properties(ngxauth_static PROPERTIES ENVIRONMENT
            "CMAKE_GENERATOR=${CMAKE_GENERATOR};CXX=${CMAKE_CXX_COMPILER}")
    endif()
    set_tests_properties(ngxauth_static PROPERTIES LABELS "static;ngxauth" TIMEOUT 1800
                         SKIP_RETURN_CODE 77)
endif()
