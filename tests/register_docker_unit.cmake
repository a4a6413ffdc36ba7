# The Docker Engine client's parts that need no daemon (tests/docker/client_test.cpp):
# DOCKER_HOST's forms, the exec stream's demultiplexer, inspect JSON -> container. The test
# compiles the client's libcurl-dependent files without libcurl (NGXAUTH_HAVE_CURL unset),
# which also checks what the static build's client says.
if(TARGET ngxauth)
    find_package(nlohmann_json REQUIRED)
    find_package(fmt REQUIRED)
    set(_ngxauth_src ${PROJECT_SOURCE_DIR}/tools/ngxauth)
    # http.cpp and engine.cpp again, without libcurl (as the static build has them): the
    # archive's curl versions stay out, the rest of the client comes from it.
    add_executable(ngxauth_docker_tests ${CMAKE_CURRENT_SOURCE_DIR}/docker/client_test.cpp
        ${_ngxauth_src}/http.cpp ${_ngxauth_src}/docker/engine.cpp)
    target_link_libraries(ngxauth_docker_tests PRIVATE ngxauth_docker Catch2::Catch2WithMain)
    ngxconf_warnings(ngxauth_docker_tests)
    catch_discover_tests(ngxauth_docker_tests TEST_PREFIX "docker_unit: " PROPERTIES LABELS "docker;unit")
endif()
