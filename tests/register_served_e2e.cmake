# The real nginx serving a copy of fixtures/swag in a private network namespace, with a
# stand-in Authentik outpost and app (tests/e2e/served_e2e.sh): real requests and
# `ngxauth verify` must agree. Needs root and unshare; skipped otherwise, unless CI=true.
if(TARGET ngxauth)
    add_test(NAME served_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/served_e2e.sh $<TARGET_FILE:ngxauth>
                     ${PROJECT_SOURCE_DIR}/fixtures/swag)
    set_tests_properties(served_e2e PROPERTIES
        SKIP_RETURN_CODE 77
        LABELS "e2e;ngxauth;served"
        TIMEOUT 300)
endif()
