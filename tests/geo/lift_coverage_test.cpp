// The lift intervals against the truth: campaigns simulated over the real municipalities with a
// known lift, analysed as `playsight geo lift` does. Checks the intervals' coverage, the placebo
// rejection rate and the design helper's minimum detectable lift (its power).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/random.h"
#include "geo/campaign_simulation.h"
#include "geo/design.h"
#include "geo/lift.h"
#include "geo/regions.h"

namespace playsight::geo {
namespace {

const RegionSet& municipalities() {
  static const RegionSet regions =
      read_regions(PLAYSIGHT_SOURCE_DIR "/data/korea/municipalities.csv");
  return regions;
}

struct World {
  std::vector<std::string> codes;
  std::vector<double> base;
};

World population_world() {
  World world;
  for (const Region& region : municipalities().regions) {
    world.codes.push_back(region.code);
    world.base.push_back(region.has_population() ? region.population / 1000 : 0.0);
  }
  return world;
}

// treated_count regions drawn at random among those with a base (a new draw per campaign).
std::vector<std::string> draw_treated(const World& world, std::size_t count, std::uint64_t seed) {
  std::vector<std::size_t> candidates;
  for (std::size_t r = 0; r < world.codes.size(); ++r)
    if (world.base[r] > 0) candidates.push_back(r);
  Rng rng(seed, 99);
  std::vector<std::string> treated;
  for (std::size_t k = 0; k < count; ++k) {
    std::swap(candidates[k], candidates[k + rng.below(candidates.size() - k)]);
    treated.push_back(world.codes[candidates[k]]);
  }
  return treated;
}

TEST(LiftCoverage, IntervalsCoverTheTrueLiftAndPlacebosRejectAtTheNominalRate) {
  const World world = population_world();
  constexpr int kCampaigns = 1000;
  int covered = 0, significant = 0;
  std::size_t placebo_draws = 0, placebo_rejected = 0, time_rejected = 0;
  for (int c = 0; c < kCampaigns; ++c) {
    CampaignOptions options;
    options.seed = 1000 + static_cast<std::uint64_t>(c);
    options.lift = 0.05;
    const SimulatedCampaign campaign =
        simulate_campaign(world.codes, world.base, draw_treated(world, 20, options.seed), options);
    LiftOptions lift;
    lift.start = campaign.start;
    lift.placebo_draws = 10;
    lift.seed = options.seed;
    const LiftAnalysis analysis = analyse_lift(campaign.panel, campaign.treated, lift);
    const double truth = std::log1p(campaign.true_lift);
    covered += analysis.estimate.log_low <= truth && truth <= analysis.estimate.log_high;
    significant += analysis.estimate.significant();
    placebo_draws += analysis.placebo_regions.draws;
    placebo_rejected += analysis.placebo_regions.rejected;
    time_rejected += analysis.placebo_time.significant();
  }
  const double coverage = static_cast<double>(covered) / kCampaigns;
  const double placebo_rate =
      static_cast<double>(placebo_rejected) / static_cast<double>(placebo_draws);
  const double time_rate = static_cast<double>(time_rejected) / kCampaigns;
  std::printf("coverage %.3f, power at +5%% %.3f, placebo rejection %.3f (regions), %.3f (time)\n",
              coverage, static_cast<double>(significant) / kCampaigns, placebo_rate, time_rate);
  EXPECT_GE(coverage, 0.93);
  EXPECT_LE(coverage, 0.97);
  EXPECT_NEAR(placebo_rate, 0.05, 0.015);
  EXPECT_NEAR(time_rate, 0.05, 0.02);
}

// Billboards go where the players are: treated regions chosen, not drawn (here the 20 most
// populous, as a selection by players reached would). The interval still covers.
TEST(LiftCoverage, CoversWhenTheTreatedRegionsAreTheLargest) {
  const World world = population_world();
  std::vector<std::size_t> order(world.codes.size());
  for (std::size_t r = 0; r < order.size(); ++r) order[r] = r;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return world.base[a] > world.base[b]; });
  std::vector<std::string> treated;
  for (std::size_t k = 0; k < 20; ++k) treated.push_back(world.codes[order[k]]);
  constexpr int kCampaigns = 400;
  int covered = 0;
  for (int c = 0; c < kCampaigns; ++c) {
    CampaignOptions options;
    options.seed = 9000 + static_cast<std::uint64_t>(c);
    options.lift = 0.03;
    const SimulatedCampaign campaign = simulate_campaign(world.codes, world.base, treated, options);
    LiftOptions lift;
    lift.start = campaign.start;
    lift.placebo_draws = 0;
    const LiftEstimate e = analyse_lift(campaign.panel, campaign.treated, lift).estimate;
    const double truth = std::log1p(campaign.true_lift);
    covered += e.log_low <= truth && truth <= e.log_high;
  }
  const double coverage = static_cast<double>(covered) / kCampaigns;
  std::printf("coverage with the 20 largest regions treated: %.3f\n", coverage);
  EXPECT_GE(coverage, 0.92);
  EXPECT_LE(coverage, 0.975);
}

}  // namespace
}  // namespace playsight::geo

namespace playsight::geo {
namespace {

// The design's minimum detectable lift, planned from a history without campaign, is detected with
// about the stated power (80 %) when campaigns of exactly that lift run. One history's MDE is an
// estimate (from the spread of a few treated regions), so the check runs over 20 histories, each
// with its own stratified draw of 10 treated regions and 25 campaigns. The backtests use a
// shorter baseline than the real analysis, which errs on the safe side.
TEST(DesignPower, CampaignsAtTheMinimumDetectableLiftAreDetectedWithTheStatedPower) {
  const World world = population_world();
  int detected = 0, campaigns = 0;
  double mean_mde = 0;
  for (int h = 0; h < 20; ++h) {
    CampaignOptions history_options;
    history_options.seed = 700 + static_cast<std::uint64_t>(h);
    history_options.lift = 0;
    const SimulatedCampaign history =
        simulate_campaign(world.codes, world.base, {}, history_options);
    KpiPanel past = history.panel;  // the 56 days before the start: what the planner has
    for (auto& series : past.value) series.resize(history_options.pre_days);
    past.days = history_options.pre_days;
    DesignOptions options;
    options.treated_count = 10;
    options.post_days = 28;
    options.seed = history_options.seed;
    const Design design = plan_design(past, {}, options);
    EXPECT_EQ(design.treated.size(), 10u);
    mean_mde += design.mde_lift / 20;
    for (int c = 0; c < 25; ++c, ++campaigns) {
      CampaignOptions campaign_options;
      campaign_options.seed = 5000 + static_cast<std::uint64_t>(campaigns);
      campaign_options.lift = design.mde_lift;
      const SimulatedCampaign campaign =
          simulate_campaign(world.codes, world.base, design.treated, campaign_options);
      LiftOptions lift;
      lift.start = campaign.start;
      lift.placebo_draws = 0;
      detected += analyse_lift(campaign.panel, campaign.treated, lift).estimate.significant();
    }
  }
  const double power = static_cast<double>(detected) / campaigns;
  std::printf(
      "design: mean MDE %+.2f%% with 10 treated regions; detected in %.3f of %d campaigns\n",
      100 * mean_mde, power, campaigns);
  EXPECT_GT(mean_mde, 0.01);
  EXPECT_LT(mean_mde, 0.15);
  EXPECT_GE(power, 0.72);
  EXPECT_LE(power, 0.92);
}

}  // namespace
}  // namespace playsight::geo
