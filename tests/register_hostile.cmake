# Hostile input (tests/hostile_test.cpp, tag [hostile], hidden from the default discovery):
# 100 MB files, 10 MB lines, a million nested blocks (every tree walker, on an 8 MiB stack),
# NUL bytes, FIFOs, 10 000-file include globs. Each case runs in a forked child under
# RLIMIT_AS/RLIMIT_CPU, which are the pass/fail; the figures (input size, CPU time, peak RSS)
# are printed.
add_test(NAME hostile COMMAND ngxconf_tests "[hostile]" --durations yes)
set_tests_properties(hostile PROPERTIES
    LABELS hostile
    # A backstop only: the per-case CPU limits decide. Generating the inputs writes ~200 MB.
    TIMEOUT 900)
