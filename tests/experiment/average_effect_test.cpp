#include "experiment/average_effect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "../support/checks.h"
#include "core/random.h"

namespace playsight::experiment {
namespace {

using playsight::testing::input_error_of;

// Seven treatment and six control players. Oracle: scipy 1.10.1 (Debian python3-scipy),
//   stats.ttest_ind(t, c, equal_var=False) -> t = 3.2560191014429725, p = 0.008648290172927982;
//   means 12.471428571428573 and 9.283333333333333, sample variances 4.725714285714285 and
//   1.7016666666666673; SE = sqrt(4.7257/7 + 1.7017/6) = 0.9791389849900971;
//   Welch-Satterthwaite df = 9.985396387649697; stats.t.ppf(0.975, df) = 2.228580635549057, so
//   the 95 % interval is 3.18809523809524 -+ 2.2286 * 0.97914 = [1.0060050566351508,
//   5.370185419555329]; at 90 %: t.ppf(0.95, df) = 1.8127301345667404 -> [1.4131804940745998,
//   4.963009982115881].
const std::vector<double> kOutcome{12.1, 14.3, 9.8, 15.6, 11.2, 13.9, 10.4,
                                   8.2,  10.1, 9.4, 7.7,  11.3, 9.0};
const std::vector<std::uint8_t> kTreated{1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};

TEST(WelchEffect, MatchesScipyOnTwoSmallSamples) {
  const EffectEstimate e = welch_effect(kOutcome, kTreated);
  EXPECT_EQ(e.method, "welch");
  EXPECT_FALSE(e.relative);
  EXPECT_EQ(e.treatment_players, 7u);
  EXPECT_EQ(e.control_players, 6u);
  EXPECT_NEAR(e.treatment_mean, 12.471428571428573, 1e-12);
  EXPECT_NEAR(e.control_mean, 9.283333333333333, 1e-12);
  EXPECT_NEAR(e.estimate, 3.18809523809524, 1e-12);
  EXPECT_NEAR(e.standard_error, 0.9791389849900971, 1e-12);
  EXPECT_NEAR(e.degrees_of_freedom, 9.985396387649697, 1e-9);
  EXPECT_NEAR(e.ci_low, 1.0060050566351508, 1e-9);
  EXPECT_NEAR(e.ci_high, 5.370185419555329, 1e-9);
  EXPECT_NEAR(e.p_value, 0.008648290172927982, 1e-10);
  EXPECT_DOUBLE_EQ(e.variance_reduction, 0);
  EXPECT_DOUBLE_EQ(e.level, 0.95);
}

TEST(WelchEffect, LevelOptionChangesTheInterval) {
  const EffectEstimate e = welch_effect(kOutcome, kTreated, {.level = 0.90});
  EXPECT_NEAR(e.ci_low, 1.4131804940745998, 1e-9);
  EXPECT_NEAR(e.ci_high, 4.963009982115881, 1e-9);
  EXPECT_DOUBLE_EQ(e.level, 0.90);
}

TEST(WelchEffect, BinaryOutcomeIsADifferenceInProportions) {
  // Top-up probability: 3 of 4 treatment players top up, 1 of 4 control players.
  const std::vector<double> topped_up{1, 1, 1, 0, 1, 0, 0, 0};
  const std::vector<std::uint8_t> treated{1, 1, 1, 1, 0, 0, 0, 0};
  const EffectEstimate e = welch_effect(topped_up, treated);
  EXPECT_DOUBLE_EQ(e.estimate, 0.5);
  // Sample variance of a 3-of-4 (or 1-of-4) indicator: 4 * 0.75 * 0.25 / 3 = 0.25.
  EXPECT_NEAR(e.standard_error, std::sqrt(0.25 / 4 + 0.25 / 4), 1e-12);
  EXPECT_NEAR(e.degrees_of_freedom, 6, 1e-12);  // equal variances and sizes: n_t + n_c - 2
}

TEST(RelativeEffect, DeltaMethodMatchesHandComputation) {
  // scipy/numpy: rel = (12.4714 - 9.2833) / 9.2833 = 0.34342139010002587;
  // SE = sqrt(se_t² / m_c² + m_t² se_c² / m_c⁴) = 0.11735827845177892 with se_t² = 4.7257 / 7,
  // se_c² = 1.7017 / 6; z = stats.norm.ppf(0.975): [0.1134033910469161, 0.5734393891531356];
  // p = 2 * stats.norm.sf(rel / SE) = 0.0034305888442850794.
  const EffectEstimate e = relative_effect(welch_effect(kOutcome, kTreated));
  EXPECT_TRUE(e.relative);
  EXPECT_EQ(e.method, "welch");
  EXPECT_NEAR(e.estimate, 0.34342139010002587, 1e-12);
  EXPECT_NEAR(e.standard_error, 0.11735827845177892, 1e-12);
  EXPECT_NEAR(e.ci_low, 0.1134033910469161, 1e-9);
  EXPECT_NEAR(e.ci_high, 0.5734393891531356, 1e-9);
  EXPECT_NEAR(e.p_value, 0.0034305888442850794, 1e-10);
  EXPECT_TRUE(std::isinf(e.degrees_of_freedom));
}

// Players of a simulated experiment: outcome = 10 + effect * treated + s, with s = 0.8 x + 0.6 e
// (unit variance), pre-period covariate x (corr(y, x) = 0.8 within a group) and a model's
// prediction m = s + 0.5 u (corr(y, m) = 1 / sqrt(1.25), rho² = 0.8). x, e, u standard normal.
struct SimulatedExperiment {
  std::vector<double> outcome;
  std::vector<std::uint8_t> treated;
  std::vector<double> pre_period;
  std::vector<double> prediction;
};

SimulatedExperiment simulate(std::uint64_t seed, std::uint64_t experiment,
                             std::size_t players_per_group, double effect) {
  Rng rng(seed, experiment);
  SimulatedExperiment data;
  for (std::size_t i = 0; i < 2 * players_per_group; ++i) {
    const std::uint8_t treated = i < players_per_group ? 1 : 0;
    const double x = standard_normal(rng);
    const double signal = 0.8 * x + 0.6 * standard_normal(rng);
    data.outcome.push_back(10 + effect * treated + signal);
    data.treated.push_back(treated);
    data.pre_period.push_back(x);
    data.prediction.push_back(signal + 0.5 * standard_normal(rng));
  }
  return data;
}

TEST(CovariateAdjustment, VarianceReductionIsRhoSquared) {
  // 20,000 players per group: SE² of the adjusted difference is (1 - rho²) times the plain one.
  const SimulatedExperiment data = simulate(11, 0, 20000, 0.1);
  const EffectEstimate plain = welch_effect(data.outcome, data.treated);
  const EffectEstimate cuped = cuped_effect(data.outcome, data.treated, data.pre_period);
  const EffectEstimate cupac = cupac_effect(data.outcome, data.treated, data.prediction);
  EXPECT_EQ(cuped.method, "cuped");
  EXPECT_EQ(cupac.method, "cupac");
  // corr 0.8 -> variance kept 1 - 0.64 = 0.36, i.e. a reduction of 0.64.
  EXPECT_NEAR(cuped.variance_reduction, 0.64, 0.02);
  EXPECT_NEAR(cupac.variance_reduction, 0.80, 0.02);
  EXPECT_NEAR(cuped.theta, 0.8, 0.02);  // cov(y, x) / var(x)
  EXPECT_NEAR(cupac.theta, 0.8, 0.02);  // var(s) / (var(s) + 0.25) = 1 / 1.25
  // Raw means are reported unadjusted; the adjusted ones differ by theta * (x̄_group - x̄).
  EXPECT_DOUBLE_EQ(cuped.treatment_mean, plain.treatment_mean);
  EXPECT_DOUBLE_EQ(cuped.control_mean, plain.control_mean);
  EXPECT_NEAR(cuped.estimate, 0.1, 4 * cuped.standard_error);
}

TEST(CovariateAdjustment, IntervalsCoverTheTrueEffectAndAdjustedEstimatesAreUnbiased) {
  // 2,000 simulated experiments of 200 + 200 players, true effect 0.3. The coverage of a 95 %
  // interval has a Monte Carlo SD of 0.5 points here, so 93-97 % is a 4-SD band.
  constexpr int kExperiments = 2000;
  constexpr double kEffect = 0.3;
  struct Tally {
    int covered = 0;
    double sum = 0;
    double squares = 0;
  };
  Tally welch, cuped, cupac;
  const auto count = [](Tally& tally, const EffectEstimate& e) {
    tally.covered += e.ci_low <= kEffect && kEffect <= e.ci_high;
    tally.sum += e.estimate;
    tally.squares += (e.estimate - kEffect) * (e.estimate - kEffect);
  };
  for (int experiment = 0; experiment < kExperiments; ++experiment) {
    const SimulatedExperiment data = simulate(2024, experiment, 200, kEffect);
    count(welch, welch_effect(data.outcome, data.treated));
    count(cuped, cuped_effect(data.outcome, data.treated, data.pre_period));
    count(cupac, cupac_effect(data.outcome, data.treated, data.prediction));
  }
  for (const Tally* tally : {&welch, &cuped, &cupac}) {
    const double coverage = static_cast<double>(tally->covered) / kExperiments;
    EXPECT_GE(coverage, 0.93);
    EXPECT_LE(coverage, 0.97);
    // Unbiased: the mean estimate is within 4 Monte Carlo SEs (at most 0.1 / sqrt(2000) each).
    EXPECT_NEAR(tally->sum / kExperiments, kEffect, 0.01);
  }
  // The estimators' own variance across experiments: CUPED keeps 0.36 of it, CUPAC 0.20.
  EXPECT_NEAR(cuped.squares / welch.squares, 0.36, 0.04);
  EXPECT_NEAR(cupac.squares / welch.squares, 0.20, 0.03);
}

TEST(AverageEffectErrors, NameTheInputAndPosition) {
  const std::vector<double> y{1, 2, 3, 4};
  const std::vector<std::uint8_t> groups{1, 1, 0, 0};
  const std::vector<double> x{0.5, 1.5, 2.0, 4.5};
  EXPECT_EQ(input_error_of([&] {
              welch_effect(y, std::vector<std::uint8_t>{1, 1, 1, 1});
            }),
            "welch effect: the treatment group has 4 players and the control group 0; expected "
            "at least 2 in each");
  EXPECT_EQ(input_error_of([&] {
              welch_effect(y, std::vector<std::uint8_t>{1, 0, 0, 0});
            }),
            "welch effect: the treatment group has 1 players and the control group 3; expected "
            "at least 2 in each");
  EXPECT_EQ(input_error_of([&] { welch_effect({}, {}); }),
            "welch effect: the treatment group has 0 players and the control group 0; expected "
            "at least 2 in each");
  EXPECT_EQ(input_error_of([&] {
              welch_effect(y, std::vector<std::uint8_t>{1, 1, 0});
            }),
            "welch effect: 4 outcomes but 3 group flags; expected one of each per player");
  EXPECT_EQ(input_error_of([&] {
              welch_effect(y, std::vector<std::uint8_t>{1, 2, 0, 0});
            }),
            "welch effect: the group flag of the player at position 1 is 2; expected 1 "
            "(treatment) or 0 (control)");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(input_error_of([&] {
              welch_effect(std::vector<double>{1, 2, nan, 4}, groups);
            }),
            "welch effect: the outcome of the player at position 2 is NaN; expected a finite "
            "number");
  EXPECT_EQ(input_error_of([&] {
              welch_effect(std::vector<double>{1, 1, 5, 5}, groups);
            }),
            "welch effect: the outcome does not vary within either group (every treatment "
            "player has 1, every control player 5); no interval can be computed");
  for (const double level : {0.0, 1.0, 1.5, -0.2, nan}) {
    EXPECT_NE(input_error_of([&] {
                welch_effect(y, groups, {.level = level});
              }).find("the confidence level is"),
              std::string::npos)
        << level;
  }
  EXPECT_EQ(input_error_of([&] {
              cuped_effect(y, groups, std::vector<double>{1, 2, 3});
            }),
            "cuped effect: 3 values of the pre-period covariate but 4 players; expected one per "
            "player");
  EXPECT_EQ(input_error_of([&] {
              cuped_effect(y, groups, std::vector<double>{1, nan, 3, 4});
            }),
            "cuped effect: the pre-period covariate of the player at position 1 is NaN; "
            "expected a finite number");
  EXPECT_EQ(input_error_of([&] {
              cuped_effect(y, groups, std::vector<double>{7, 7, 7, 7});
            }),
            "cuped effect: the pre-period covariate is 7 for every player; a constant covariate "
            "cannot reduce variance");
  EXPECT_EQ(input_error_of([&] {
              cupac_effect(y, groups, std::vector<double>{0, 0, 0, 0});
            }),
            "cupac effect: the model prediction is 0 for every player; a constant covariate "
            "cannot reduce variance");
  EXPECT_EQ(input_error_of([&] { cupac_effect(y, groups, x, {.level = 2}); }),
            "cupac effect: the confidence level is 2; expected a number in (0, 1), e.g. 0.95");
  EXPECT_EQ(input_error_of([&] {
              relative_effect(welch_effect(std::vector<double>{1, 2, -1, 1}, groups));
            }),
            "relative welch effect: the control mean is 0; a relative effect needs a finite, "
            "nonzero control mean");
  EXPECT_EQ(input_error_of([&] { relative_effect(relative_effect(welch_effect(y, groups))); }),
            "relative welch effect: the estimate is already relative");
}

}  // namespace
}  // namespace playsight::experiment
