# ctest fixture `installed_prefix_{static,shared}`: installs ngxconf into a scratch PREFIX for
# the consumer tests, and checks what got installed.
#   cmake -DLINKAGE=static|shared -DPREFIX=... -DWORK_DIR=... -DBUILD_DIR=...
#         [-DPROJECT_DIR=...] [-DJOBS=N, else $JOBS, else 2] [-DNM=nm] [common.cmake options]
#         -P install.cmake
# With PROJECT_DIR, BUILD_DIR is first configured and built as a tree of the libraries alone
# (no tools, no tests, no fmt or CLI11) with BUILD_SHARED_LIBS matching LINKAGE; it is kept
# between runs, so only the first run compiles everything.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
if(NOT DEFINED BUILD_DIR)
    message(FATAL_ERROR "install.cmake: -DBUILD_DIR=... is required")
endif()
if(NOT JOBS)
    set(JOBS "$ENV{JOBS}")
endif()
if(NOT JOBS)
    set(JOBS 2)
endif()

function(build_library_tree)
    set(args -S ${PROJECT_DIR} -B ${BUILD_DIR} -DCMAKE_BUILD_TYPE=${CONFIG}
        -DNGXCONF_BUILD_TESTS=OFF -DNGXCONF_BUILD_TOOLS=OFF -DNGXCONF_INSTALL=ON
        -DNGXCONF_SANITIZE=${SANITIZE})
    if(LINKAGE STREQUAL "shared")
        list(APPEND args -DBUILD_SHARED_LIBS=ON)
    else()
        list(APPEND args -DBUILD_SHARED_LIBS=OFF)
    endif()
    if(GENERATOR)
        # A tree configured by another generator cannot be reused: start it afresh.
        if(EXISTS ${BUILD_DIR}/CMakeCache.txt)
            file(STRINGS ${BUILD_DIR}/CMakeCache.txt old REGEX "^CMAKE_GENERATOR:INTERNAL=")
            if(NOT old STREQUAL "CMAKE_GENERATOR:INTERNAL=${GENERATOR}")
                file(REMOVE_RECURSE ${BUILD_DIR}/CMakeCache.txt ${BUILD_DIR}/CMakeFiles)
            endif()
        endif()
        list(APPEND args -G ${GENERATOR})
    endif()
    if(CXX_COMPILER)
        list(APPEND args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
    endif()
    step("configure the ${LINKAGE} library tree" ${CMAKE_COMMAND} ${args})
    step("build the ${LINKAGE} libraries"
         ${CMAKE_COMMAND} --build ${BUILD_DIR} --config ${CONFIG} --parallel ${JOBS})
endfunction()

# The package files must not leak the private, header-only PEGTL dependency.
function(check_package_files)
    file(GLOB_RECURSE exported ${PREFIX}/*/cmake/ngxconf/*.cmake)
    if(NOT exported)
        fail("no ngxconf package files under ${PREFIX}")
    endif()
    file(GLOB_RECURSE pc_files ${PREFIX}/*/pkgconfig/ngxconf*.pc)
    list(LENGTH pc_files pc_count)
    if(NOT pc_count EQUAL 2)
        fail("expected ngxconf.pc and ngxconf-swag.pc under ${PREFIX}, found: ${pc_files}")
    endif()
    foreach(f ${exported} ${pc_files})
        file(READ ${f} content)
        if(content MATCHES "pegtl")
            fail("${f} mentions PEGTL")
        endif()
    endforeach()
endfunction()

# Static: the archives and no .so. Shared: versioned .so files with the soname, the swag
# library finding libngxconf.so beside it ($ORIGIN), and only the API in the symbol table.
function(check_libraries)
    file(GLOB_RECURSE archives ${PREFIX}/*/libngxconf*.a)
    file(GLOB_RECURSE shared_objects ${PREFIX}/*/libngxconf*.so*)
    if(LINKAGE STREQUAL "static")
        list(LENGTH archives n)
        if(NOT n EQUAL 2 OR shared_objects)
            fail("a static install has libngxconf.a and libngxconf_swag.a only: ${archives} ${shared_objects}")
        endif()
        return()
    endif()
    if(archives)
        fail("a shared install has no archives: ${archives}")
    endif()
    foreach(lib ngxconf ngxconf_swag)
        file(GLOB_RECURSE so ${PREFIX}/*/lib${lib}.so.*.*.*)
        if(NOT so)
            fail("no versioned lib${lib}.so in ${PREFIX}")
        endif()
        step("readelf lib${lib}.so" readelf -d ${so})
        if(NOT step_output MATCHES "SONAME\\)[^\n]*\\[lib${lib}\\.so\\.[0-9]+(\\.[0-9]+)?\\]")
            fail("lib${lib}.so has no versioned soname:\n${step_output}")
        endif()
    endforeach()
    if(NOT step_output MATCHES "RUNPATH\\)[^\n]*\\[\\$ORIGIN\\]")
        fail("libngxconf_swag.so does not look for libngxconf.so beside itself:\n${step_output}")
    endif()
    check_exported_symbols(ngxconf "ngxconf::parse\\(" "ngxconf::basic_node<true>::text"
                           "ngxconf::basic_directive<false>::name"
                           "typeinfo for ngxconf::parse_error" "typeinfo for ngxconf::usage_error")
    check_exported_symbols(ngxconf_swag "ngxconf::swag::session::protect"
                           "typeinfo for ngxconf::swag::error")
endfunction()

# A shared library exports its API and hides the internals: no ngxconf::detail:: symbol (one
# may appear in a parameter type, never as the symbol itself) and nothing of PEGTL. The
# exception types must be exported: catching by type across the boundary relies on them.
function(check_exported_symbols lib)
    if(NOT NM)
        set(NM nm)
    endif()
    file(GLOB_RECURSE so ${PREFIX}/*/lib${lib}.so.*.*.*)
    step("nm -DC lib${lib}.so" ${NM} -DC --defined-only ${so})
    string(REGEX MATCHALL "[^\n]+" symbols "${step_output}")
    list(LENGTH symbols count)
    foreach(s ${symbols})
        if(s MATCHES "^[0-9a-f]+ [A-Za-z] ngxconf::(swag::)?detail::" OR s MATCHES "pegtl")
            fail("lib${lib}.so exports an internal symbol: ${s}")
        endif()
    endforeach()
    foreach(api ${ARGN})
        if(NOT step_output MATCHES "${api}")
            fail("lib${lib}.so does not export ${api}")
        endif()
    endforeach()
    message(STATUS "${consumer_tag}: lib${lib}.so exports ${count} symbols")
endfunction()

if(PROJECT_DIR)
    build_library_tree()
endif()
file(REMOVE_RECURSE ${PREFIX})
step("install ${BUILD_DIR} to ${PREFIX}"
     ${CMAKE_COMMAND} --install ${BUILD_DIR} --config ${CONFIG} --prefix ${PREFIX})
check_package_files()
check_libraries()
