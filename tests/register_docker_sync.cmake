# `ngxauth sync`'s labels and plan (tools/ngxauth/docker/labels.cpp, sync_plan.cpp): unit tests
# of their own executable, as those sources belong to the tool and not to the library. They
# sit in tests/docker/ so that ngxconf_tests' *_test.cpp glob leaves them out.
if(TARGET ngxauth_docker)
    add_executable(ngxauth_sync_tests
        ${CMAKE_CURRENT_SOURCE_DIR}/docker/sync_labels_test.cpp
        ${CMAKE_CURRENT_SOURCE_DIR}/docker/sync_plan_test.cpp)
    target_link_libraries(ngxauth_sync_tests PRIVATE ngxauth_docker Catch2::Catch2WithMain)
    target_include_directories(ngxauth_sync_tests PRIVATE ${PROJECT_SOURCE_DIR}/tools/ngxauth
                               ${CMAKE_CURRENT_SOURCE_DIR})
    target_compile_definitions(ngxauth_sync_tests PRIVATE
        NGXCONF_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/fixtures" NGXCONF_CORPUS_DIR="${NGXCONF_CORPUS_DIR}")
    ngxconf_warnings(ngxauth_sync_tests)
    catch_discover_tests(ngxauth_sync_tests TEST_PREFIX "sync_unit: " PROPERTIES LABELS "docker;unit")
endif()

# `ngxauth sync` against a private dockerd (tests/e2e/docker_sync_e2e.sh on the harness
# tests/e2e/docker_lib.sh): adds, changes, removes (app vs app2), bad labels refused with
# nothing written, a failed --validate rolled back, --dry-run, --watch across a daemon
# restart. Needs root, docker.io and busybox-static; skipped otherwise (77), unless CI=true.
# The static ngxauth has no Docker client (no libcurl): nothing to run there.
if(TARGET ngxauth AND NOT NGXCONF_STATIC_TOOLS)
    find_package(CURL)
endif()
if(TARGET ngxauth AND NOT NGXCONF_STATIC_TOOLS AND CURL_FOUND)
    add_test(NAME docker_sync_e2e
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e/docker_sync_e2e.sh $<TARGET_FILE:ngxauth>
                     ${PROJECT_SOURCE_DIR}/fixtures/swag)
    set_tests_properties(docker_sync_e2e PROPERTIES
        SKIP_RETURN_CODE 77
        LABELS "e2e;ngxauth;docker"
        TIMEOUT 300)
endif()
