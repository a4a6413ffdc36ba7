# Warnings are set per target, never through CMAKE_CXX_FLAGS.
# GCC 12 reports -Wrestrict for `"literal" + std::string` inside libstdc++ (GCC bug 105651,
# a false positive fixed in GCC 13), so that one warning is off for GCC 12 only.
function(ngxconf_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                           -Wno-sign-conversion
                           $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
endfunction()
