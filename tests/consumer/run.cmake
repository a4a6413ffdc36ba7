# ctest `installed_consumer`: installs the build into a scratch prefix, then configures, builds
# and runs tests/consumer against that prefix only.
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DSOURCE_DIR=... [-DCONFIG=Release]
#         [-DGENERATOR=Ninja] [-DCXX_COMPILER=...] [-DSANITIZE=ON] -P run.cmake
foreach(var BUILD_DIR WORK_DIR SOURCE_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run.cmake: -D${var}=... is required")
    endif()
endforeach()
if(NOT CONFIG)
    set(CONFIG Release)
endif()

function(step what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "installed_consumer: ${what} failed (${rc}):\n${out}")
    endif()
    message(STATUS "installed_consumer: ${what}: ok")
    set(step_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})

step("install to ${prefix}" ${CMAKE_COMMAND} --install ${BUILD_DIR} --config ${CONFIG} --prefix ${prefix})

# The export must not leak the private, header-only PEGTL dependency.
file(GLOB_RECURSE exported ${prefix}/*/cmake/ngxconf/*.cmake)
if(NOT exported)
    message(FATAL_ERROR "installed_consumer: no ngxconf package files under ${prefix}")
endif()
foreach(f ${exported})
    file(READ ${f} content)
    if(content MATCHES "pegtl")
        message(FATAL_ERROR "installed_consumer: ${f} mentions PEGTL")
    endif()
endforeach()

set(configure_args -S ${SOURCE_DIR} -B ${WORK_DIR}/build -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_BUILD_TYPE=${CONFIG})
if(GENERATOR)
    list(APPEND configure_args -G ${GENERATOR})
endif()
if(CXX_COMPILER)
    list(APPEND configure_args -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(SANITIZE)
    # A sanitized static library needs the sanitizer runtime in the consumer's link too.
    list(APPEND configure_args "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined"
         "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
step("configure the consumer" ${CMAKE_COMMAND} ${configure_args})
step("build the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build --config ${CONFIG})

find_program(consumer consumer PATHS ${WORK_DIR}/build ${WORK_DIR}/build/${CONFIG} NO_DEFAULT_PATH)
if(NOT consumer)
    message(FATAL_ERROR "installed_consumer: no consumer executable in ${WORK_DIR}/build")
endif()
step("run the consumer" ${consumer})
find_program(swag_consumer swag_consumer PATHS ${WORK_DIR}/build ${WORK_DIR}/build/${CONFIG}
             NO_DEFAULT_PATH)
if(NOT swag_consumer)
    message(FATAL_ERROR "installed_consumer: no swag_consumer executable in ${WORK_DIR}/build")
endif()
step("run the swag consumer" ${swag_consumer})
message(STATUS "${step_output}")
