// Selection: a hand-made instance solved by hand, the greedy's guarantee against the exact
// optimum on generated players over the real municipalities, and brute force on small instances.
#include "geo/selection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "../support/checks.h"
#include "core/random.h"
#include "geo/coverage.h"
#include "geo/exact.h"
#include "geo/player_placement.h"

namespace playsight::geo {
namespace {

using playsight::testing::input_error_of;

// Regions worth 10, 6, 6, 4. Sites (cost: regions): s0 (4: r0), s1 (4: r1 r2), s2 (5: r0 r3),
// s3 (1: r3). Budget 8.
// Greedy by weight per cost: s3 (4/1), then s1 (12/4), then s0 (10/4) and s2 (10/5) no longer fit:
// 16 for cost 5. The best single site is s2 (14). The optimum is s0 + s1: 22 for cost 8.
CoverageProblem hand_made() {
  CoverageProblem problem;
  problem.region_weight = {10, 6, 6, 4};
  problem.sites = {Site{"s0", 4, {0}}, Site{"s1", 4, {1, 2}}, Site{"s2", 5, {0, 3}},
                   Site{"s3", 1, {3}}};
  return problem;
}

TEST(Selection, HandMadeInstanceGreedyAndExact) {
  const CoverageProblem problem = hand_made();
  const GreedyResult greedy = greedy_selection(problem, 8);
  EXPECT_EQ(greedy.ratio_greedy.sites, (std::vector<std::size_t>{3, 1}));
  EXPECT_EQ(greedy.ratio_greedy.gains, (std::vector<double>{4, 12}));
  EXPECT_DOUBLE_EQ(greedy.ratio_greedy.cost, 5);
  EXPECT_EQ(greedy.best_single.sites, (std::vector<std::size_t>{2}));
  EXPECT_DOUBLE_EQ(greedy.best_single.value, 14);
  EXPECT_DOUBLE_EQ(greedy.chosen.value, 16);
  EXPECT_EQ(greedy.chosen.method, "greedy");
  EXPECT_DOUBLE_EQ(greedy.guarantee, kGreedyGuaranteeAnyCosts);

  const ExactResult exact = exact_selection(problem, 8);
  EXPECT_TRUE(exact.optimal);
  EXPECT_DOUBLE_EQ(exact.selection.value, 22);
  EXPECT_DOUBLE_EQ(exact.selection.cost, 8);
  EXPECT_EQ(exact.selection.sites, (std::vector<std::size_t>{1, 0}));  // ranked by own weight
  EXPECT_DOUBLE_EQ(exact.gap, 0);
  EXPECT_GE(greedy.chosen.value, greedy.guarantee * exact.selection.value);
}

TEST(Selection, BestSingleSiteWinsWhenTheGreedyIsLured) {
  // A cheap site with a high ratio uses the budget that the one valuable site needed.
  CoverageProblem problem;
  problem.region_weight = {20, 100};
  problem.sites = {Site{"cheap", 1, {0}}, Site{"dear", 10, {1}}};  // 20 per unit against 10
  const GreedyResult greedy = greedy_selection(problem, 10);
  EXPECT_DOUBLE_EQ(greedy.ratio_greedy.value, 20);
  EXPECT_EQ(greedy.chosen.method, "best single site");
  EXPECT_DOUBLE_EQ(greedy.chosen.value, 100);
}

TEST(Selection, UniformCostsGiveTheCardinalityGuarantee) {
  CoverageProblem problem = hand_made();
  for (Site& site : problem.sites) site.cost = 2;
  const GreedyResult greedy = greedy_selection(problem, 4);
  EXPECT_DOUBLE_EQ(greedy.guarantee, kGreedyGuaranteeUniformCosts);
  EXPECT_EQ(greedy.chosen.sites.size(), 2u);
  EXPECT_DOUBLE_EQ(greedy.chosen.value, 26);  // s2 (14), then s1 (12)
  EXPECT_DOUBLE_EQ(exact_selection(problem, 4).selection.value, 26);
}

TEST(Selection, BudgetBelowTheCheapestSiteIsAnError) {
  const CoverageProblem problem = hand_made();
  EXPECT_EQ(input_error_of([&] { check_budget(problem, 0.5); }),
            "--budget: 0.5 is below the cheapest site's cost (1): no site can be bought");
  EXPECT_EQ(input_error_of([&] { check_budget(problem, 0); }),
            "--budget: a positive budget was expected");
}

// Small random instances: the ILP equals brute force, and the greedy keeps its guarantee.
TEST(Selection, ExactEqualsBruteForceOnSmallRandomInstances) {
  Rng rng(5);
  for (int instance = 0; instance < 40; ++instance) {
    CoverageProblem problem;
    for (int r = 0; r < 15; ++r) problem.region_weight.push_back(std::floor(rng.uniform(0, 20)));
    for (int s = 0; s < 11; ++s) {
      Site site{"s" + std::to_string(s), std::floor(rng.uniform(1, 8)), {}};
      for (std::uint32_t r = 0; r < 15; ++r)
        if (rng.uniform() < 0.2) site.regions.push_back(r);
      problem.sites.push_back(site);
    }
    const double budget = 12;
    double best = 0;
    for (unsigned mask = 0; mask < (1u << 11); ++mask) {
      std::vector<std::size_t> chosen;
      for (std::size_t s = 0; s < 11; ++s)
        if (mask >> s & 1) chosen.push_back(s);
      if (problem.cost(chosen) <= budget) best = std::max(best, problem.value(chosen));
    }
    const ExactResult exact = exact_selection(problem, budget);
    ASSERT_TRUE(exact.optimal);
    EXPECT_DOUBLE_EQ(exact.selection.value, best) << "instance " << instance;
    const GreedyResult greedy = greedy_selection(problem, budget);
    EXPECT_GE(greedy.chosen.value, greedy.guarantee * best - 1e-9) << "instance " << instance;
    EXPECT_LE(greedy.chosen.cost, budget);
  }
}

// Generated players over the real municipalities: billboard sites at every centroid with a reach
// of 10-30 km and a cost that grows with the population reached; budgets from small to large.
TEST(Selection, GreedyWithinItsGuaranteeOfTheOptimumOnTheRealMunicipalities) {
  const RegionSet regions = read_regions(PLAYSIGHT_SOURCE_DIR "/data/korea/municipalities.csv");
  PlayersToPlace players;
  Rng rng(11);
  for (std::int64_t id = 1; id <= 50'000; ++id) {
    players.player_ids.push_back(id);
    players.ages.push_back(14 + std::floor(rng.uniform() * rng.uniform() * 50));
  }
  const std::vector<std::uint32_t> home = place_players(regions, players, 42);
  CoverageProblem problem;
  problem.region_weight.assign(regions.size(), 0.0);
  for (std::size_t p = 0; p < home.size(); ++p)
    problem.region_weight[home[p]] += lognormal(rng, 8, 1.5) * (rng.uniform() < 0.1);
  for (const Region& region : regions.regions) {
    const double radius = 10 + 10 * static_cast<double>(rng.below(3));
    Site site{"S" + region.code,
              0,
              regions_within(regions, region.longitude, region.latitude, radius),
              region.longitude,
              region.latitude,
              radius};
    double population = 0;
    for (std::uint32_t r : site.regions)
      population += regions.regions[r].has_population() ? regions.regions[r].population : 0;
    site.cost = std::round(100 * (1 + population / 500'000 * rng.uniform(0.7, 1.3))) / 100;
    problem.sites.push_back(site);
  }
  double worst = 1;
  for (double budget : {5.0, 10.0, 20.0, 40.0, 80.0}) {
    const GreedyResult greedy = greedy_selection(problem, budget);
    ExactOptions options;
    options.time_limit_seconds = 20;
    options.start = &greedy.chosen;
    const ExactResult exact = exact_selection(problem, budget, options);
    if (!exact.optimal) continue;  // only instances the solver finishes count
    const double ratio = greedy.chosen.value / exact.selection.value;
    std::printf(
        "budget %4.0f: greedy %.0f, optimum %.0f, ratio %.4f, ILP %.2f s, %zu gain "
        "evaluations for %zu sites\n",
        budget, greedy.chosen.value, exact.selection.value, ratio, exact.seconds,
        greedy.ratio_greedy.gain_evaluations, problem.sites.size());
    EXPECT_GE(ratio, kGreedyGuaranteeAnyCosts);
    EXPECT_LE(ratio, 1 + 1e-12);
    EXPECT_LE(exact.selection.cost, budget + 1e-9);
    worst = std::min(worst, ratio);
  }
  EXPECT_LT(worst, 1.0 + 1e-12);
}

}  // namespace
}  // namespace playsight::geo
