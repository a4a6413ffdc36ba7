# The installed package as a user gets it, static and shared, used two ways:
#   installed_consumer_{static,shared}            tests/consumer through find_package(ngxconf)
#   installed_consumer_pkgconfig_{static,shared}  the same sources, `c++ ... $(pkg-config ...)`
# Each linkage is installed once, into a scratch prefix, by the fixture installed_prefix_*:
# this build tree for its own linkage; for the other one a second tree of the libraries
# alone (consumer-libs-LINKAGE/ in the build folder, kept between runs), as
# register_static.cmake does for the static ngxauth.
if(NGXCONF_INSTALL)
    get_target_property(_ngxconf_type ngxconf TYPE)
    if(_ngxconf_type STREQUAL "SHARED_LIBRARY")
        set(_ngxconf_linkage shared)
    else()
        set(_ngxconf_linkage static)
    endif()
    set(_consumer_common
        -DCONFIG=$<CONFIG> -DGENERATOR=${CMAKE_GENERATOR} -DCXX_COMPILER=${CMAKE_CXX_COMPILER}
        -DSANITIZE=${NGXCONF_SANITIZE})
    foreach(linkage static shared)
        set(work ${CMAKE_CURRENT_BINARY_DIR}/installed_${linkage})
        set(common -DLINKAGE=${linkage} -DPREFIX=${work}/prefix ${_consumer_common})
        if(linkage STREQUAL _ngxconf_linkage)
            set(tree -DBUILD_DIR=${PROJECT_BINARY_DIR})
            set(timeout 600)
        else()
            set(tree -DBUILD_DIR=${PROJECT_BINARY_DIR}/consumer-libs-${linkage}
                     -DPROJECT_DIR=${PROJECT_SOURCE_DIR})
            set(timeout 1800)
        endif()
        add_test(NAME installed_prefix_${linkage}
            COMMAND ${CMAKE_COMMAND} ${common} ${tree} -DWORK_DIR=${work} -DNM=${CMAKE_NM}
                    -P ${CMAKE_CURRENT_LIST_DIR}/consumer/install.cmake)
        set_tests_properties(installed_prefix_${linkage} PROPERTIES
            FIXTURES_SETUP ngxconf_installed_${linkage} LABELS install TIMEOUT ${timeout})

        add_test(NAME installed_consumer_${linkage}
            COMMAND ${CMAKE_COMMAND} ${common} -DWORK_DIR=${work}/cmake
                    -DSOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}/consumer
                    -P ${CMAKE_CURRENT_LIST_DIR}/consumer/run.cmake)
        add_test(NAME installed_consumer_pkgconfig_${linkage}
            COMMAND ${CMAKE_COMMAND} ${common} -DWORK_DIR=${work}/pkgconfig
                    -DSOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}/consumer
                    -P ${CMAKE_CURRENT_LIST_DIR}/consumer/pkgconfig.cmake)
        set_tests_properties(installed_consumer_${linkage} installed_consumer_pkgconfig_${linkage}
            PROPERTIES FIXTURES_REQUIRED ngxconf_installed_${linkage} LABELS install TIMEOUT 600)
        set_tests_properties(installed_consumer_pkgconfig_${linkage} PROPERTIES
            SKIP_REGULAR_EXPRESSION "SKIPPED: pkg-config not found")
    endforeach()
endif()
