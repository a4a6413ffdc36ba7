#include "test_support.hpp"

TEST_CASE("a SWAG-shaped server block prints back byte for byte", "[smoke]") {
    test::round_trips("server {\n    listen 443 ssl;\n#    listen 443 quic;\n}\n");
}
