// Access control walked over the whole route table (issue 18): every route the service declares
// (its OpenAPI document is written from the route table, jobs and console routes included) is
// tried with no key, an unknown key of the right shape and a key of each role. Open routes answer
// without a key; every other route answers 401 without a valid key, 403 naming the role it needs
// to a key whose role is too low, and neither to a key whose role suffices. Every mutating route
// (POST, DELETE) needs a key, and the registry's moves and the monitors' reset need more than
// the predict role.
#include <iostream>
#include <regex>

#include "serve_test_support.h"

namespace playsight::testing {
namespace {

using nlohmann::json;

class ServeAccessTest : public ServeTest {
 protected:
  void SetUp() override {
    ServeTest::SetUp();
    if (HasFatalFailure()) return;
    serve::ServiceOptions options = job_service_options();
    options.reports_folder = temp_.file("reports");
    std::filesystem::create_directories(options.reports_folder);
    // Every route is tried twice without a valid key, more than the per-address limit on such
    // requests lets through before it answers 429 (ServeHostileClients tests that limit).
    options.key_failures.failures = 0;
    start(options);
  }

  // The answer to METHOD PATH with these headers (an empty JSON object as the body of a POST).
  httplib::Result call(const std::string& method, const std::string& path,
                       const httplib::Headers& headers) const {
    if (method == "get") return client().Get(path.c_str(), headers);
    if (method == "delete") return client().Delete(path.c_str(), headers);
    return client().Post(path.c_str(), headers, "{}", "application/json");
  }
};

std::string concrete_path(const std::string& path_template) {
  std::string out = std::regex_replace(path_template, std::regex(R"(\{name\})"), "spend");
  out = std::regex_replace(out, std::regex(R"(\{alias\})"), "production");
  return std::regex_replace(out, std::regex(R"(\{id\})"), "1");
}

std::string error_text(const httplib::Result& result) {
  const json body = json::parse(result->body, nullptr, false);
  return body.is_object() ? body.value("error", "") : result->body;
}

TEST_F(ServeAccessTest, EveryRouteAnswersEachCallerAsItsDeclaredRoleSays) {
  const json doc = json::parse(client().Get("/openapi.json")->body);
  const std::vector<std::pair<std::string, access::Role>> callers = {
      {predict_key_, access::Role::predict},
      {deploy_key_, access::Role::deploy},
      {admin_key_, access::Role::admin}};
  // Of the right shape (psk_ and 48 hex digits), but never issued.
  const std::string unknown_key = "psk_" + std::string(48, 'a');
  std::size_t routes = 0, requests = 0, mutating = 0;
  for (const auto& [path_template, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      ++routes;
      const std::string path = concrete_path(path_template);
      const std::string what = method + " " + path_template;
      const bool mutates = method == "post" || method == "delete";
      mutating += mutates ? 1 : 0;
      if (!operation.contains("x-playsight-role")) {
        EXPECT_FALSE(mutates) << what << " changes state but needs no key";
        const auto answer = call(method, path, {});
        ++requests;
        ASSERT_TRUE(answer) << what;
        EXPECT_NE(answer->status, 401) << what;
        EXPECT_NE(answer->status, 403) << what;
        continue;
      }
      const std::string needed = operation["x-playsight-role"];
      const auto without = call(method, path, {});
      const auto unknown = call(method, path, bearer(unknown_key));
      requests += 2;
      ASSERT_TRUE(without && unknown) << what;
      EXPECT_EQ(without->status, 401) << what;
      EXPECT_NE(error_text(without).find("no API key"), std::string::npos) << what;
      EXPECT_EQ(unknown->status, 401) << what;
      EXPECT_EQ(error_text(unknown), "unknown API key") << what;
      for (const auto& [key, role] : callers) {
        const auto answer = call(method, path, bearer(key));
        ++requests;
        ASSERT_TRUE(answer) << what;
        const bool allowed = access::allows(role, access::parse_role(needed));
        if (allowed) {
          EXPECT_NE(answer->status, 401) << what << " as " << access::role_name(role);
          EXPECT_NE(answer->status, 403)
              << what << " as " << access::role_name(role) << ": " << answer->body;
        } else {
          EXPECT_EQ(answer->status, 403) << what << " as " << access::role_name(role);
          EXPECT_NE(error_text(answer).find("needs the role " + needed), std::string::npos)
              << what << ": " << answer->body;
        }
      }
    }
  }
  // The registry's moves and the reset of the monitors are not for prediction keys.
  EXPECT_EQ(doc["paths"]["/v1/models/{name}/aliases/{alias}/deploy"]["post"]["x-playsight-role"],
            "deploy");
  EXPECT_EQ(doc["paths"]["/v1/models/{name}/aliases/{alias}/rollback"]["post"]["x-playsight-role"],
            "deploy");
  EXPECT_EQ(doc["paths"]["/v1/monitoring/reset"]["post"]["x-playsight-role"], "admin");
  EXPECT_EQ(doc["paths"]["/v1/keys"]["get"]["x-playsight-role"], "admin");
  // The jobs' routes are part of the walk.
  EXPECT_TRUE(doc["paths"].contains("/v1/jobs"));
  EXPECT_GE(routes, 25u);
  std::cout << "access: " << routes << " routes (" << mutating << " mutating), " << requests
            << " requests, each answered as its role says\n";
}

}  // namespace
}  // namespace playsight::testing
