// The nudge-effect intervals checked against the generator's ground truth: hundreds of small
// simulated experiments (4,000 players each, different seeds, so different worlds and players),
// each measured by the real `playsight effect`; the 95% interval of every estimator must cover
// the experiment's true average effect (the mean of nudge_truth.csv's true_effect_krw over the
// nudged players) in 93-97% of them, and CUPAC must shrink the variance of the estimate.
//
// PLAYSIGHT_COVERAGE_EXPERIMENTS sets the number of experiments (default 400, at least 200).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "../support/checks.h"
#include "../support/temp_dir.h"

namespace playsight {
namespace {

using testing::run_playsight;

struct Interval {
  double estimate = 0, low = 0, high = 0, truth = 0, variance_reduction = 0;
};

// Per (method), every interval of every experiment and nudge group.
using Intervals = std::map<std::string, std::vector<Interval>>;

std::size_t experiment_count() {
  const char* text = std::getenv("PLAYSIGHT_COVERAGE_EXPERIMENTS");
  const long count = text ? std::atol(text) : 400;
  return static_cast<std::size_t>(std::max(200L, count));
}

// Generates experiment `seed`, measures it and adds its intervals.
void run_experiment(const testing::TempDir& dir, const std::string& model, int seed,
                    Intervals& intervals, std::mutex& lock) {
  const std::string logs = dir.file("logs-" + std::to_string(seed));
  const std::string out = dir.file("effect-" + std::to_string(seed));
  const auto generated = run_playsight("generate --players 4000 --seed " + std::to_string(seed) +
                                       " --threads 1 --out " + logs);
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  const auto measured = run_playsight(
      "effect --threads 1 --logs " + logs + " --model " + model + " --out " + out +
      " --no-uplift --progress never --bootstrap-resamples 1000 --seed " + std::to_string(seed));
  ASSERT_EQ(measured.exit_code, 0) << measured.output;
  std::ifstream in(out + "/effect.json");
  const auto report = nlohmann::json::parse(in);
  std::lock_guard<std::mutex> guard(lock);
  for (const auto& group : report["groups"]) {
    const auto& amount = group["outcomes"][0];
    EXPECT_EQ(amount["outcome"], "topup_amount");
    for (const auto& estimate : amount["absolute"]) {
      Interval interval;
      interval.estimate = estimate["estimate"];
      interval.low = estimate["ci_low"];
      interval.high = estimate["ci_high"];
      interval.truth = amount["true_effect"];
      interval.variance_reduction = estimate["variance_reduction"];
      intervals[estimate["method"].get<std::string>()].push_back(interval);
    }
  }
  std::filesystem::remove_all(logs);
  std::filesystem::remove_all(out);
}

double variance_of_errors(const std::vector<Interval>& intervals) {
  double mean = 0;
  for (const auto& i : intervals) mean += i.estimate - i.truth;
  mean /= static_cast<double>(intervals.size());
  double squares = 0;
  for (const auto& i : intervals) squares += std::pow(i.estimate - i.truth - mean, 2);
  return squares / static_cast<double>(intervals.size() - 1);
}

TEST(EffectCoverage, IntervalsCoverTheTrueEffectAndCupacShrinksTheVariance) {
  testing::TempDir dir;
  // The CUPAC model: trained on the month before the experiments, on other players (seed 1000).
  const std::string train_logs = dir.file("train-logs");
  ASSERT_EQ(run_playsight("generate --players 50000 --seed 1000 --out " + train_logs).exit_code, 0);
  const auto features = run_playsight(
      "features --logs " + train_logs +
      " --cutoff 2026-09-01 --no-item-groups --progress never --out " + dir.file("pre.csv"));
  ASSERT_EQ(features.exit_code, 0) << features.output;
  const auto trained =
      run_playsight("train --threads 1 --features " + dir.file("pre.csv") +
                    " --model tweedie_model --all-players --out " + dir.file("model"));
  ASSERT_EQ(trained.exit_code, 0) << trained.output;

  const std::size_t experiments = experiment_count();
  Intervals intervals;
  std::mutex lock;
  std::vector<std::thread> workers;
  for (int worker = 0; worker < 2; ++worker) {
    workers.emplace_back([&, worker] {
      for (std::size_t seed = 1 + worker; seed <= experiments; seed += 2)
        run_experiment(dir, dir.file("model"), static_cast<int>(seed), intervals, lock);
    });
  }
  for (auto& w : workers) w.join();

  std::printf("%zu experiments x 2 nudge groups, 4,000 players each:\n", experiments);
  std::printf("%-10s %10s %14s %16s\n", "method", "coverage", "error SD (KRW)", "mean var. red.");
  const double welch_variance = variance_of_errors(intervals["welch"]);
  for (const char* method : {"welch", "cuped", "cupac", "bootstrap"}) {
    const auto& list = intervals[method];
    ASSERT_EQ(list.size(), 2 * experiments) << method;
    std::size_t covered = 0;
    double reduction = 0;
    for (const auto& i : list) {
      covered += i.low <= i.truth && i.truth <= i.high;
      reduction += i.variance_reduction;
    }
    const double coverage = static_cast<double>(covered) / static_cast<double>(list.size());
    std::printf("%-10s %9.1f%% %14.0f %15.1f%%\n", method, 100 * coverage,
                std::sqrt(variance_of_errors(list)),
                100 * reduction / static_cast<double>(list.size()));
    EXPECT_GE(coverage, 0.93) << method;
    EXPECT_LE(coverage, 0.97) << method;
  }
  const double cupac_variance = variance_of_errors(intervals["cupac"]);
  const double cuped_variance = variance_of_errors(intervals["cuped"]);
  std::printf("variance of the estimate vs Welch: CUPED %.1f%% lower, CUPAC %.1f%% lower\n",
              100 * (1 - cuped_variance / welch_variance),
              100 * (1 - cupac_variance / welch_variance));
  // The spend model explains about half of the variance of a player's 30-day top-ups.
  EXPECT_LT(cupac_variance, 0.7 * welch_variance);
  EXPECT_LT(cupac_variance, cuped_variance);
}

}  // namespace
}  // namespace playsight
