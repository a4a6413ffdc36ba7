#pragma once
// A failure of the Authentik half: a stable code (authentik.*), a message that names the fix,
// and the exit code ngxauth ends with (6 for the API; 3 for a refusal such as a provider that
// differs, as for the SWAG tree's refusals).
#include <stdexcept>
#include <string>
#include <vector>

#include "ngxconf/diagnostic.hpp"

namespace ngxauth::authentik {

class api_error : public std::runtime_error {
public:
    api_error(ngxconf::diag_code code, const std::string& message,
              std::vector<std::string> hints = {}, int exit_code = 6)
        : std::runtime_error(message), code_(code), hints_(std::move(hints)), exit_(exit_code) {}
    [[nodiscard]] ngxconf::diag_code code() const noexcept { return code_; }
    [[nodiscard]] const std::vector<std::string>& hints() const noexcept { return hints_; }
    [[nodiscard]] int exit_code() const noexcept { return exit_; }

private:
    ngxconf::diag_code code_;
    std::vector<std::string> hints_;
    int exit_;
};

}  // namespace ngxauth::authentik
