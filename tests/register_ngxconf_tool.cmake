# The ngxconf developer tool: select, --json, --max-depth, --version, `-` for stdin and
# check --json, with exact bytes and exit codes on fixtures/select (tests/tool/ngxconf_select.sh).
# The corpus part runs a few selectors over every *.conf* file below NGXCONF_CORPUS_DIR (or
# $NGXCONF_CORPUS); without the corpus it exits 77 (skipped), or fails when CI=true.
if(TARGET ngxconf_tool)
    add_test(NAME ngxconf_select
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tool/ngxconf_select.sh
                     $<TARGET_FILE:ngxconf_tool> ${PROJECT_SOURCE_DIR}/fixtures/select
                     ${PROJECT_VERSION})
    set_tests_properties(ngxconf_select PROPERTIES LABELS tool TIMEOUT 120)
    add_test(NAME ngxconf_select_corpus
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tool/ngxconf_select.sh --corpus
                     $<TARGET_FILE:ngxconf_tool> ${NGXCONF_CORPUS_DIR})
    set_tests_properties(ngxconf_select_corpus PROPERTIES
        SKIP_RETURN_CODE 77
        LABELS "tool;corpus"
        TIMEOUT 600)
endif()

# check --nginx / parse --json --nginx: nginx's directive check (tests/tool/ngxconf_check_nginx.sh).
if(TARGET ngxconf_tool)
    add_test(NAME ngxconf_check_nginx
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tool/ngxconf_check_nginx.sh $<TARGET_FILE:ngxconf_tool>)
    set_tests_properties(ngxconf_check_nginx PROPERTIES LABELS tool TIMEOUT 60)
endif()

# The README's command lines against both tools' own CLI definitions: commands and options
# exist, values where wanted, the synopsis lists every command and every option is named
# (tests/tool/readme_commands.py).
if(TARGET ngxconf_tool AND TARGET ngxauth)
    add_test(NAME readme_commands
             COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/tool/readme_commands.py
                     ${PROJECT_SOURCE_DIR}/README.md $<TARGET_FILE:ngxauth>
                     $<TARGET_FILE:ngxconf_tool>)
    set_tests_properties(readme_commands PROPERTIES LABELS tool TIMEOUT 60)
endif()
