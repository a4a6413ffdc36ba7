#pragma once
#include <string>
#include <string_view>

namespace ngxconf::detail {
void append_json_string(std::string& out, std::string_view bytes);
}
