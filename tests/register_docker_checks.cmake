# doctor's container checks and SWAG's container lookup (tools/ngxauth/docker/locate.cpp,
# checks.cpp): pure logic over hand-built containers, in a test executable of their own (the
# ngxauth sources are not part of ngxconf_tests).
set(_ngxauth_dir ${PROJECT_SOURCE_DIR}/tools/ngxauth)
if(TARGET ngxauth AND EXISTS ${_ngxauth_dir}/docker/model.cpp)
    add_executable(ngxauth_docker_checks_tests
        ${CMAKE_CURRENT_SOURCE_DIR}/docker/checks_test.cpp
        ${_ngxauth_dir}/docker/locate.cpp ${_ngxauth_dir}/docker/checks.cpp
        ${_ngxauth_dir}/docker/trusted.cpp ${_ngxauth_dir}/docker/model.cpp)
    target_include_directories(ngxauth_docker_checks_tests PRIVATE ${_ngxauth_dir})
    target_link_libraries(ngxauth_docker_checks_tests PRIVATE ngxconf::ngxconf Catch2::Catch2WithMain)
    ngxconf_warnings(ngxauth_docker_checks_tests)
    catch_discover_tests(ngxauth_docker_checks_tests TEST_PREFIX "docker_checks:")
endif()
