#include "spend/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.h"

namespace playsight::spend {
namespace {

// Five players, worked by hand below:
//   player   y    ŷ    |y-ŷ|
//   0        0    5    5
//   1        0    0    0
//   2       10   10    0
//   3       20   40   20
//   4       70   25   45
const std::vector<double> kActual{0, 0, 10, 20, 70};
const std::vector<double> kPredicted{5, 0, 10, 40, 25};

MetricOptions small_options() {
  MetricOptions options;
  options.mape_offset = 10;
  options.small_prediction = 10;
  return options;
}

TEST(SpendMetrics, ErrorsOnFivePlayers) {
  const auto m = compute_spend_metrics(kActual, kPredicted, small_options());
  EXPECT_EQ(m.players, 5u);
  EXPECT_EQ(m.payers, 3u);
  // MAE = (5+0+0+20+45)/5 = 14; RMSE = sqrt((25+400+2025)/5) = sqrt(490).
  EXPECT_DOUBLE_EQ(m.mae, 14.0);
  EXPECT_DOUBLE_EQ(m.rmse, std::sqrt(490.0));
  // MAPE after +10: (5/10 + 0/10 + 0/20 + 20/30 + 45/80) / 5 = 1.7291666.../5.
  EXPECT_NEAR(m.mape_after_offset, (0.5 + 20.0 / 30 + 45.0 / 80) / 5, 1e-12);
  // Σy = 100, Σŷ = 80.
  EXPECT_DOUBLE_EQ(m.total_actual, 100);
  EXPECT_DOUBLE_EQ(m.total_predicted, 80);
  EXPECT_DOUBLE_EQ(m.aggregate_error, -0.2);
  EXPECT_DOUBLE_EQ(m.total_ratio, 0.8);
  // Payers 2, 3, 4: (0 + 20 + 45) / 3; non-payers 0, 1 predicted (5 + 0) / 2.
  EXPECT_DOUBLE_EQ(m.mae_payers, 65.0 / 3);
  EXPECT_DOUBLE_EQ(m.mean_predicted_non_payers, 2.5);
  // ŷ < 10: players 0 and 1.
  EXPECT_DOUBLE_EQ(m.share_predicted_under_small, 0.4);
  EXPECT_FALSE(m.has_classifier);
  EXPECT_TRUE(m.notes.empty());
}

TEST(SpendMetrics, RankingOnFivePlayers) {
  const auto m = compute_spend_metrics(kActual, kPredicted, small_options());
  // By ŷ descending: 40 (y 20), 25 (y 70), 10 (y 10), 5 (y 0), 0 (y 0).
  // C = .2, .9, 1, 1, 1 -> ΣC = 4.1 -> G(ŷ) = 2/5 * 4.1 - 1 = 0.64.
  // By y descending: 70, 20, 10, 0, 0: C = .7, .9, 1, 1, 1 -> ΣC = 4.6 -> G(y) = 0.84.
  EXPECT_NEAR(m.normalized_gini, 0.64 / 0.84, 1e-12);
  // Ranks of ŷ: 2 1 3 5 4; of y (two zeros tie at 1.5): 1.5 1.5 3 4 5. Deviations from 3:
  // (-1 -2 0 2 1), (-1.5 -1.5 0 1 2): cov 8.5, var 10 and 9.5 -> ρ = 8.5 / sqrt(95).
  EXPECT_NEAR(m.spearman, 8.5 / std::sqrt(95.0), 1e-12);
  // Every payer is scored above every non-payer.
  EXPECT_DOUBLE_EQ(m.payer_auc, 1.0);
}

TEST(SpendMetrics, DecileCalibrationWithOnePlayerPerBucket) {
  // Five players give five buckets of one: by ŷ ascending 0 (y 0), 5 (y 0), 10 (y 10),
  // 25 (y 70), 40 (y 20). Buckets 1 and 2 have mean y = 0 and are reported apart; the others
  // err by 0, 45/70 and 20/20.
  const auto m = compute_spend_metrics(kActual, kPredicted, small_options());
  ASSERT_EQ(m.calibration.size(), 5u);
  EXPECT_EQ(m.zero_actual_buckets, 2u);
  EXPECT_TRUE(std::isnan(m.calibration[0].relative_error));
  EXPECT_DOUBLE_EQ(m.calibration[1].mean_predicted, 5);
  EXPECT_DOUBLE_EQ(m.calibration[3].mean_actual, 70);
  EXPECT_DOUBLE_EQ(m.calibration[3].relative_error, 45.0 / 70);
  EXPECT_NEAR(m.calibration_error, (0 + 45.0 / 70 + 1) / 3, 1e-12);
}

TEST(SpendMetrics, CalibrationBucketsAreEqualCountByRank) {
  // Two buckets of five players: positions [0, 2) and [2, 5) of the ŷ order.
  // Bucket 1: ŷ 0, 5 with y 0, 0 -> mean ŷ 2.5, mean y 0 (reported apart).
  // Bucket 2: ŷ 10, 25, 40 with y 10, 70, 20 -> mean ŷ 25, mean y 100/3 -> error 0.25.
  auto options = small_options();
  options.calibration_buckets = 2;
  const auto m = compute_spend_metrics(kActual, kPredicted, options);
  ASSERT_EQ(m.calibration.size(), 2u);
  EXPECT_EQ(m.calibration[0].players, 2u);
  EXPECT_EQ(m.calibration[1].players, 3u);
  EXPECT_DOUBLE_EQ(m.calibration[0].mean_predicted, 2.5);
  EXPECT_DOUBLE_EQ(m.calibration[1].min_predicted, 10);
  EXPECT_DOUBLE_EQ(m.calibration[1].max_predicted, 40);
  EXPECT_NEAR(m.calibration[1].mean_actual, 100.0 / 3, 1e-12);
  EXPECT_EQ(m.zero_actual_buckets, 1u);
  EXPECT_NEAR(m.calibration_error, 0.25, 1e-12);
}

TEST(SpendMetrics, TenEqualBucketsEvenWhenPredictionsRepeat) {
  // 100 players, 80 of them predicted exactly 0: ranks still split them into buckets of 10.
  std::vector<double> actual(100), predicted(100, 0.0);
  for (int i = 0; i < 100; ++i) {
    actual[static_cast<std::size_t>(i)] = i % 3 == 0 ? 100 : 0;
    if (i >= 80) predicted[static_cast<std::size_t>(i)] = i;
  }
  const auto m = compute_spend_metrics(actual, predicted);
  ASSERT_EQ(m.calibration.size(), 10u);
  for (const auto& bucket : m.calibration) EXPECT_EQ(bucket.players, 10u);
  EXPECT_DOUBLE_EQ(m.calibration[7].max_predicted, 0);
  EXPECT_DOUBLE_EQ(m.calibration[8].min_predicted, 80);
}

TEST(SpendMetrics, ActualSpendBuckets) {
  // Default edges 1,000 / 10,000 / 100,000 / 1,000,000: players 0, 1 are non-payers (mean ŷ 2.5),
  // 2, 3, 4 all spent under 1,000 (mean y 100/3, mean ŷ 75/3); the other buckets are empty.
  const auto m = compute_spend_metrics(kActual, kPredicted);
  ASSERT_EQ(m.by_actual_spend.size(), 6u);
  EXPECT_EQ(m.by_actual_spend[0].players, 2u);
  EXPECT_DOUBLE_EQ(m.by_actual_spend[0].mean_predicted, 2.5);
  EXPECT_EQ(m.by_actual_spend[1].players, 3u);
  EXPECT_DOUBLE_EQ(m.by_actual_spend[1].upper, 1000);
  EXPECT_DOUBLE_EQ(m.by_actual_spend[1].mean_predicted, 25);
  EXPECT_EQ(m.by_actual_spend[2].players, 0u);
  EXPECT_TRUE(std::isnan(m.by_actual_spend[2].mean_actual));
  EXPECT_TRUE(std::isinf(m.by_actual_spend[5].upper));
}

// Four players with tied predictions:
//   player   y    ŷ
//   0        0    1
//   1       10    1
//   2       30    5
//   3        0    0
TEST(SpendMetrics, TiedPredictionsShareTheirBlockAverage) {
  const std::vector<double> actual{0, 10, 30, 0};
  const std::vector<double> predicted{1, 1, 5, 0};
  const auto m = compute_spend_metrics(actual, predicted);
  // By ŷ descending: 5 (y 30), then the tie at 1 counts as y 5, 5, then 0 (y 0):
  // C = 30/40, 35/40, 40/40, 40/40 -> ΣC = 3.625 -> G(ŷ) = 2/4 * 3.625 - 1 = 0.8125.
  // By y: 30, 10, 0, 0 -> C = .75, 1, 1, 1 -> G(y) = 0.875.
  EXPECT_NEAR(m.normalized_gini, 0.8125 / 0.875, 1e-12);
  // Pairs (payer, non-payer): (1 vs 1) ties 1/2, (1 vs 0), (5 vs 1), (5 vs 0) win: 3.5 / 4.
  EXPECT_DOUBLE_EQ(m.payer_auc, 0.875);
  // Ranks y: 1.5 3 4 1.5; ranks ŷ: 2.5 2.5 4 1 -> cov 3.75, variances 4.5 and 4.5.
  EXPECT_NEAR(m.spearman, 3.75 / 4.5, 1e-12);

  // The order of tied players does not matter.
  const auto swapped =
      compute_spend_metrics(std::vector<double>{10, 0, 30, 0}, std::vector<double>{1, 1, 5, 0});
  EXPECT_DOUBLE_EQ(swapped.normalized_gini, m.normalized_gini);
  EXPECT_DOUBLE_EQ(swapped.payer_auc, m.payer_auc);
  EXPECT_DOUBLE_EQ(swapped.spearman, m.spearman);
}

TEST(SpendMetrics, PerfectOrderHasGiniOne) {
  const auto m = compute_spend_metrics(kActual, kActual);
  EXPECT_DOUBLE_EQ(m.normalized_gini, 1.0);
  EXPECT_DOUBLE_EQ(m.spearman, 1.0);
  EXPECT_DOUBLE_EQ(m.mae, 0);
  EXPECT_DOUBLE_EQ(m.calibration_error, 0);
}

TEST(SpendMetrics, PredictZeroForEveryone) {
  // Two payers in five: MAPE after +1000 = (50,000/51,000 + 1,000,000/1,001,000) / 5 ≈ 0.396,
  // about the payer share (0.4): the reason the team's metric rewards predicting 0.
  const std::vector<double> actual{0, 0, 0, 50000, 1000000};
  const std::vector<double> zeros(5, 0.0);
  const auto m = compute_spend_metrics(actual, zeros);
  EXPECT_NEAR(m.mape_after_offset, (50000.0 / 51000 + 1000000.0 / 1001000) / 5, 1e-12);
  EXPECT_NEAR(m.mape_after_offset, 0.4, 0.01);
  EXPECT_DOUBLE_EQ(m.mae, 1050000.0 / 5);
  EXPECT_DOUBLE_EQ(m.share_predicted_under_small, 1.0);
  EXPECT_DOUBLE_EQ(m.total_ratio, 0);
  EXPECT_DOUBLE_EQ(m.aggregate_error, -1);
  EXPECT_DOUBLE_EQ(m.payer_auc, 0.5);  // all ties
  EXPECT_TRUE(std::isnan(m.normalized_gini));
  EXPECT_TRUE(std::isnan(m.spearman));
  ASSERT_FALSE(m.notes.empty());
  EXPECT_NE(m.notes[0].find("normalised Gini"), std::string::npos);
}

TEST(SpendMetrics, NobodySpent) {
  const auto m = compute_spend_metrics(std::vector<double>{0, 0, 0}, std::vector<double>{1, 2, 3});
  EXPECT_EQ(m.payers, 0u);
  EXPECT_TRUE(std::isnan(m.normalized_gini));
  EXPECT_TRUE(std::isnan(m.aggregate_error));
  EXPECT_TRUE(std::isnan(m.payer_auc));
  EXPECT_TRUE(std::isnan(m.mae_payers));
  EXPECT_TRUE(std::isnan(m.calibration_error));
  EXPECT_EQ(m.zero_actual_buckets, 3u);
  EXPECT_DOUBLE_EQ(m.mean_predicted_non_payers, 2);
}

TEST(SpendMetrics, ClassifierRecall) {
  // Payers 2, 3, 4 with decisions 1, 0, 1 -> 2/3; non-payers 0, 1 with decisions 0, 1 -> 1/2.
  const std::vector<std::uint8_t> decision{0, 1, 1, 0, 1};
  const auto m = compute_spend_metrics(kActual, kPredicted, decision);
  EXPECT_TRUE(m.has_classifier);
  EXPECT_DOUBLE_EQ(m.payer_recall, 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.non_payer_recall, 0.5);
  EXPECT_DOUBLE_EQ(m.mae, 14.0);  // the rest is as without a classifier
}

TEST(SpendMetrics, AggregateErrorPerSegment) {
  // a: players 0, 2, 4 -> Σy 80, Σŷ 40; b: players 1, 3 -> Σy 20, Σŷ 40; c: nobody spent.
  const std::vector<double> predicted{0, 0, 10, 40, 30};
  const std::vector<double> actual{0, 0, 10, 20, 70};
  const std::vector<std::string> labels{"a", "b", "a", "b", "a"};
  const auto segments = aggregate_error_by_segment(actual, predicted, labels);
  ASSERT_EQ(segments.size(), 2u);
  EXPECT_EQ(segments[0].segment, "a");
  EXPECT_EQ(segments[0].players, 3u);
  EXPECT_DOUBLE_EQ(segments[0].total_actual, 80);
  EXPECT_DOUBLE_EQ(segments[0].total_predicted, 40);
  EXPECT_DOUBLE_EQ(segments[0].aggregate_error, -0.5);
  EXPECT_EQ(segments[1].segment, "b");
  EXPECT_DOUBLE_EQ(segments[1].total_ratio, 2.0);

  const std::vector<std::string> with_empty{"a", "c", "a", "a", "a"};
  const auto other = aggregate_error_by_segment(actual, predicted, with_empty);
  ASSERT_EQ(other.size(), 2u);
  EXPECT_TRUE(std::isnan(other[1].aggregate_error));
}

// Randomised check against the definitions written the slow way: every pair for the AUC, and the
// Gini with tied blocks replaced by their mean before a plain cumulative sum.
TEST(SpendMetrics, MatchesBruteForceOnRandomTies) {
  std::mt19937 random(5);
  const std::size_t n = 300;
  std::vector<double> actual(n), predicted(n);
  for (std::size_t i = 0; i < n; ++i) {
    actual[i] = random() % 3 == 0 ? static_cast<double>(random() % 50) : 0;
    predicted[i] = static_cast<double>(random() % 7);  // many ties
  }
  const auto m = compute_spend_metrics(actual, predicted);

  double wins = 0, pairs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (actual[i] > 0 && actual[j] == 0) {
        pairs += 1;
        wins += predicted[i] > predicted[j] ? 1 : predicted[i] == predicted[j] ? 0.5 : 0;
      }
    }
  }
  EXPECT_NEAR(m.payer_auc, wins / pairs, 1e-12);

  auto slow_gini = [&](const std::vector<double>& score) {
    std::vector<double> block_mean(n);
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0, count = 0;
      for (std::size_t j = 0; j < n; ++j) {
        if (score[j] == score[i]) sum += actual[j], count += 1;
      }
      block_mean[i] = sum / count;
    }
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    double total = 0, cumulative = 0, sum_c = 0;
    for (double y : actual) total += y;
    for (std::size_t k : order) {
      cumulative += block_mean[k];
      sum_c += cumulative / total;
    }
    return 2.0 / static_cast<double>(n) * sum_c - 1;
  };
  EXPECT_NEAR(m.normalized_gini, slow_gini(predicted) / slow_gini(actual), 1e-9);
}

TEST(SpendMetrics, BadInputIsNamed) {
  auto message_of = [](auto&& call) -> std::string {
    try {
      call();
    } catch (const InputError& error) {
      return error.what();
    }
    return "(no error)";
  };
  const std::vector<double> empty;
  EXPECT_NE(message_of([&] { compute_spend_metrics(empty, empty); }).find("no players"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              compute_spend_metrics(std::vector<double>{1, 2}, std::vector<double>{1});
            }).find("2 actual amounts but 1 predicted"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              compute_spend_metrics(std::vector<double>{1, 2, -5}, std::vector<double>{1, 2, 3});
            }).find("actual amount of the player at position 2 is -5"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              compute_spend_metrics(std::vector<double>{1, NAN}, std::vector<double>{1, 2});
            }).find("position 1 is NaN"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              compute_spend_metrics(std::vector<double>{1, 2}, std::vector<double>{INFINITY, 2});
            }).find("predicted amount of the player at position 0 is inf"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              compute_spend_metrics(kActual, kPredicted, std::vector<std::uint8_t>{1, 0});
            }).find("2 classifier decisions but 5 players"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              compute_spend_metrics(kActual, kPredicted, std::vector<std::uint8_t>{1, 0, 2, 0, 0});
            }).find("position 2 is 2"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              aggregate_error_by_segment(kActual, kPredicted, std::vector<std::string>{"a"});
            }).find("1 segment labels but 5 players"),
            std::string::npos);
  MetricOptions bad;
  bad.mape_offset = 0;
  EXPECT_NE(message_of([&] { compute_spend_metrics(kActual, kPredicted, bad); }).find("offset"),
            std::string::npos);
}

}  // namespace
}  // namespace playsight::spend
