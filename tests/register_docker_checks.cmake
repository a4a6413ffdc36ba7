# doctor's container checks and SWAG's container lookup (tools/ngxauth/docker/locate.cpp,
# checks.cpp): pure logic over hand-built containers, in a test executable of their own (the
# ngxauth sources are not part of ngxconf_tests).
set(_ngxauth_dir ${PROJECT_SOURCE_DIR}/tools/ngxauth)
if(TARGET ngxauth)
    add_executable(ngxauth_docker_checks_tests
        ${CMAKE_CURRENT_SOURCE_DIR}/docker/checks_test.cpp
        ${CMAKE_CURRENT_SOURCE_DIR}/docker/tree_upstreams_test.cpp)
    target_link_libraries(ngxauth_docker_checks_tests PRIVATE ngxauth_docker Catch2::Catch2WithMain)
    ngxconf_warnings(ngxauth_docker_checks_tests)
    catch_discover_tests(ngxauth_docker_checks_tests TEST_PREFIX "docker_checks: " PROPERTIES LABELS "docker;unit")
endif()

# doctor's container checks, --validate auto and switch-upstream --strict against a private
# dockerd (tests/e2e/docker_doctor_e2e.sh): needs root, dockerd, busybox-static, nginx.
if(TARGET ngxauth)
    add_test(NAME docker_doctor_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/docker_doctor_e2e.sh $<TARGET_FILE:ngxauth>
                     ${PROJECT_SOURCE_DIR}/fixtures/swag)
    set_tests_properties(docker_doctor_e2e PROPERTIES
        SKIP_RETURN_CODE 77
        LABELS "e2e;docker"
        TIMEOUT 180)
endif()
