#include "experiment/planning.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "../support/checks.h"

namespace playsight::experiment {
namespace {

using playsight::testing::input_error_of;

// scipy 1.10.1: stats.norm.ppf(0.975) + stats.norm.ppf(0.8) = 2.8015852181129683.
constexpr double kZSum = 2.8015852181129683;

TEST(Planning, TextbookSampleSizeForATwoTenthsSdEffect) {
  // d = 0.2 sd, alpha 0.05 two-sided, power 0.8: n = 2 * 2.80159² / 0.04 = 392.44398671745444
  // per group -> 393 (the classic table value, e.g. Cohen 1988 gives 393 for d = 0.2).
  const SampleSize size = required_sample_size(0.2, {});
  EXPECT_NEAR(size.exact_control_players, 392.44398671745444, 1e-9);
  EXPECT_NEAR(size.exact_treatment_players, 392.44398671745444, 1e-9);
  EXPECT_EQ(size.control_players, 393u);
  EXPECT_EQ(size.treatment_players, 393u);
  EXPECT_EQ(size.total_players(), 786u);
}

TEST(Planning, MinimumDetectableEffectOfAThousandPerGroup) {
  // 2.80159 * sqrt(2 / 1000) = 0.12529069984918345 sd.
  EXPECT_NEAR(minimum_detectable_effect(1000, 1000, {}), 0.12529069984918345, 1e-12);
  PlanningOptions in_krw;
  in_krw.outcome_standard_deviation = 5000;
  EXPECT_NEAR(minimum_detectable_effect(1000, 1000, in_krw), 5000 * 0.12529069984918345, 1e-8);
}

TEST(Planning, SampleSizeAndMdeRoundTrip) {
  for (const double ratio : {1.0, 2.0, 0.25}) {
    for (const double reduction : {0.0, 0.64}) {
      PlanningOptions options;
      options.outcome_standard_deviation = 3.5;
      options.alpha = 0.01;
      options.power = 0.9;
      options.treatment_per_control = ratio;
      options.variance_reduction = reduction;
      const SampleSize size = required_sample_size(0.4, options);
      EXPECT_NEAR(size.exact_treatment_players / size.exact_control_players, ratio, 1e-12);
      EXPECT_NEAR(minimum_detectable_effect(size.exact_control_players,
                                            size.exact_treatment_players, options),
                  0.4, 1e-12);
      // Rounded up, the groups detect the effect or a slightly smaller one.
      const double rounded =
          minimum_detectable_effect(static_cast<double>(size.control_players),
                                    static_cast<double>(size.treatment_players), options);
      EXPECT_LE(rounded, 0.4);
      EXPECT_GT(rounded, 0.39);
    }
  }
}

TEST(Planning, UnequalAllocationAndVarianceReduction) {
  // Two treatment players per control player: n_c = 2.80159² * 1.5 / 0.04 = 294.33299003809077,
  // n_t = 588.6659800761815.
  PlanningOptions two_to_one;
  two_to_one.treatment_per_control = 2;
  const SampleSize size = required_sample_size(0.2, two_to_one);
  EXPECT_NEAR(size.exact_control_players, 294.33299003809077, 1e-9);
  EXPECT_EQ(size.control_players, 295u);
  EXPECT_EQ(size.treatment_players, 589u);
  // CUPED with corr 0.8 (reduction 0.64) needs 0.36 of the players, and detects 0.6 of the MDE.
  PlanningOptions cuped;
  cuped.variance_reduction = 0.64;
  EXPECT_NEAR(required_sample_size(0.2, cuped).exact_control_players, 0.36 * 392.44398671745444,
              1e-9);
  EXPECT_NEAR(minimum_detectable_effect(1000, 1000, cuped), 0.6 * kZSum * std::sqrt(0.002), 1e-12);
}

TEST(Planning, RejectsBadOptions) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto error_with = [](auto change) {
    PlanningOptions options;
    change(options);
    return input_error_of([&] { required_sample_size(0.2, options); });
  };
  EXPECT_EQ(error_with([](PlanningOptions& o) { o.alpha = 0; }),
            "experiment planning: alpha is 0; expected a number in (0, 1), e.g. 0.05");
  EXPECT_EQ(error_with([&](PlanningOptions& o) { o.power = nan; }),
            "experiment planning: power is NaN; expected a number in (0, 1), e.g. 0.8");
  EXPECT_EQ(error_with([](PlanningOptions& o) { o.power = 1; }),
            "experiment planning: power is 1; expected a number in (0, 1), e.g. 0.8");
  EXPECT_EQ(error_with([](PlanningOptions& o) { o.outcome_standard_deviation = 0; }),
            "experiment planning: the outcome standard deviation is 0; expected a finite number "
            "> 0");
  EXPECT_EQ(error_with([](PlanningOptions& o) { o.variance_reduction = 1; }),
            "experiment planning: the variance reduction is 1; expected a number in [0, 1) (0 "
            "for the plain difference in means)");
  EXPECT_EQ(error_with([](PlanningOptions& o) { o.treatment_per_control = -1; }),
            "experiment planning: the allocation ratio (treatment per control player) is -1; "
            "expected a finite number > 0");
  EXPECT_EQ(input_error_of([] { required_sample_size(0, {}); }),
            "experiment planning: the effect to detect is 0; expected a finite number > 0");
  EXPECT_EQ(input_error_of([] { required_sample_size(1e-300, {}); }).substr(0, 48),
            "experiment planning: detecting an effect of 1e-3");
  EXPECT_EQ(input_error_of([] { minimum_detectable_effect(1, 100, {}); }),
            "experiment planning: the control group has 1 players; expected at least 2");
  EXPECT_EQ(input_error_of([&] { minimum_detectable_effect(100, nan, {}); }),
            "experiment planning: the treatment group has NaN players; expected at least 2");
}

}  // namespace
}  // namespace playsight::experiment
