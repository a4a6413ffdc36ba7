# `ngxauth sync`'s labels and plan (tools/ngxauth/docker/labels.cpp, sync_plan.cpp): unit tests
# of their own executable, as those sources belong to the tool and not to the library. They
# sit in tests/docker/ so that ngxconf_tests' *_test.cpp glob leaves them out.
if(TARGET ngxconf::swag)
    add_executable(ngxauth_sync_tests
        ${CMAKE_CURRENT_SOURCE_DIR}/docker/sync_labels_test.cpp
        ${CMAKE_CURRENT_SOURCE_DIR}/docker/sync_plan_test.cpp
        ${PROJECT_SOURCE_DIR}/tools/ngxauth/docker/labels.cpp
        ${PROJECT_SOURCE_DIR}/tools/ngxauth/docker/sync_plan.cpp)
    target_link_libraries(ngxauth_sync_tests PRIVATE ngxconf::swag ngxconf::ngxconf
                          Catch2::Catch2WithMain)
    target_include_directories(ngxauth_sync_tests PRIVATE ${PROJECT_SOURCE_DIR}/tools/ngxauth
                               ${CMAKE_CURRENT_SOURCE_DIR})
    target_compile_definitions(ngxauth_sync_tests PRIVATE
        NGXCONF_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/fixtures" NGXCONF_CORPUS_DIR="${NGXCONF_CORPUS_DIR}")
    ngxconf_warnings(ngxauth_sync_tests)
    catch_discover_tests(ngxauth_sync_tests TEST_PREFIX "sync: " PROPERTIES LABELS "docker-unit")
endif()
