#pragma once
// A client of Authentik's REST API (/api/v3/, its OpenAPI schema.yml): JSON in and out over
// ngxauth::http, paginated lists followed, every failure an api_error that names the fix.
// It counts its writes (POST, PATCH, PUT, DELETE) so a command can say it made none.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connection.hpp"

namespace ngxauth::authentik {

using json = nlohmann::json;

class client {
public:
    explicit client(connection c);

    // The server's version ("2025.2.1"), read once (GET /api/v3/admin/version/). A 404 there
    // means the URL is not Authentik's.
    [[nodiscard]] const std::string& version();
    // GET PATH (under the base URL, e.g. "/api/v3/outposts/instances/UUID/").
    [[nodiscard]] json get(std::string_view path);
    // GET PATH; nullopt when the object does not exist (404).
    [[nodiscard]] std::optional<json> get_if(std::string_view path);
    // Every result of a list endpoint, following its pagination.
    [[nodiscard]] std::vector<json> list(std::string_view path);
    // POST, PATCH or PUT with a JSON body; the object the API returns.
    json send(std::string_view method, std::string_view path, const json& body);
    // DELETE PATH; an object already gone counts as deleted.
    void remove(std::string_view path);

    [[nodiscard]] int writes() const noexcept { return writes_; }
    [[nodiscard]] const connection& where() const noexcept { return conn_; }

private:
    // The JSON answer; nullopt for a 404 when `missing_ok` (and for DELETE, always).
    std::optional<json> call(std::string_view method, std::string_view path, const json* body,
                             bool missing_ok = false);
    connection conn_;
    std::string version_;
    int writes_ = 0;
};

// `text` percent-encoded for a query value.
[[nodiscard]] std::string query_value(std::string_view text);

// Whether version `v` ("2024.10.2", "2025.2.1-rc1") is at least YEAR.MONTH.
[[nodiscard]] bool version_at_least(std::string_view v, int year, int month);

}  // namespace ngxauth::authentik
