# The Docker Engine client's parts that need no daemon (tests/docker/client_test.cpp):
# DOCKER_HOST's forms, the exec stream's demultiplexer, inspect JSON -> container. ngxauth's
# sources are no library, so the client's are compiled into the test's own executable, without
# libcurl (NGXAUTH_HAVE_CURL unset), which also checks what the static build's client says.
if(TARGET ngxauth)
    find_package(nlohmann_json REQUIRED)
    find_package(fmt REQUIRED)
    set(_ngxauth_src ${PROJECT_SOURCE_DIR}/tools/ngxauth)
    add_executable(ngxauth_docker_tests ${CMAKE_CURRENT_SOURCE_DIR}/docker/client_test.cpp
        ${_ngxauth_src}/http.cpp ${_ngxauth_src}/docker/api.cpp
        ${_ngxauth_src}/docker/endpoint.cpp ${_ngxauth_src}/docker/engine.cpp
        ${_ngxauth_src}/docker/events.cpp ${_ngxauth_src}/docker/exec.cpp
        ${_ngxauth_src}/docker/inspect.cpp ${_ngxauth_src}/docker/model.cpp
        ${_ngxauth_src}/docker/stream.cpp)
    target_include_directories(ngxauth_docker_tests PRIVATE ${_ngxauth_src})
    target_link_libraries(ngxauth_docker_tests PRIVATE ngxconf::ngxconf Catch2::Catch2WithMain
                          nlohmann_json::nlohmann_json)
    if(NGXCONF_STATIC_TOOLS)
        target_link_libraries(ngxauth_docker_tests PRIVATE fmt::fmt-header-only)
    else()
        target_link_libraries(ngxauth_docker_tests PRIVATE fmt::fmt)
    endif()
    ngxconf_warnings(ngxauth_docker_tests)
    catch_discover_tests(ngxauth_docker_tests TEST_PREFIX "docker_unit: " PROPERTIES LABELS "docker;unit")
endif()
