// Drift monitoring: the population stability index by hand, then the whole service: predictions
// for players from the training distribution (another seed of the same generator) leave the drift
// flag down; players from a shifted generator raise it, in the API and in /metrics.
#include "serve/monitoring.h"
#include "serve_test_support.h"

namespace playsight::testing {
namespace {

using nlohmann::json;

TEST(PopulationStabilityIndex, MatchesTheFormulaByHand) {
  const std::vector<double> reference = {0.5, 0.3, 0.2, 0.0};
  const std::vector<std::uint64_t> counts = {30, 30, 40, 0};
  const double expected = (0.3 - 0.5) * std::log(0.3 / 0.5) + (0.3 - 0.3) * std::log(1.0) +
                          (0.4 - 0.2) * std::log(0.4 / 0.2);
  EXPECT_NEAR(serve::population_stability_index(reference, counts), expected, 1e-12);
  // The same distribution: 0.
  EXPECT_NEAR(serve::population_stability_index(reference, std::vector<std::uint64_t>{5, 3, 2, 0}),
              0, 1e-12);
  // An empty reference bin that fills counts as share 0.0001, not infinity.
  const double filled = serve::population_stability_index(std::vector<double>{1.0, 0.0},
                                                          std::vector<std::uint64_t>{50, 50});
  EXPECT_NEAR(filled, (0.5 - 1) * std::log(0.5) + (0.5 - 1e-4) * std::log(0.5 / 1e-4), 1e-12);
}

TEST(PopulationStabilityIndex, BinsAreCutAtTheReferenceDecilesWithTiesMerged) {
  // 60 % zeros, then 1..40: the zeros share one bin "<= 0".
  std::vector<double> values(60, 0.0);
  for (int i = 1; i <= 40; ++i) values.push_back(i);
  values.push_back(std::nan(""));
  const serve::ReferenceBins bins = serve::reference_bins(values, 10);
  EXPECT_EQ(bins.upper_edges.front(), 0);
  EXPECT_NEAR(bins.shares[0], 60.0 / 101, 1e-12);
  EXPECT_NEAR(bins.shares.back(), 1.0 / 101, 1e-12);  // the missing bin
  EXPECT_EQ(bins.bin_of(0), 0u);
  EXPECT_EQ(bins.bin_of(-5), 0u);
  EXPECT_EQ(bins.bin_of(1e9), bins.upper_edges.size());  // above every reference value
  EXPECT_EQ(bins.bin_of(std::nan("")), bins.shares.size() - 1);
  double total = 0;
  for (double share : bins.shares) total += share;
  EXPECT_NEAR(total, 1, 1e-12);
}

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
