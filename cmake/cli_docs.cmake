# Man pages and bash, zsh and fish completions of ngxauth and ngxconf, generated after each
# tool is linked from its own CLI11 definition (`TOOL --dump-cli`, scripts/gen-cli-docs.py),
# so they always say what --help says. They land in <build>/cli-docs/ and install to the
# places man, bash-completion, zsh and fish look in (the `tools` component, as the binaries).
# A cross build cannot run the tools: NGXCONF_CLI_DOCS=OFF leaves them out.
option(NGXCONF_CLI_DOCS "Generate and install the man pages and shell completions" ON)
if(NOT NGXCONF_CLI_DOCS)
    return()
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(NGXCONF_CLI_DOCS_DIR ${PROJECT_BINARY_DIR}/cli-docs)
# ngxconf_cli_docs(TARGET NAME SEE_ALSO): the four files of the tool TARGET installed as NAME.
function(ngxconf_cli_docs target name see_also)
    set(dir ${NGXCONF_CLI_DOCS_DIR})
    set(files ${dir}/${name}.1 ${dir}/${name}.1.gz ${dir}/${name}.bash ${dir}/_${name} ${dir}/${name}.fish)
    add_custom_command(OUTPUT ${files}
        COMMAND Python3::Interpreter ${PROJECT_SOURCE_DIR}/scripts/gen-cli-docs.py
                --binary $<TARGET_FILE:${target}> --name ${name} --version ${PROJECT_VERSION}
                --out ${dir} --see-also ${see_also}
        DEPENDS ${target} ${PROJECT_SOURCE_DIR}/scripts/gen-cli-docs.py
        COMMENT "Man page and completions of ${name}"
        VERBATIM)
    add_custom_target(${name}_cli_docs ALL DEPENDS ${files})
    if(NGXCONF_INSTALL)
        install(FILES ${dir}/${name}.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tools)
        install(FILES ${dir}/${name}.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
                RENAME ${name} COMPONENT tools)
        # Debian's zsh reads packages' completions from vendor-completions; for any other
        # prefix zsh's own site-functions (/usr/local/share/zsh/site-functions is on every
        # fpath). Decided when installing: cpack installs below a staging .../usr.
        install(CODE "
            if(CMAKE_INSTALL_PREFIX MATCHES \"(^|/)usr/?$\")
                set(_zsh_dir vendor-completions)
            else()
                set(_zsh_dir site-functions)
            endif()
            file(INSTALL \"${dir}/_${name}\"
                 DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/zsh/\${_zsh_dir}\")"
            COMPONENT tools)
        install(FILES ${dir}/${name}.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d
                COMPONENT tools)
    endif()
endfunction()

ngxconf_cli_docs(ngxauth ngxauth ngxconf)
ngxconf_cli_docs(ngxconf_tool ngxconf ngxauth)
