#pragma once
// A running container that asks for a proxy-conf (label swag=enable) plus `labels`, as the
// Engine's list and inspect would give it, for the sync tests.
#include <map>
#include <string>

#include "docker/model.hpp"

namespace test {

inline ngxauth::docker::container swag_enabled(std::string name,
                                               std::map<std::string, std::string> labels = {}) {
    ngxauth::docker::container c;
    c.id = name + "0123456789abcdef";
    c.name = std::move(name);
    c.running = true;
    c.state = "running";
    labels.emplace("swag", "enable");
    c.labels = std::move(labels);
    return c;
}

}  // namespace test
