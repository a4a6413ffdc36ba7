# End-to-end tests of the ngxauth CLI on copies of fixtures/swag and of the SWAG corpus, with
# nginx -t after every write (tests/e2e/ngxauth_e2e.sh; the corpus part is skipped when the
# corpus is absent, unless CI=true). Set NGXCONF_CORPUS to use another corpus.
if(TARGET ngxauth)
    add_test(NAME ngxauth_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/ngxauth_e2e.sh $<TARGET_FILE:ngxauth>
                     ${PROJECT_SOURCE_DIR}/fixtures/swag ${NGXCONF_CORPUS_DIR})
    set_tests_properties(ngxauth_e2e PROPERTIES LABELS "e2e;ngxauth" TIMEOUT 1200)
endif()

# ngxauth's transactions (tests/e2e/ngxauth_txn_e2e.sh): signals during --validate and
# --reload, recovery of a killed run, concurrent runs, history and undo, root then the owner.
if(TARGET ngxauth)
    add_test(NAME ngxauth_txn_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/ngxauth_txn_e2e.sh $<TARGET_FILE:ngxauth>
                     ${PROJECT_SOURCE_DIR}/fixtures/swag)
    set_tests_properties(ngxauth_txn_e2e PROPERTIES LABELS "e2e;ngxauth" TIMEOUT 600)
endif()
