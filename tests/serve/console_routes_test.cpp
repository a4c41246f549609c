// The console's routes on a real service: report folders by kind (finished and running), a
// report's JSON, paging through a growing seconds.jsonl, the monitoring history's per-interval
// samples, /v1/whoami, the redirect to /console/ and the static files with Chart.js.
#include <filesystem>
#include <fstream>

#include "core/time.h"
#include "serve_test_support.h"

namespace playsight::testing {
namespace {

class ConsoleRoutesTest : public ServeTest {
 protected:
  // reports/effect (finished), reports/site/lobby (finished audience, one level deeper),
  // reports/stream (running audience: seconds.jsonl only, its last line still being written),
  // reports/notes (neither).
  void write(const std::string& name, const std::string& contents) {
    std::filesystem::create_directories(std::filesystem::path(temp_.file(name)).parent_path());
    temp_.write(name, contents);
  }

  std::string make_reports() {
    write("reports/effect/effect.json", R"({"kind": "playsight.nudge_effects", "groups": []})");
    write("reports/site/lobby/summary.json", R"({"kind": "playsight.audience"})");
    write("reports/site/lobby/seconds.jsonl", "{\"second\":0,\"people\":1}\n");
    write("reports/stream/seconds.jsonl",
          "{\"second\":0,\"people\":2}\n{\"second\":1,\"people\":3}\n{\"second\":2,\"peo");
    write("reports/notes/readme.txt", "not a report");
    return temp_.file("reports");
  }

  nlohmann::json get(const std::string& path, int status = 200) {
    const auto reply = client().Get(path.c_str(), bearer(predict_key_));
    EXPECT_TRUE(reply);
    EXPECT_EQ(reply->status, status) << path << ": " << reply->body;
    return json_of(reply);
  }
};

TEST_F(ConsoleRoutesTest, ListsReportFoldersByKindAndServesTheirJson) {
  serve::ServiceOptions options = default_options();
  options.reports_folder = make_reports();
  start(options);
  const nlohmann::json listing = get("/v1/reports");
  EXPECT_TRUE(listing["configured"]);
  std::map<std::string, std::pair<std::string, std::string>> found;
  for (const auto& report : listing["reports"]) {
    found[report["id"]] = {report["kind"], report["status"]};
    const std::string modified = report["modified_at"];  // the files' time, written just now
    EXPECT_EQ(modified.substr(0, 4), utc_now_iso().substr(0, 4)) << modified;
  }
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"effect", {"playsight.nudge_effects", "complete"}},
      {"site~lobby", {"playsight.audience", "complete"}},
      {"stream", {"playsight.audience", "running"}}};
  EXPECT_EQ(found, expected);

  EXPECT_EQ(get("/v1/reports/effect")["data"]["kind"], "playsight.nudge_effects");
  EXPECT_EQ(get("/v1/reports/site~lobby")["report"]["file"], "summary.json");
  EXPECT_EQ(get("/v1/reports/stream", 409)["status"], 409);
  EXPECT_EQ(get("/v1/reports/notes", 404)["status"], 404);
  EXPECT_EQ(get("/v1/reports/..", 404)["status"], 404);
}

TEST_F(ConsoleRoutesTest, FollowsTheSecondsOfARunningAnalysis) {
  serve::ServiceOptions options = default_options();
  options.reports_folder = make_reports();
  start(options);
  nlohmann::json page = get("/v1/reports/stream/seconds");
  EXPECT_EQ(page["status"], "running");
  ASSERT_EQ(page["seconds"].size(), 2u);  // the half-written third line waits
  EXPECT_EQ(page["seconds"][1]["people"], 3);
  EXPECT_EQ(page["next"], 2);

  std::ofstream(temp_.file("reports/stream/seconds.jsonl"), std::ios::app)
      << "ple\":4}\n{\"second\":3,\"people\":5}\n";
  page = get("/v1/reports/stream/seconds?after=2");
  ASSERT_EQ(page["seconds"].size(), 2u);
  EXPECT_EQ(page["seconds"][0]["people"], 4);
  EXPECT_EQ(page["seconds"][1]["second"], 3);
  EXPECT_EQ(page["next"], 4);
  EXPECT_EQ(get("/v1/reports/stream/seconds?after=4")["seconds"].size(), 0u);
  EXPECT_EQ(get("/v1/reports/stream/seconds?after=x", 400)["status"], 400);
}

TEST_F(ConsoleRoutesTest, WithoutAReportsFolderSaysSo) {
  start();
  const nlohmann::json listing = get("/v1/reports");
  EXPECT_FALSE(listing["configured"]);
  EXPECT_TRUE(listing["reports"].empty());
  EXPECT_NE(get("/v1/reports/effect", 404)["error"].get<std::string>().find("--reports"),
            std::string::npos);
}

TEST_F(ConsoleRoutesTest, HistoryCountsRequestsErrorsAndDriftPerInterval) {
  serve::ServiceOptions options = default_options();
  options.monitoring_interval = std::chrono::milliseconds(300);
  options.models.reference_file = game_->features();
  start(options);
  const Table table = read_table_csv(game_->same_distribution_features());
  ASSERT_EQ(post(kPredictPath, players_body(table, 0, 50), predict_key_)->status, 200);
  ASSERT_EQ(post(kPredictPath, "not json", predict_key_)->status, 400);
  // The two requests land in one interval or two; count them over the samples.
  nlohmann::json history;
  int requests = 0, errors = 0;
  double p99_ms = 0;
  for (int i = 0; i < 50 && requests < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    history = get("/v1/monitoring/history");
    requests = errors = 0;
    for (const auto& sample : history["samples"])
      for (const auto& series : sample["series"])
        if (series["series"] == "spend/production") {
          requests += series["requests"].get<int>();
          errors += series["errors"].get<int>();
          p99_ms = std::max(p99_ms, series["p99_ms"].get<double>());
        }
  }
  EXPECT_DOUBLE_EQ(history["interval_seconds"], 0.3);
  EXPECT_EQ(requests, 2);
  EXPECT_EQ(errors, 1);
  EXPECT_GT(p99_ms, 0);
  const nlohmann::json& last = history["samples"].back();
  ASSERT_EQ(last["drift"].size(), 1u);
  EXPECT_EQ(last["drift"][0]["version"], 1);
  EXPECT_EQ(last["drift"][0]["players"], 50);
}

TEST_F(ConsoleRoutesTest, WhoamiNamesTheKeyAndRole) {
  start();
  EXPECT_EQ(get("/v1/whoami")["role"], "predict");
  const auto reply = client().Get("/v1/whoami", bearer(deploy_key_));
  EXPECT_EQ(json_of(reply)["name"], "deployer");
  EXPECT_EQ(json_of(reply)["role"], "deploy");
  EXPECT_EQ(client().Get("/v1/whoami")->status, 401);
}

TEST_F(ConsoleRoutesTest, ServesTheConsoleAndChartJs) {
  std::filesystem::create_directories(temp_.file("web"));
  temp_.write("web/index.html", "<!doctype html><title>console</title>");
  serve::ServiceOptions options = default_options();
  options.web_folder = temp_.file("web");
  start(options);
  const auto root = client().Get("/");
  EXPECT_EQ(root->status, 302);
  EXPECT_EQ(root->get_header_value("Location"), "/console/");
  const auto index = client().Get("/console/");
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("<title>console</title>"), std::string::npos);
  const auto chart = client().Get("/console/vendor/chart.umd.min.js");
  EXPECT_EQ(chart->status, 200);
  EXPECT_NE(chart->body.find("Chart.js"), std::string::npos);
  // The OpenAPI description lists the console's routes.
  const std::string openapi = client().Get("/openapi.json")->body;
  for (const char* path : {"/v1/reports/{id}/seconds", "/v1/monitoring/history", "/v1/whoami"})
    EXPECT_NE(openapi.find(path), std::string::npos) << path;
}

}  // namespace
}  // namespace playsight::testing
