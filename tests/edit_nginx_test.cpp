// The real nginx accepts what the edit API and the builder produce, and `nginx -T` shows the
// edited values. Tagged [nginx]: run by the nginx_oracle ctest.
#include <array>
#include <cstdio>
#include <memory>

#include "nginx_oracle.hpp"
#include "test_support.hpp"

using namespace ngxconf;

namespace {

// `nginx -T` of the oracle's last configuration.
std::string dump_config(const oracle::nginx_oracle& o) {
    const auto dir = o.work_dir().string();
    const std::string cmd = o.binary().string() + " -T -q -p '" + dir + "/' -c '" + dir +
                            "/main.conf' -e stderr 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buf{};
    while (const auto n = std::fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
    return out;
}

}  // namespace

TEST_CASE("nginx accepts inserted directives and awkward set_arg values", "[.][nginx][edit]") {
    std::string why;
    auto o = oracle::nginx_oracle::find({}, &why);
    if (!o) return test::missing_prerequisite("nginx: " + why);

    auto doc = parse("add_header X-A a;\r\nif ($host = \"x\") {\r\n\treturn 404;\r\n}\r\nset $v old;");
    auto header = find_first(doc.root(), "add_header");
    const std::vector<std::string> values = {"semi; colon", "quote\"d", "brace{x}", "#hash",
                                             "back\\slash", "it's", "tab\there", "${host}x"};
    std::vector<directive> added;
    for (std::size_t i = 0; i < values.size(); ++i) {
        added.push_back(insert_directive(header, insert_at::after, "add_header",
                                         {"X-Test-" + std::to_string(i), "v"}));
    }
    for (std::size_t i = 0; i < values.size(); ++i) set_arg(added[i], 1, values[i]);
    set_arg(find_first(doc.root(), "set"), 1, "new value; with { odd } bytes");
    insert_directive(find_first(doc.root(), "if").body(), insert_at::first_child, "add_header",
                     {"X-In-If", "1"});
    const auto text = to_string(doc);
    INFO(json_quote(text));

    const auto verdict = o->check(text, oracle::conf_context::location);
    INFO(oracle::describe(verdict));
    REQUIRE(verdict.ok);
    const auto dumped = dump_config(*o);
    CHECK(dumped.find("add_header X-Test-0 \"semi; colon\";") != std::string::npos);
    CHECK(dumped.find("add_header X-Test-1 quote\"d;") != std::string::npos);  // bare: '"' mid-word is plain
    CHECK(dumped.find("set $v \"new value; with { odd } bytes\";") != std::string::npos);
    CHECK(dumped.find("\tadd_header X-In-If 1;\r\n\treturn 404;") != std::string::npos);
}

TEST_CASE("nginx accepts a config_builder file", "[.][nginx][builder]") {
    std::string why;
    auto o = oracle::nginx_oracle::find({}, &why);
    if (!o) return test::missing_prerequisite("nginx: " + why);
    const auto doc = config_builder()
                         .comment("## Version 2026/11/28")
                         .open("server")
                         .directive("listen", {"127.0.0.1:18080"})
                         .directive("server_name", {"auth.*"})
                         .open("location", {"~", "(/authentik)?/api"})
                         .directive("set", {"$upstream_app", "authentik-server"})
                         .directive("proxy_pass", {"http://$upstream_app:9000"})
                         .close()
                         .close()
                         .build();
    const auto verdict = o->check(to_string(doc), oracle::conf_context::http);
    INFO(oracle::describe(verdict));
    REQUIRE(verdict.ok);
    CHECK(dump_config(*o).find("location ~ (/authentik)?/api {") != std::string::npos);
}
