# The committed directive tables equal a regeneration from nginx's source when that source is
# present ($NGXCONF_NGINX_SOURCES); skipped (77) otherwise.
add_test(NAME directive_tables_regen COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/directive_tables_regen.sh)
set_tests_properties(directive_tables_regen PROPERTIES SKIP_RETURN_CODE 77 LABELS directive_tables TIMEOUT 300)

# ngxconf check --nginx 1.22 against nginx -t on every corpus sample, Authentik lines off and
# on (tests/e2e/directive_corpus.sh); skipped without the corpus or nginx.
if(TARGET ngxconf_tool)
    add_test(NAME directive_corpus
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/directive_corpus.sh
                     $<TARGET_FILE:ngxconf_tool> ${PROJECT_SOURCE_DIR}/fixtures/swag ${NGXCONF_CORPUS_DIR})
    set_tests_properties(directive_corpus PROPERTIES SKIP_RETURN_CODE 77 LABELS "nginx;corpus" TIMEOUT 900)
endif()

# ngxauth refuses writes that add directive errors; doctor reports them (tests/e2e/ngxauth_directive_gate.sh).
if(TARGET ngxauth)
    add_test(NAME ngxauth_directive_gate
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/ngxauth_directive_gate.sh
                     $<TARGET_FILE:ngxauth> ${PROJECT_SOURCE_DIR}/fixtures/swag)
    set_tests_properties(ngxauth_directive_gate PROPERTIES LABELS "e2e;ngxauth" TIMEOUT 120)
endif()
