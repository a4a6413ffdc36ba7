# Compile-fail tests (tests/compile_fail/const_edit.cpp): each case is an object library that
# is not part of `all`; ctest builds it. With DOC_CONST=const the build must fail (WILL_FAIL),
# with DOC_CONST empty the same code must build, so the failure comes from constness alone.
set(_cf_src ${CMAKE_CURRENT_SOURCE_DIR}/compile_fail/const_edit.cpp)
foreach(case RANGE 1 6)
    foreach(variant const mutable)
        set(_t compile_fail_${variant}_${case})
        add_library(${_t} OBJECT EXCLUDE_FROM_ALL ${_cf_src})
        target_link_libraries(${_t} PRIVATE ngxconf::ngxconf)
        if(variant STREQUAL "const")
            target_compile_definitions(${_t} PRIVATE CASE=${case} DOC_CONST=const)
        else()
            target_compile_definitions(${_t} PRIVATE CASE=${case} DOC_CONST=)
        endif()
        add_test(NAME ${_t}
                 COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${_t})
        # One build tool at a time in this build tree.
        set_tests_properties(${_t} PROPERTIES RESOURCE_LOCK build_tree LABELS compile_fail)
        if(variant STREQUAL "const")
            set_tests_properties(${_t} PROPERTIES WILL_FAIL TRUE)
        endif()
    endforeach()
endforeach()
