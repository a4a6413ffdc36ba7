# The nginx oracle: a small reusable harness (nginx_oracle.hpp/.cpp) that asks the real
# `nginx -t` for the verdict on a configuration fragment, and the differential test over
# fixtures/nginx (nginx_oracle_test.cpp, tag [nginx], hidden from the default discovery).
add_library(ngxconf_nginx_oracle STATIC ${CMAKE_CURRENT_LIST_DIR}/nginx_oracle.cpp)
target_link_libraries(ngxconf_nginx_oracle PUBLIC ngxconf::ngxconf)
target_include_directories(ngxconf_nginx_oracle PUBLIC ${CMAKE_CURRENT_LIST_DIR})
ngxconf_warnings(ngxconf_nginx_oracle)
target_link_libraries(ngxconf_tests PRIVATE ngxconf_nginx_oracle)

# The harness finds nginx itself ($NGXCONF_NGINX, PATH, /usr/sbin/nginx). Without nginx the test
# fails under CI=true and is skipped (exit code 77) otherwise.
add_test(NAME nginx_oracle COMMAND ngxconf_tests "[nginx]")
set_tests_properties(nginx_oracle PROPERTIES
    SKIP_RETURN_CODE 77
    ENVIRONMENT "NGXCONF_SKIP_EXIT_CODE=77"
    LABELS nginx
    TIMEOUT 900)

# lua-nginx-module's buffer limits swept across their boundaries against the real nginx
# (lua_buffer_test.cpp, tag [lua_buffer]).
add_test(NAME lua_buffer_oracle COMMAND ngxconf_tests "[lua_buffer]")
set_tests_properties(lua_buffer_oracle PROPERTIES
    SKIP_RETURN_CODE 77
    ENVIRONMENT "NGXCONF_SKIP_EXIT_CODE=77"
    LABELS nginx
    TIMEOUT 900)
