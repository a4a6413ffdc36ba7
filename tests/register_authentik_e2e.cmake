# ngxauth's Authentik half against a stand-in for Authentik's REST API over TLS
# (tests/e2e/authentik_e2e.sh, tests/e2e/authentik_standin.py): the requests each command
# sends, the objects it leaves, failures that write nothing, rollback, and the token kept out
# of every output and command line. Without python3 or openssl, or with an ngxauth that has
# no `authentik` command, it is skipped (77), unless CI=true.
if(TARGET ngxauth)
    add_test(NAME authentik_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/authentik_e2e.sh $<TARGET_FILE:ngxauth>
                     ${PROJECT_SOURCE_DIR}/fixtures/swag)
    set_tests_properties(authentik_e2e PROPERTIES
        SKIP_RETURN_CODE 77
        LABELS "e2e;ngxauth;authentik"
        TIMEOUT 600)
endif()
