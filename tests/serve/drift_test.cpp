// Drift monitoring in the whole service (the population stability index by hand is in
// tests/monitoring/drift_test.cpp): predictions for players from the training distribution
// (another seed of the same generator) leave the drift flag down; players from a shifted generator
// raise it, in the API and in /metrics.
#include "serve_test_support.h"

namespace playsight::testing {
namespace {

using nlohmann::json;

class ServeDriftTest : public ServeTest {
 protected:
  void SetUp() override {
    ServeTest::SetUp();
    if (HasFatalFailure()) return;
    serve::ServiceOptions options = default_options();
    options.models.reference_file = game_->features();
    start(options);
  }

  // Posts every player of the table, 1,000 per request; returns /v1/monitoring's entry.
  json predict_all_and_monitor(const std::string& features_file) {
    const Table table = read_table_csv(features_file);
    for (std::size_t begin = 0; begin < table.rows(); begin += 1000) {
      const auto result = post(kPredictPath, players_body(table, begin, 1000), predict_key_);
      EXPECT_EQ(result->status, 200) << result->body;
    }
    return json_of(client().Get("/v1/monitoring", bearer(predict_key_)))["models"][0];
  }

  static double worst_feature_psi(const json& report) {
    double worst = 0;
    for (const json& feature : report["features"])
      worst = std::max(worst, feature["psi"].get<double>());
    return worst;
  }
};

TEST_F(ServeDriftTest, TheTrainingDistributionRaisesNoFlagAShiftedGeneratorDoes) {
  const json before = json_of(client().Get("/v1/monitoring", bearer(predict_key_)))["models"][0];
  EXPECT_EQ(before["status"], "insufficient_data");
  EXPECT_EQ(before["drift"], false);

  const json same = predict_all_and_monitor(game_->same_distribution_features());
  std::printf("same distribution: status %s, prediction PSI %.4f, worst feature PSI %.4f\n",
              same["status"].get<std::string>().c_str(), same["prediction"]["psi"].get<double>(),
              worst_feature_psi(same));
  EXPECT_EQ(same["rows"], 20000);
  EXPECT_EQ(same["drift"], false) << same.dump(1);
  EXPECT_EQ(same["status"], "ok") << same.dump(1);
  EXPECT_LT(same["prediction"]["psi"].get<double>(), 0.1);
  EXPECT_EQ(same["thresholds"]["drift"], 0.25);

  // Start counting afresh (admin), then the shifted players.
  ASSERT_EQ(post("/v1/monitoring/reset", "", admin_key_)->status, 200);
  const json shifted = predict_all_and_monitor(game_->shifted_features());
  std::printf("shifted generator: status %s, prediction PSI %.4f, worst feature PSI %.4f\n",
              shifted["status"].get<std::string>().c_str(),
              shifted["prediction"]["psi"].get<double>(), worst_feature_psi(shifted));
  EXPECT_EQ(shifted["drift"], true) << shifted.dump(1);
  EXPECT_EQ(shifted["status"], "drift");
  EXPECT_GE(worst_feature_psi(shifted), 0.25);

  const std::string metrics = client().Get("/metrics")->body;
  EXPECT_NE(metrics.find("playsight_drift_flag{model=\"spend\",alias=\"production\"} 1\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("playsight_drift_feature_psi{model=\"spend\",alias=\"production\","
                         "feature=\"topup_amount_last_30d\"}"),
            std::string::npos);
  EXPECT_NE(metrics.find("playsight_drift_prediction_psi{model=\"spend\",alias=\"production\"}"),
            std::string::npos);
}

}  // namespace
}  // namespace playsight::testing
