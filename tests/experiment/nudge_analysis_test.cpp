#include "experiment/nudge_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "../support/checks.h"
#include "core/random.h"
#include "experiment/effect_report.h"

namespace playsight::experiment {
namespace {

using playsight::testing::input_error_of;

// control / nudge_a (+300 KRW on average, only for players who paid before) / nudge_b (none).
NudgePlayers simulate(std::size_t n, std::uint64_t seed) {
  NudgePlayers p;
  p.group_names = {"control", "nudge_a", "nudge_b"};
  p.control_group = 0;
  Rng rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    const auto group = static_cast<std::uint32_t>(i % 4 == 0 ? 1 : i % 4 == 1 ? 2 : 0);
    const bool paid = rng.uniform() < 0.4;
    const double level = paid ? lognormal(rng, 8, 1) : 0;  // a player's usual monthly top-up
    const double effect = paid ? 750 : 0;
    const double spend = level + normal(rng, 0, 1500) + (group == 1 ? effect : 0);
    p.player_ids.push_back(static_cast<std::int64_t>(i + 1));
    p.group.push_back(group);
    p.topup_amount.push_back(std::round(spend));
    p.topup_count.push_back(spend > 0 ? 1 + std::floor(spend / 5000) : 0);
    const double pre = std::max(0.0, level + normal(rng, 0, 1500));
    p.pre_topup_amount.push_back(std::round(pre));
    p.pre_topup_count.push_back(pre > 0 ? 1 + std::floor(pre / 5000) : 0);
    p.prediction.push_back(level * 1.1);  // a slightly biased model
    p.paid_before.push_back(paid);
    p.active_days_before.push_back(static_cast<double>(i % 9));
    p.true_effect.push_back(effect);
  }
  p.control_truth_group = "nudge_a";
  return p;
}

TEST(AnalyseNudges, EstimatesEveryGroupOutcomeAndSegment) {
  const NudgePlayers players = simulate(40000, 5);
  AnalysisOptions options;
  options.bootstrap_resamples = 400;
  const NudgeAnalysis analysis = analyse_nudges(players, options, nullptr);
  EXPECT_EQ(analysis.control_group, "control");
  EXPECT_EQ(analysis.control_players, 20000u);
  ASSERT_EQ(analysis.groups.size(), 2u);
  const GroupAnalysis& a = analysis.groups[0];
  EXPECT_EQ(a.group, "nudge_a");
  EXPECT_EQ(a.players, 10000u);
  ASSERT_EQ(a.outcomes.size(), 3u);
  const OutcomeEffects& amount = a.outcomes[0];
  ASSERT_TRUE(amount.true_effect.has_value());
  // The true effect: 750 KRW for the 40% who paid before.
  EXPECT_NEAR(*amount.true_effect, 300, 15);
  ASSERT_EQ(amount.absolute.size(), 4u);
  for (const EffectEstimate& e : amount.absolute) {
    EXPECT_NEAR(e.estimate, *amount.true_effect, 3 * e.standard_error) << e.method;
    EXPECT_NEAR(e.ci_high - e.ci_low, 2 * 1.96 * e.standard_error, 0.2 * e.standard_error)
        << e.method;
  }
  // The prediction is the usual level: CUPAC removes most of the variance, CUPED some.
  EXPECT_GT(amount.absolute[2].variance_reduction, 0.5);
  EXPECT_GT(amount.absolute[2].variance_reduction, amount.absolute[1].variance_reduction);
  // nudge_b does nothing.
  const EffectEstimate& b = analysis.groups[1].outcomes[0].absolute[2];
  EXPECT_LT(b.ci_low, 0);
  EXPECT_GT(b.ci_high, 0);
  // Segments: paid before yes/no, 4 activity levels, 10 deciles; the effect is where it was put.
  ASSERT_EQ(a.segments.size(), 16u);
  EXPECT_EQ(a.segments[0].level, "yes");
  ASSERT_TRUE(a.segments[0].cupac.has_value());
  EXPECT_NEAR(a.segments[0].cupac->estimate, 750, 150);
  // Those who never paid all have prediction 0: CUPAC cannot run there, and says why.
  ASSERT_TRUE(a.segments[1].welch.has_value());
  EXPECT_NEAR(a.segments[1].welch->estimate, 0, 3 * a.segments[1].welch->standard_error);
  EXPECT_FALSE(a.segments[1].cupac.has_value());
  EXPECT_NE(a.segments[1].note.find("constant"), std::string::npos) << a.segments[1].note;
  // Planning: covariates shrink the detectable effect and the players needed.
  ASSERT_FALSE(a.planning.empty());
  EXPECT_LT(a.planning[0].mde_cupac, a.planning[0].mde_plain);
  EXPECT_LT(a.planning[0].players_cupac, a.planning[0].players_plain);
  EXPECT_EQ(a.uplift_note, "uplift models not requested");
  // Per player: the nudged players' mean response is the effect.
  EXPECT_NEAR(a.response.mean_response, 300, 60);
  EXPECT_NEAR(analysis.control_response.share_clearly_positive, 0.025, 0.01);
  // The reports hold the same numbers.
  const auto json = effect_json(analysis, EffectContext{});
  EXPECT_EQ(json["groups"][0]["outcomes"][0]["absolute"][2]["method"], "cupac");
  EXPECT_DOUBLE_EQ(json["groups"][0]["outcomes"][0]["absolute"][2]["estimate"].get<double>(),
                   amount.absolute[2].estimate);
  EXPECT_NE(effect_html(analysis, EffectContext{}).find("nudge_a vs control"), std::string::npos);
  EXPECT_NE(effect_summary(analysis, EffectContext{}).find("nudge_b (10000 players) vs control"),
            std::string::npos);
}

TEST(AnalyseNudges, RejectsInputsThatCannotBeAnalysed) {
  NudgePlayers players = simulate(400, 6);
  players.prediction.pop_back();
  EXPECT_EQ(input_error_of([&] { analyse_nudges(players, {}, nullptr); }),
            "nudge analysis: prediction has 399 entries for 400 players");
  players = simulate(400, 6);
  for (auto& g : players.group) g = g == 2 ? 0 : g;  // nobody left in nudge_b
  EXPECT_EQ(input_error_of([&] { analyse_nudges(players, {}, nullptr); }),
            "nudge analysis: the nudge group 'nudge_b' has 0 players; at least 2 are needed");
  for (auto& g : players.group) g = 0;
  players.group[0] = 1;
  EXPECT_EQ(input_error_of([&] { analyse_nudges(players, {}, nullptr); }),
            "nudge analysis: the nudge group 'nudge_a' has 1 player; at least 2 are needed");
}

}  // namespace
}  // namespace playsight::experiment
