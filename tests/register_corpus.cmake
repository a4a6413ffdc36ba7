# The corpus round-trip: every real-world file below NGXCONF_CORPUS_DIR (or $NGXCONF_CORPUS)
# parses and prints back byte for byte. Its test case is tagged [corpus] and left out of the
# default discovery; without the corpus it exits 77 (skipped), or fails when CI=true.
add_test(NAME corpus_roundtrip COMMAND ngxconf_tests "[corpus]")
set_tests_properties(corpus_roundtrip PROPERTIES
    SKIP_RETURN_CODE 77
    LABELS corpus
    TIMEOUT 600)
