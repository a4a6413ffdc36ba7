# ctest `installed_consumer_{static,shared}`: configures, builds and runs tests/consumer (a
# project using find_package(ngxconf) + ngxconf::ngxconf and ngxconf::swag) against the
# install in PREFIX only (installed_prefix_* put it there).
#   cmake -DLINKAGE=static|shared -DPREFIX=... -DWORK_DIR=... -DSOURCE_DIR=<tests/consumer>
#         [common.cmake options] -P run.cmake
# A shared consumer finds the libraries through the RUNPATH CMake gives a program linked to
# libraries outside its build tree (PREFIX/lib); LD_LIBRARY_PATH is not set.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
if(NOT DEFINED SOURCE_DIR)
    message(FATAL_ERROR "run.cmake: -DSOURCE_DIR=... is required")
endif()

file(REMOVE_RECURSE ${WORK_DIR})
set(configure_args -S ${SOURCE_DIR} -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${PREFIX}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_BUILD_TYPE=${CONFIG})
if(GENERATOR)
    list(APPEND configure_args -G ${GENERATOR})
endif()
if(CXX_COMPILER)
    list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(consumer_sanitize_flags)
    list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${consumer_sanitize_flags}"
         "-DCMAKE_EXE_LINKER_FLAGS=${consumer_sanitize_flags}")
endif()
step("configure the consumer" ${CMAKE_COMMAND} ${configure_args})
step("build the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build --config ${CONFIG})

foreach(program consumer swag_consumer)
    find_program(${program}_path ${program} PATHS ${WORK_DIR}/build ${WORK_DIR}/build/${CONFIG}
                 NO_DEFAULT_PATH NO_CACHE)
    if(NOT ${program}_path)
        fail("no ${program} executable in ${WORK_DIR}/build")
    endif()
    if(LINKAGE STREQUAL "shared")
        expect_loaded_from_prefix(${${program}_path} --unset=LD_LIBRARY_PATH)
    else()
        expect_no_shared_ngxconf(${${program}_path})
    endif()
    step("run the ${program}" ${CMAKE_COMMAND} -E env --unset=LD_LIBRARY_PATH ${${program}_path})
    message(STATUS "${step_output}")
endforeach()
