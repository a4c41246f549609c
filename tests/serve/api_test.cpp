// The service over real HTTP on 127.0.0.1: predictions and the version they came from, every kind
// of bad request answered with a 4xx that names the fault, the roles of API keys, the Prometheus
// text, and the OpenAPI document listing every route the server answers.
#include <regex>
#include <set>

#include "serve_test_support.h"

namespace playsight::testing {
namespace {

using nlohmann::json;

class ServeApiTest : public ServeTest {
 protected:
  void SetUp() override {
    ServeTest::SetUp();
    if (HasFatalFailure()) return;
    features_ = read_table_csv(game_->features());
    start();
  }

  // The error message of a request that must fail with `status`.
  std::string error_of(const httplib::Result& result, int status) const {
    if (!result) return "(no answer)";
    EXPECT_EQ(result->status, status) << result->body;
    const json body = json::parse(result->body, nullptr, false);
    EXPECT_TRUE(body.is_object() && body.contains("error")) << result->body;
    return body.is_object() ? body.value("error", "") : "";
  }

  Table features_;
};

TEST_F(ServeApiTest, PredictsWithTheVersionBehindTheAliasAndSaysWhichInHeaders) {
  const auto result = post(kPredictPath, players_body(features_, 0, 5), predict_key_);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const json body = json_of(result);
  EXPECT_EQ(body["model"], "spend");
  EXPECT_EQ(body["version"], 1);
  EXPECT_EQ(body["model_spec"], "mse_model");
  EXPECT_EQ(result->get_header_value("X-Model-Version"), "1");
  EXPECT_EQ(result->get_header_value("X-Model-Content-Hash"), body["content_hash"]);
  ASSERT_EQ(body["predictions"].size(), 5u);
  EXPECT_EQ(body["predictions"][0]["player_id"], features_.keys[0]);
  for (const json& row : body["predictions"]) EXPECT_GE(row["topup_amount_next_30d"], 0.0);
}

TEST_F(ServeApiTest, BadRequestsGet4xxNamingTheFault) {
  std::string body = players_body(features_, 0, 2);
  EXPECT_NE(error_of(post(kPredictPath, R"({"players": [)", predict_key_), 400)
                .find("not valid JSON: parse error at line 1, column 14"),
            std::string::npos);
  EXPECT_NE(error_of(post(kPredictPath, R"({"rows": []})", predict_key_), 400).find("players"),
            std::string::npos);

  json unknown = json::parse(body);
  unknown["players"][1]["features"]["topup_amount_last_31d"] = 1;
  unknown["players"][0]["features"]["colour"] = 2;
  EXPECT_EQ(error_of(post(kPredictPath, unknown.dump(), predict_key_), 400),
            "unknown features colour, topup_amount_last_31d (the model's features: GET "
            "/v1/models/{name}/aliases/{alias} lists them)");

  json missing = json::parse(body);
  missing["players"][1]["features"].erase("topup_amount_last_30d");
  EXPECT_NE(error_of(post(kPredictPath, missing.dump(), predict_key_), 400)
                .find("players[1]: missing feature topup_amount_last_30d"),
            std::string::npos);

  json wrong_type = json::parse(body);
  wrong_type["players"][1]["features"]["topup_amount_last_30d"] = "12";
  EXPECT_EQ(
      error_of(post(kPredictPath, wrong_type.dump(), predict_key_), 400),
      "players[1].features.topup_amount_last_30d: expected a number or null, got string '\"12\"'");

  json bad_id = json::parse(body);
  bad_id["players"][0]["player_id"] = json::array();
  EXPECT_NE(error_of(post(kPredictPath, bad_id.dump(), predict_key_), 400)
                .find("players[0].player_id: expected a string or an integer, got array"),
            std::string::npos);

  // A null is a missing value, as an empty CSV field.
  json with_null = json::parse(body);
  with_null["players"][0]["features"]["topup_amount_last_30d"] = nullptr;
  EXPECT_EQ(post(kPredictPath, with_null.dump(), predict_key_)->status, 200);

  EXPECT_NE(error_of(post("/v1/models/spend/aliases/staging/predict", body, predict_key_), 404)
                .find("does not serve spend/staging (it serves spend/production)"),
            std::string::npos);
  EXPECT_NE(error_of(client().Get("/v2/nothing"), 404).find("no such endpoint"), std::string::npos);
  EXPECT_NE(error_of(client().Get("/v1/models/churn", bearer(predict_key_)), 404).find("churn"),
            std::string::npos);
}

TEST_F(ServeApiTest, BodiesOverTheLimitGet413) {
  stop();
  serve::ServiceOptions options = default_options();
  options.max_body_bytes = 64 * 1024;
  options.max_players = 50;
  start(options);
  const std::string big = players_body(features_, 0, 200);
  ASSERT_GT(big.size(), 64u * 1024);
  EXPECT_NE(error_of(post(kPredictPath, big, predict_key_), 413).find("over the limit of 65536"),
            std::string::npos);
  EXPECT_NE(error_of(post(kPredictPath, players_body(features_, 0, 51), predict_key_), 413)
                .find("more than 50 players in one request"),
            std::string::npos);
  // The service is still there.
  EXPECT_EQ(post(kPredictPath, players_body(features_, 0, 50), predict_key_)->status, 200);
}

TEST_F(ServeApiTest, KeysAndRoles) {
  const std::string body = players_body(features_, 0, 1);
  const std::string deploy = "/v1/models/spend/aliases/production/deploy";
  EXPECT_NE(error_of(client().Post(kPredictPath, body, "application/json"), 401).find("no API key"),
            std::string::npos);
  EXPECT_EQ(error_of(post(kPredictPath, body, "psk_not_a_key"), 401), "unknown API key");
  EXPECT_EQ(
      client().Post(kPredictPath, {{"X-API-Key", predict_key_}}, body, "application/json")->status,
      200);
  EXPECT_EQ(error_of(post(deploy, R"({"version": 2})", predict_key_), 403),
            "the key 'reader' has the role predict; POST "
            "/v1/models/{name}/aliases/{alias}/deploy needs the role deploy");
  EXPECT_EQ(error_of(client().Get("/v1/keys", bearer(deploy_key_)), 403),
            "the key 'deployer' has the role deploy; GET /v1/keys needs the role admin");

  const auto deployed = post(deploy, R"({"version": 2, "comment": "tweedie"})", deploy_key_);
  ASSERT_EQ(deployed->status, 200) << deployed->body;
  EXPECT_EQ(json_of(deployed)["served_version"], 2);
  EXPECT_EQ(json_of(post(kPredictPath, body, predict_key_))["version"], 2);
  const auto history = client().Get("/v1/models/spend/history", bearer(predict_key_));
  EXPECT_EQ(json_of(history)["history"].back()["actor"], "key:deployer");
  EXPECT_EQ(json_of(history)["history"].back()["comment"], "tweedie");

  const auto rolled = post("/v1/models/spend/aliases/production/rollback", "", admin_key_);
  ASSERT_EQ(rolled->status, 200) << rolled->body;
  EXPECT_EQ(json_of(rolled)["to_version"], 1);
  EXPECT_EQ(json_of(post(kPredictPath, body, predict_key_))["version"], 1);
  EXPECT_NE(error_of(post("/v1/models/spend/aliases/production/rollback", "", admin_key_), 422)
                .find("production"),
            std::string::npos);
  EXPECT_NE(error_of(post(deploy, R"({"version": 9})", deploy_key_), 422).find("no version 9"),
            std::string::npos);
  EXPECT_EQ(error_of(post(deploy, R"({"version": "2"})", deploy_key_), 400),
            "version: expected an integer >= 1");

  const json keys = json_of(client().Get("/v1/keys", bearer(admin_key_)));
  ASSERT_EQ(keys["keys"].size(), 3u);
  EXPECT_FALSE(keys.dump().find("psk_") != std::string::npos) << "a key leaked";
  // The keys file holds salted hashes only (api_keys_test.cpp checks their form).
  std::ifstream file(keys_file());
  const std::string stored((std::istreambuf_iterator<char>(file)), {});
  EXPECT_EQ(stored.find(predict_key_), std::string::npos);
  EXPECT_EQ(stored.find(registry::sha256_hex(predict_key_)), std::string::npos);
}

TEST_F(ServeApiTest, MetricsAreValidPrometheusText) {
  post(kPredictPath, players_body(features_, 0, 3), predict_key_);
  post(kPredictPath, "{", predict_key_);
  const auto result = client().Get("/metrics");
  ASSERT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = result->body;
  const std::string route = R"(route="/v1/models/{name}/aliases/{alias}/predict",method="POST")";
  EXPECT_NE(text.find("playsight_http_requests_total{" + route + ",code=\"200\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("playsight_http_requests_total{" + route + ",code=\"400\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("playsight_http_request_errors_total{" + route + ",class=\"client\"} 1\n"),
            std::string::npos);
  EXPECT_NE(
      text.find("playsight_http_request_duration_seconds_bucket{" + route + ",le=\"+Inf\"} 2\n"),
      std::string::npos);
  EXPECT_NE(text.find("playsight_http_request_duration_seconds_count{" + route + "} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("playsight_model_version{model=\"spend\",alias=\"production\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("playsight_predictions_total{model=\"spend\",alias=\"production\","
                      "version=\"1\"} 3\n"),
            std::string::npos);
  // Every line is a comment or `name{labels} value`, and every family has HELP and TYPE.
  const std::regex sample(R"([a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? [-+0-9.eInfNa]+)");
  std::set<std::string> typed;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# TYPE ")) typed.insert(line.substr(7, line.find(' ', 7) - 7));
    if (line.starts_with("#")) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
    std::string name = line.substr(0, line.find_first_of("{ "));
    for (const char* suffix : {"_bucket", "_sum", "_count"})
      if (!typed.count(name) && name.ends_with(suffix))
        name = name.substr(0, name.size() - std::string(suffix).size());
    EXPECT_TRUE(typed.count(name)) << "no # TYPE before " << line;
  }
  // Buckets are cumulative.
  const std::regex bucket(
      R"(playsight_http_request_duration_seconds_bucket\{route="/healthz".*\} (\d+))");
  double previous = 0;
  std::istringstream again(text);
  for (std::string line; std::getline(again, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, bucket)) continue;
    EXPECT_GE(std::stod(match[1]), previous);
    previous = std::stod(match[1]);
  }
}

TEST_F(ServeApiTest, OpenApiListsEveryRouteTheServerAnswers) {
  const auto result = client().Get("/openapi.json");
  ASSERT_EQ(result->status, 200);
  const json doc = json::parse(result->body);
  EXPECT_EQ(doc["openapi"], "3.0.3");
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"get", "/healthz"},
      {"get", "/readyz"},
      {"get", "/metrics"},
      {"get", "/openapi.json"},
      {"get", "/v1/models"},
      {"get", "/v1/models/{name}"},
      {"get", "/v1/models/{name}/history"},
      {"get", "/v1/models/{name}/aliases/{alias}"},
      {"post", "/v1/models/{name}/aliases/{alias}/predict"},
      {"post", "/v1/models/{name}/aliases/{alias}/deploy"},
      {"post", "/v1/models/{name}/aliases/{alias}/rollback"},
      {"get", "/v1/monitoring"},
      {"post", "/v1/monitoring/reset"},
      {"get", "/v1/keys"},
      {"get", "/"},
      {"get", "/v1/whoami"},
      {"get", "/v1/monitoring/history"},
      {"get", "/v1/reports"},
      {"get", "/v1/reports/{id}"},
      {"get", "/v1/reports/{id}/seconds"}};
  std::size_t operations = 0;
  for (const auto& [path, item] : doc["paths"].items()) operations += item.size();
  EXPECT_EQ(operations, expected.size());
  for (const auto& [method, path] : expected) {
    ASSERT_TRUE(doc["paths"].contains(path)) << path;
    ASSERT_TRUE(doc["paths"][path].contains(method)) << method << " " << path;
    // The server answers each one (not with "no such endpoint").
    std::string concrete = std::regex_replace(path, std::regex(R"(\{name\})"), "spend");
    concrete = std::regex_replace(concrete, std::regex(R"(\{alias\})"), "production");
    concrete = std::regex_replace(concrete, std::regex(R"(\{id\})"), "effect");
    const auto answer = method == "get" ? client().Get(concrete.c_str(), bearer(predict_key_))
                                        : post(concrete, "{}", predict_key_);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->body.find("no such endpoint"), std::string::npos) << concrete;
  }
  const json& predict = doc["paths"]["/v1/models/{name}/aliases/{alias}/predict"]["post"];
  EXPECT_EQ(predict["x-playsight-role"], "predict");
  EXPECT_TRUE(predict["responses"].contains("413"));
  EXPECT_TRUE(predict["responses"].contains("429"));
  EXPECT_EQ(predict["parameters"].size(), 2u);
}

TEST_F(ServeApiTest, ReadinessAndTheAliasEndpoint) {
  EXPECT_EQ(json_of(client().Get("/readyz"))["ready"], true);
  const auto alias = client().Get("/v1/models/spend/aliases/production", bearer(predict_key_));
  const json body = json_of(alias);
  EXPECT_EQ(body["version"], 1);
  EXPECT_EQ(body["features"].size(), spend::model_feature_columns(features_).size());
  const json models = json_of(client().Get("/v1/models", bearer(predict_key_)));
  EXPECT_EQ(models["models"][0]["aliases"]["production"], 1);
  EXPECT_EQ(models["models"][0]["versions"], 2);
}

TEST_F(ServeApiTest, AServiceWithoutKeysIsRefusedUnlessNoAuth) {
  serve::ServiceOptions options = default_options();
  options.keys_file = temp_.file("no-keys.json");
  EXPECT_NE(input_error_of([&] { serve::Service service(options); }).find("no API keys in"),
            std::string::npos);
}

TEST_F(ServeApiTest, AnAliasThatDoesNotExistYetLeavesTheServiceUnreadyNotDown) {
  stop();
  serve::ServiceOptions options = default_options();
  options.models.served = {{"spend", "production"}, {"spend", "canary"}};
  start(options);
  const auto ready = client().Get("/readyz");
  EXPECT_EQ(ready->status, 503);
  EXPECT_NE(ready->body.find("canary"), std::string::npos);
  EXPECT_EQ(error_of(post("/v1/models/spend/aliases/canary/predict", players_body(features_, 0, 1),
                          predict_key_),
                     503),
            "spend/canary has no version loaded yet (see GET /readyz)");
  // Deployed from elsewhere (the CLI): the watcher picks it up.
  registry::ModelRegistry registry({registry_url_, temp_.file("store")});
  registry.deploy("spend", 2, "canary", {"cli", ""});
  for (int i = 0; i < 100 && client().Get("/readyz")->status != 200; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(client().Get("/readyz")->status, 200);
  EXPECT_EQ(json_of(post("/v1/models/spend/aliases/canary/predict", players_body(features_, 0, 1),
                         predict_key_))["version"],
            2);
}

}  // namespace
}  // namespace playsight::testing
