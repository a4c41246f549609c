#include "experiment/bootstrap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "../support/checks.h"
#include "core/random.h"

namespace playsight::experiment {
namespace {

using playsight::testing::input_error_of;

struct Sample {
  std::vector<double> outcome;
  std::vector<std::uint8_t> treated;
};

// 1,000 treatment players ~ N(5.2, 2²) and 1,000 control players ~ N(5, 1.5²).
Sample normal_sample() {
  Rng rng(77);
  Sample sample;
  for (int i = 0; i < 1000; ++i) {
    sample.outcome.push_back(normal(rng, 5.2, 2));
    sample.treated.push_back(1);
    sample.outcome.push_back(normal(rng, 5, 1.5));
    sample.treated.push_back(0);
  }
  return sample;
}

TEST(BootstrapEffect, CloseToWelchOnNormalData) {
  const Sample sample = normal_sample();
  const EffectEstimate welch = welch_effect(sample.outcome, sample.treated);
  const EffectEstimate boot = bootstrap_effect(sample.outcome, sample.treated, {.seed = 5});
  EXPECT_EQ(boot.method, "bootstrap");
  EXPECT_DOUBLE_EQ(boot.estimate, welch.estimate);
  EXPECT_EQ(boot.treatment_players, 1000u);
  EXPECT_EQ(boot.control_players, 1000u);
  // 2,000 resamples: the SE is within about 1.6 % (Monte Carlo SD), each percentile end within
  // about 0.06 SE of Welch's; tolerances are three times that.
  EXPECT_NEAR(boot.standard_error / welch.standard_error, 1, 0.05);
  const double width = welch.ci_high - welch.ci_low;
  EXPECT_NEAR(boot.ci_low, welch.ci_low, 0.05 * width);
  EXPECT_NEAR(boot.ci_high, welch.ci_high, 0.05 * width);
  EXPECT_NEAR(boot.p_value, welch.p_value, 0.02);
}

TEST(BootstrapEffect, DeterministicForASeedWhateverTheThreadCount) {
  const Sample sample = normal_sample();
  const EffectEstimate one =
      bootstrap_effect(sample.outcome, sample.treated, {.resamples = 500, .seed = 9, .threads = 1});
  for (const unsigned threads : {2u, 3u, 0u}) {
    const EffectEstimate many = bootstrap_effect(sample.outcome, sample.treated,
                                                 {.resamples = 500, .seed = 9, .threads = threads});
    EXPECT_EQ(many.ci_low, one.ci_low) << threads;
    EXPECT_EQ(many.ci_high, one.ci_high) << threads;
    EXPECT_EQ(many.standard_error, one.standard_error) << threads;
  }
  const EffectEstimate other = bootstrap_effect(sample.outcome, sample.treated,
                                                {.resamples = 500, .seed = 10, .threads = 1});
  EXPECT_NE(other.ci_low, one.ci_low);
}

TEST(BootstrapEffect, PercentileIntervalOfAKnownResampleSet) {
  // Two players per group, each group {0, 2}: every resampled mean is 0, 1 or 2 with chances
  // 1/4, 1/2, 1/4, so the difference lies in [-2, 2], is symmetric about 0 and has SD 1.
  const std::vector<double> y{0, 2, 0, 2};
  const std::vector<std::uint8_t> groups{1, 1, 0, 0};
  const EffectEstimate e = bootstrap_effect(y, groups, {.resamples = 20000, .seed = 3});
  EXPECT_DOUBLE_EQ(e.estimate, 0);
  EXPECT_NEAR(e.standard_error, 1, 0.02);
  EXPECT_DOUBLE_EQ(e.ci_low, -2);
  EXPECT_DOUBLE_EQ(e.ci_high, 2);
  EXPECT_DOUBLE_EQ(e.p_value, 1);
}

TEST(BootstrapEffect, RejectsBadOptionsAndInput) {
  const std::vector<double> y{1, 2, 3, 4};
  const std::vector<std::uint8_t> groups{1, 1, 0, 0};
  EXPECT_EQ(input_error_of([&] { bootstrap_effect(y, groups, {.resamples = 1}); }),
            "bootstrap effect: 1 resamples; expected at least 2 (2000 is the default)");
  EXPECT_EQ(input_error_of([&] { bootstrap_effect(y, groups, {.level = 0}); }),
            "bootstrap effect: the confidence level is 0; expected a number in (0, 1), e.g. 0.95");
  EXPECT_EQ(input_error_of([&] {
              bootstrap_effect(y, std::vector<std::uint8_t>{0, 0, 0, 0});
            }),
            "bootstrap effect: the treatment group has 0 players and the control group 4; expected "
            "at least 2 in each");
}

}  // namespace
}  // namespace playsight::experiment
