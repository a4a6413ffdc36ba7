# ctest `installed_consumer_pkgconfig_{static,shared}`: compiles tests/consumer/main.cpp and
# swag_main.cpp with one compiler line each, `c++ -std=c++20 SRC $(pkg-config --cflags --libs
# ngxconf|ngxconf-swag)` (--static for a static install), against PREFIX only, and runs them.
#   cmake -DLINKAGE=static|shared -DPREFIX=... -DWORK_DIR=... -DSOURCE_DIR=<tests/consumer>
#         [-DPKG_CONFIG=pkg-config] [common.cmake options] -P pkgconfig.cmake
# A shared consumer finds the libraries through LD_LIBRARY_PATH=PREFIX/LIBDIR (the plain
# pkg-config line sets no RUNPATH). Without pkg-config the test is skipped, or fails under CI.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
if(NOT DEFINED SOURCE_DIR)
    message(FATAL_ERROR "pkgconfig.cmake: -DSOURCE_DIR=... is required")
endif()
if(NOT PKG_CONFIG)
    find_program(PKG_CONFIG NAMES pkg-config pkgconf NO_CACHE)
endif()
if(NOT PKG_CONFIG)
    set(ci "$ENV{CI}")
    if(NOT ci STREQUAL "" AND NOT ci STREQUAL "false" AND NOT ci STREQUAL "0")
        fail("pkg-config not found (required under CI)")
    endif()
    message(STATUS "${consumer_tag}: SKIPPED: pkg-config not found")
    return()
endif()
if(NOT CXX_COMPILER)
    set(CXX_COMPILER c++)
endif()

file(GLOB_RECURSE pc ${PREFIX}/*/pkgconfig/ngxconf.pc)
if(NOT pc)
    fail("no ngxconf.pc under ${PREFIX}")
endif()
get_filename_component(pc_dir ${pc} DIRECTORY)
# Only this prefix's .pc files: PKG_CONFIG_LIBDIR replaces the system search path.
set(pc_env --unset=PKG_CONFIG_PATH PKG_CONFIG_LIBDIR=${pc_dir})
set(static_flag)
if(LINKAGE STREQUAL "static")
    set(static_flag --static)
endif()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
foreach(pair "consumer:main.cpp:ngxconf" "swag_consumer:swag_main.cpp:ngxconf-swag")
    string(REPLACE ":" ";" pair "${pair}")
    list(GET pair 0 program)
    list(GET pair 1 source)
    list(GET pair 2 package)
    step("pkg-config ${package}" ${CMAKE_COMMAND} -E env ${pc_env}
         ${PKG_CONFIG} ${static_flag} --cflags --libs ${package})
    separate_arguments(flags UNIX_COMMAND "${step_output}")
    step("compile ${program}" ${CXX_COMPILER} -std=c++20 ${consumer_sanitize_flags}
         ${SOURCE_DIR}/${source} ${flags} -o ${WORK_DIR}/${program})
    if(LINKAGE STREQUAL "shared")
        step("pkg-config --variable=libdir" ${CMAKE_COMMAND} -E env ${pc_env}
             ${PKG_CONFIG} --variable=libdir ${package})
        string(STRIP "${step_output}" libdir)
        set(run_env LD_LIBRARY_PATH=${libdir})
        expect_loaded_from_prefix(${WORK_DIR}/${program} ${run_env})
    else()
        set(run_env --unset=LD_LIBRARY_PATH)
        expect_no_shared_ngxconf(${WORK_DIR}/${program})
    endif()
    step("run the ${program}" ${CMAKE_COMMAND} -E env ${run_env} ${WORK_DIR}/${program})
    message(STATUS "${step_output}")
endforeach()
