# The generated man pages and shell completions (cmake/cli_docs.cmake, tests/tool/cli_docs.sh):
#   cli_docs_man    groff -ww and `man -l` render each page without a warning; lexgrog finds NAME
#   cli_docs_bash   `ngxauth pro<TAB>` gives protect, `ngxauth protect doc<TAB>` dockge (app
#                   names of a copy of fixtures/swag), options, choices, ngxconf's commands
#   cli_docs_zsh    zsh -n, and the words the completion offers
#   cli_docs_fish   fish -n, and what `complete -C` answers
# A shell that is not installed skips (exit 77), or fails when CI=true.
if(TARGET ngxauth_cli_docs AND TARGET ngxconf_cli_docs)
    foreach(mode man bash zsh fish)
        add_test(NAME cli_docs_${mode}
                 COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tool/cli_docs.sh ${mode}
                         ${PROJECT_BINARY_DIR}/cli-docs
                         "$<TARGET_FILE_DIR:ngxauth>:$<TARGET_FILE_DIR:ngxconf_tool>"
                         ${PROJECT_SOURCE_DIR}/fixtures/swag)
        set_tests_properties(cli_docs_${mode} PROPERTIES LABELS "tool;cli_docs" TIMEOUT 120
                             SKIP_RETURN_CODE 77)
    endforeach()
endif()
