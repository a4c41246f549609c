#include "spend/clv/clv_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../support/temp_dir.h"
#include "core/error.h"
#include "core/random.h"
#include "spend/clv/simulation.h"

namespace playsight::spend::clv {
namespace {

using testing::TempDir;

const BgNbdParameters kPurchases{0.5, 20.0, 0.8, 3.0};  // time in days
const GammaGammaParameters kValue{3.0, 4.0, 20000.0};   // money in KRW

// Customers simulated over up to 120 days of history (whole-day ages, as rfm_from_topups gives),
// followed by never-payers.
RfmTable simulated_table(std::size_t customers, std::size_t never_payers, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> ages(customers);
  for (double& T : ages) T = static_cast<double>(rng.below(120));
  const SimulatedCustomers sim = simulate_bgnbd(kPurchases, ages, 0.0, seed + 1);
  const std::vector<double> means = simulate_gamma_gamma_means(kValue, sim.frequency, seed + 2);
  RfmTable table;
  table.key_name = "player_id";
  table.cutoff = parse_date("2026-10-01");
  table.calibration_length_days = 120;
  const std::size_t n = customers + never_payers;
  for (std::size_t i = 0; i < n; ++i) {
    const bool customer = i < customers;
    table.keys.push_back(std::to_string(i));
    table.customer.push_back(customer ? 1 : 0);
    table.frequency.push_back(customer ? sim.frequency[i] : 0);
    table.recency.push_back(customer ? sim.recency[i] : 0);
    table.age.push_back(customer ? sim.age[i] : 0);
    table.monetary.push_back(customer ? means[i] : 0);
    table.total_amount.push_back(customer ? 15000 + sim.frequency[i] * means[i] : 0);
  }
  return table;
}

// The never-payer prediction by its definition in clv_model.h, by brute force.
double never_payer_by_definition(const RfmTable& table, int horizon) {
  double spend = 0, at_risk = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (!table.customer[i]) {
      ++at_risk;
    } else if (table.age[i] < horizon) {  // first top-up day within the last `horizon` days
      ++at_risk;
      spend += table.total_amount[i];
    }
  }
  return spend / at_risk;
}

TEST(ClvModel, PredictionIsExpectedDaysTimesExpectedValue) {
  const RfmTable table = simulated_table(6000, 4000, 3);
  const ClvModel model = fit_clv(table, {});
  EXPECT_EQ(model.players, 10000u);
  EXPECT_EQ(model.customers, 6000u);
  EXPECT_GT(model.repeat_customers, 1000u);
  EXPECT_NEAR(model.purchases.parameters.r, kPurchases.r, 0.15 * kPurchases.r);
  EXPECT_NEAR(model.value.parameters.q, kValue.q, 0.2 * kValue.q);
  // Frequency and value were drawn independently.
  EXPECT_LT(std::abs(model.frequency_value_correlation), 0.06);

  const ClvPredictions p = predict_clv_detail(model, table, 30);
  ASSERT_EQ(p.expected_amount.size(), table.size());
  const GammaGammaParameters& g = model.value.parameters;
  EXPECT_NEAR(model.population_mean_value, g.p * g.gamma / (g.q - 1), 1e-9);
  for (std::size_t i = 0; i < table.size(); i += 97) {
    if (table.customer[i]) {
      const double days = bgnbd_expected_purchases(
          model.purchases.parameters, 30, table.frequency[i], table.recency[i], table.age[i]);
      const double value = table.frequency[i] >= 1 ? gamma_gamma_expected_value(
                                                         g, table.frequency[i], table.monetary[i])
                                                   : model.population_mean_value;
      EXPECT_DOUBLE_EQ(p.expected_topup_days[i], days);
      EXPECT_DOUBLE_EQ(p.expected_value_per_day[i], value);
      EXPECT_DOUBLE_EQ(p.expected_amount[i], days * value);
      EXPECT_GT(p.probability_alive[i], 0.0);
      EXPECT_LE(p.probability_alive[i], 1.0);
    } else {
      EXPECT_TRUE(std::isnan(p.expected_topup_days[i]));
      EXPECT_NEAR(p.expected_amount[i], never_payer_by_definition(table, 30), 1e-9);
    }
  }
  EXPECT_EQ(predict_clv(model, table, 30), p.expected_amount);
}

TEST(ClvModel, NeverPayerPredictionFollowsItsDefinition) {
  const RfmTable table = simulated_table(3000, 2000, 9);
  const ClvModel model = fit_clv(table, {});
  ASSERT_EQ(model.never_payer_spend.size(), 120u);
  const std::size_t never_payer_row = table.size() - 1;
  for (const int horizon : {1, 7, 30, 120}) {
    const std::vector<double> p = predict_clv(model, table, horizon);
    EXPECT_NEAR(p[never_payer_row], never_payer_by_definition(table, horizon), 1e-9) << horizon;
  }
  // Beyond the calibration length: linear in the horizon.
  EXPECT_NEAR(predict_clv(model, table, 240)[never_payer_row],
              2 * never_payer_by_definition(table, 120), 1e-9);

  ClvOptions zero;
  zero.never_payers = NeverPayerPolicy::kZero;
  EXPECT_EQ(predict_clv(fit_clv(table, zero), table, 30)[never_payer_row], 0.0);
}

TEST(ClvModel, SavedModelPredictsTheSameAfterLoading) {
  const RfmTable table = simulated_table(2000, 500, 17);
  const ClvModel model = fit_clv(table, {});
  TempDir dir;
  save_clv(model, dir.file("clv.json"));
  const ClvModel loaded = load_clv(dir.file("clv.json"));
  EXPECT_EQ(loaded.purchases.parameters.alpha, model.purchases.parameters.alpha);
  EXPECT_EQ(loaded.value.diagnostics.standard_errors, model.value.diagnostics.standard_errors);
  EXPECT_EQ(loaded.cutoff, model.cutoff);
  EXPECT_EQ(predict_clv(loaded, table, 30), predict_clv(model, table, 30));
  EXPECT_EQ(clv_to_json(loaded), clv_to_json(model));
}

TEST(ClvModel, BadModelFilesNameTheField) {
  const ClvModel model = fit_clv(simulated_table(2000, 10, 23), {});
  nlohmann::json json = clv_to_json(model);
  json["bgnbd"]["alpha"] = -1;
  try {
    clv_from_json(json, "model.json");
    FAIL() << "a negative alpha was accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("model.json: field 'bgnbd.alpha'"), std::string::npos)
        << error.what();
  }
  json = clv_to_json(model);
  json.erase("gamma_gamma");
  EXPECT_THROW(clv_from_json(json, "model.json"), InputError);
  TempDir dir;
  EXPECT_THROW(load_clv(dir.write("broken.json", "{\"model\": ")), InputError);
  EXPECT_THROW(load_clv(dir.file("absent.json")), InputError);
}

TEST(ClvModel, BadInputsAreInputErrors) {
  RfmTable table = simulated_table(0, 50, 1);  // nobody has topped up
  try {
    fit_clv(table, {});
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("none of the 50 players"), std::string::npos)
        << error.what();
  }
  // Customers, but none with a repeat top-up day: BG/NBD cannot estimate a rate.
  table = simulated_table(200, 0, 2);
  for (std::size_t i = 0; i < table.size(); ++i) {
    table.frequency[i] = table.recency[i] = table.monetary[i] = 0;
  }
  EXPECT_THROW(fit_clv(table, {}), InputError);
  // A single repeat customer: Gamma-Gamma cannot be fitted, and says so.
  table.frequency[0] = 2;
  table.recency[0] = std::min(5.0, table.age[0]);
  table.monetary[0] = 3000;
  try {
    fit_clv(table, {});
    FAIL();
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("Gamma-Gamma"), std::string::npos) << error.what();
  }
  const RfmTable good = simulated_table(500, 10, 4);
  EXPECT_THROW(predict_clv(fit_clv(good, {}), good, 0), InputError);
}

}  // namespace
}  // namespace playsight::spend::clv
