#include "experiment/uplift.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "../support/checks.h"
#include "core/random.h"

namespace playsight::experiment {
namespace {

TEST(QiniCurve, MatchesAHandComputedRanking) {
  // Ranked by score: A (t, 10), B (c, 2), C (t, 0), D (c, 4).
  const std::vector<double> score{4, 3, 2, 1};
  const std::vector<double> outcome{10, 2, 0, 4};
  const std::vector<std::uint8_t> treated{1, 0, 1, 0};
  const QiniCurve curve = qini_curve(score, outcome, treated, 5);
  // Cuts at 0, 1, 2, 3, 4 players: Q = Yt - Yc nt / nc (Yt when no control yet).
  ASSERT_EQ(curve.qini.size(), 5u);
  EXPECT_DOUBLE_EQ(curve.qini[0], 0);
  EXPECT_DOUBLE_EQ(curve.qini[1], 10);
  EXPECT_DOUBLE_EQ(curve.qini[2], 10 - 2 * 1.0 / 1);
  EXPECT_DOUBLE_EQ(curve.qini[3], 10 - 2 * 2.0 / 1);
  EXPECT_DOUBLE_EQ(curve.qini[4], 10 - 6 * 2.0 / 2);
  // Area above the line from 0 to Q(N) = 4, per point, per treated player (2).
  const double area = (0 - 0) + (10 - 1) + (8 - 2) + (6 - 3) + (4 - 4);
  EXPECT_DOUBLE_EQ(curve.coefficient, area / 5 / 2);
}

// A learner for the tests: the mean of y per tenth of the one feature x in [0, 1).
UpliftLearner binned_mean_learner(const std::vector<double>& x) {
  return [&x](std::span<const std::size_t> train, std::span<const double> y,
              std::span<const std::size_t> predict) {
    double sums[10] = {}, counts[10] = {};
    for (std::size_t k = 0; k < train.size(); ++k) {
      const auto bin = static_cast<int>(x[train[k]] * 10);
      sums[bin] += y[k];
      counts[bin] += 1;
    }
    std::vector<double> out;
    for (std::size_t row : predict) {
      const auto bin = static_cast<int>(x[row] * 10);
      out.push_back(counts[bin] > 0 ? sums[bin] / counts[bin] : 0);
    }
    return out;
  };
}

TEST(FitUplift, FindsThePlayersWhoRespondAndBeatsRandomRankings) {
  // The nudge adds 5 for players with x > 0.7 and nothing for the others; noise SD 3.
  Rng rng(3);
  const std::size_t n = 20000;
  std::vector<double> x, outcome, truth;
  std::vector<std::uint8_t> treated;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < n; ++i) {
    x.push_back(rng.uniform());
    const double effect = x.back() > 0.7 ? 5 : 0;
    treated.push_back(rng.uniform() < 0.5);
    outcome.push_back(10 * x.back() + normal(rng, 0, 3) + (treated.back() ? effect : 0));
    truth.push_back(effect);
    rows.push_back(i);
  }
  const UpliftLearner learner = binned_mean_learner(x);
  const UpliftResult result = fit_uplift(rows, outcome, treated, truth, learner);
  EXPECT_NEAR(static_cast<double>(result.held_out_rows.size()), 0.3 * n, 0.02 * n);
  ASSERT_EQ(result.models.size(), 2u);
  ASSERT_TRUE(result.has_oracle);
  for (const UpliftModelResult& model : result.models) {
    // Best possible: the top 30% are the responders; a random ranking scores about 0.
    EXPECT_GT(model.curve.coefficient,
              result.random_coefficient_mean + 5 * result.random_coefficient_sd)
        << model.name;
    EXPECT_NEAR(model.curve.coefficient, result.oracle.coefficient,
                0.25 * result.oracle.coefficient)
        << model.name;
    // The top fifth by predicted uplift are all responders: their effect is about 5.
    EXPECT_NEAR(model.top_fifth_effect, 5, 0.6) << model.name;
    EXPECT_LT(model.other_effect, 2) << model.name;
  }
  EXPECT_NEAR(result.random_coefficient_mean, 0, 3 * result.random_coefficient_sd);
}

TEST(FitUplift, RejectsTooFewPlayers) {
  // 200 control players and one nudged player.
  const std::vector<double> x(201, 0.5), y(201, 1);
  std::vector<std::uint8_t> treated(201, 0);
  treated[0] = 1;
  std::vector<std::size_t> rows(201);
  for (std::size_t i = 0; i < 201; ++i) rows[i] = i;
  EXPECT_NE(testing::input_error_of([&] {
              fit_uplift(rows, y, treated, {}, binned_mean_learner(x));
            }).find("uplift: too few treated players"),
            std::string::npos);
}

}  // namespace
}  // namespace playsight::experiment
