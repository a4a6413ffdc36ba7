# ctest `installed_consumer`: `cmake --install` this build into a scratch prefix, then build
# and run tests/consumer (find_package(ngxconf) + ngxconf::ngxconf) against it.
if(NGXCONF_INSTALL)
    add_test(NAME installed_consumer
        COMMAND ${CMAKE_COMMAND}
            -DBUILD_DIR=${PROJECT_BINARY_DIR}
            -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/installed_consumer
            -DSOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}/consumer
            -DCONFIG=$<CONFIG>
            -DGENERATOR=${CMAKE_GENERATOR}
            -DCXX_COMPILER=${CMAKE_CXX_COMPILER}
            -DSANITIZE=${NGXCONF_SANITIZE}
            -P ${CMAKE_CURRENT_LIST_DIR}/consumer/run.cmake)
    set_tests_properties(installed_consumer PROPERTIES LABELS install TIMEOUT 600)
endif()
