# Start the long tests first. On a clean clone ctest knows no past timings and would start a
# 400-second test among the last, leaving one core idle while it runs alone; COST (roughly the
# seconds a Release run takes on two cores) orders them longest first. Only the order changes.
set(NGXCONF_TEST_COSTS
    ngxauth_static 400 directive_corpus 225 ngxauth_e2e 200 authentik_e2e 155
    installed_prefix_shared 135 nginx_oracle 100
    served_damaged_e2e 80 served_corpus_e2e 60 docker_doctor_e2e 55 docker_sync_e2e 50
    docker_engine_e2e 50 corpus_roundtrip 40 ngxauth_txn_e2e 30 hostile 30)
while(NGXCONF_TEST_COSTS)
    list(POP_FRONT NGXCONF_TEST_COSTS name cost)
    if(TEST ${name})
        set_tests_properties(${name} PROPERTIES COST ${cost})
    endif()
endwhile()
