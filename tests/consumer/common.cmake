# Shared by the installed-consumer scripts (install.cmake, run.cmake, pkgconfig.cmake).
# Every script takes -DLINKAGE=static|shared, -DPREFIX=<install prefix>, -DWORK_DIR=<scratch>
# and optionally -DCONFIG, -DGENERATOR, -DCXX_COMPILER, -DSANITIZE.
foreach(var LINKAGE PREFIX WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "${CMAKE_SCRIPT_MODE_FILE}: -D${var}=... is required")
    endif()
endforeach()
if(NOT LINKAGE MATCHES "^(static|shared)$")
    message(FATAL_ERROR "LINKAGE must be static or shared, not '${LINKAGE}'")
endif()
if(NOT CONFIG)
    set(CONFIG Release)
endif()
get_filename_component(_consumer_script ${CMAKE_SCRIPT_MODE_FILE} NAME_WE)
set(consumer_tag "installed_consumer[${_consumer_script} ${LINKAGE}]")

# Runs a command; any failure ends the test with its output. Its output is left in
# step_output.
function(step what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${consumer_tag}: ${what} failed (${rc}):\n${out}")
    endif()
    message(STATUS "${consumer_tag}: ${what}: ok")
    set(step_output "${out}" PARENT_SCOPE)
endfunction()

function(fail what)
    message(FATAL_ERROR "${consumer_tag}: ${what}")
endfunction()

# A sanitized library needs the sanitizer runtime in the consumer's link too.
set(consumer_sanitize_flags)
if(SANITIZE)
    set(consumer_sanitize_flags -fsanitize=address,undefined)
endif()

# The shared libraries a program loads must be those of PREFIX: `ldd` names where each
# libngxconf*.so comes from. Extra arguments go before ldd (an environment for `cmake -E env`).
function(expect_loaded_from_prefix program)
    step("ldd ${program}" ${CMAKE_COMMAND} -E env ${ARGN} ldd ${program})
    string(REGEX MATCHALL "libngxconf[a-z_]*\\.so[.0-9]* => [^ ]+" loaded "${step_output}")
    if(NOT loaded)
        fail("${program} does not load libngxconf.so:\n${step_output}")
    endif()
    file(REAL_PATH ${PREFIX} real_prefix)
    foreach(line ${loaded})
        string(REGEX REPLACE ".* => " "" path "${line}")
        file(REAL_PATH ${path} real_path)
        string(FIND "${real_path}" "${real_prefix}/" at)
        if(NOT at EQUAL 0)
            fail("${program} loads ${path}, not the copy in ${PREFIX}")
        endif()
    endforeach()
endfunction()

# A program linked against a static install loads no libngxconf*.so at all.
function(expect_no_shared_ngxconf program)
    step("ldd ${program}" ldd ${program})
    if(step_output MATCHES "libngxconf")
        fail("${program} loads a shared libngxconf:\n${step_output}")
    endif()
endfunction()
