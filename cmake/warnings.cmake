# Warnings are set per target, never through CMAKE_CXX_FLAGS.
function(ngxconf_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                           -Wno-sign-conversion)
endfunction()
