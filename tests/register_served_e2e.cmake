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

# Pristine and hand-damaged confs served by nginx (tests/e2e/served_damaged_e2e.sh): what
# `status`, `protect` and `verify` say must match what nginx does for an anonymous visitor.
if(TARGET ngxauth)
    add_test(NAME served_damaged_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/served_damaged_e2e.sh
                     $<TARGET_FILE:ngxauth> ${PROJECT_SOURCE_DIR}/fixtures/swag)
    set_tests_properties(served_damaged_e2e PROPERTIES
        SKIP_RETURN_CODE 77
        LABELS "e2e;ngxauth;served"
        TIMEOUT 600)
endif()

# Every SWAG subdomain sample of the corpus protected and served at once by one nginx
# (tests/e2e/served_corpus_e2e.sh): every conf protect accepts must ask for the login.
# Without the corpus (NGXCONF_CORPUS_DIR, or $NGXCONF_CORPUS) it is skipped, unless CI=true.
if(TARGET ngxauth)
    add_test(NAME served_corpus_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/served_corpus_e2e.sh
                     $<TARGET_FILE:ngxauth> ${PROJECT_SOURCE_DIR}/fixtures/swag
                     ${NGXCONF_CORPUS_DIR})
    set_tests_properties(served_corpus_e2e PROPERTIES
        SKIP_RETURN_CODE 77
        LABELS "e2e;ngxauth;served;corpus"
        TIMEOUT 600)
endif()

# Both halves (the Authentik API stand-in and nginx, tests/e2e/served_authentik_e2e.sh): the
# nginx half alone gives 500, protect --authentik-url gives the login.
if(TARGET ngxauth)
    add_test(NAME served_authentik_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/served_authentik_e2e.sh
                     $<TARGET_FILE:ngxauth> ${PROJECT_SOURCE_DIR}/fixtures/swag)
    set_tests_properties(served_authentik_e2e PROPERTIES
        SKIP_RETURN_CODE 77
        LABELS "e2e;ngxauth;served"
        TIMEOUT 300)
endif()
