# The Docker Engine client against a real, private dockerd (tests/e2e/docker_engine_e2e.sh,
# its harness tests/e2e/docker_lib.sh): the negotiated API version, containers on two
# networks with their addresses and names as `docker inspect` has them, DOCKER_HOST, tcp://,
# exec and the event stream (through ngxauth_docker_probe), and the failures (socket missing,
# permission denied, timeout, API too old) with exit 7 and their codes. Needs root, docker.io
# and busybox-static; skipped otherwise (77), unless CI=true. The static ngxauth has no
# Docker client (no libcurl): ngxauth_docker_tests checks what it says instead.
if(TARGET ngxauth AND NOT NGXCONF_STATIC_TOOLS)
    find_package(CURL)
    if(CURL_FOUND)
        find_package(nlohmann_json REQUIRED)
        find_package(fmt REQUIRED)
        set(_ngxauth_src ${PROJECT_SOURCE_DIR}/tools/ngxauth)
        add_executable(ngxauth_docker_probe ${CMAKE_CURRENT_SOURCE_DIR}/docker/engine_probe.cpp)
        target_link_libraries(ngxauth_docker_probe PRIVATE ngxauth_docker)
        ngxconf_warnings(ngxauth_docker_probe)
        set(_docker_probe $<TARGET_FILE:ngxauth_docker_probe>)
    else()
        set(_docker_probe "")
    endif()
    add_test(NAME docker_engine_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/docker_engine_e2e.sh
                     $<TARGET_FILE:ngxauth> "${_docker_probe}")
    set_tests_properties(docker_engine_e2e PROPERTIES
        SKIP_RETURN_CODE 77
        LABELS "e2e;ngxauth;docker"
        TIMEOUT 300)
endif()
