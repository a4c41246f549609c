#include "experiment/player_response.h"

#include <gtest/gtest.h>

#include <vector>

#include "../support/checks.h"
#include "core/random.h"

namespace playsight::experiment {
namespace {

using playsight::testing::input_error_of;

// Outcome = prediction + bias + noise; nudged players get +effect on top.
struct Players {
  std::vector<double> actual, predicted;
  std::vector<std::uint8_t> control;
};

Players simulate(std::size_t n, double bias, double effect, std::uint64_t seed) {
  Players p;
  Rng rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    const double prediction = rng.uniform(0, 100);
    const bool is_control = i % 2 == 0;
    const double noise = normal(rng, 0, 5 + prediction / 10);  // wider for larger predictions
    p.predicted.push_back(prediction);
    p.actual.push_back(prediction + bias + noise + (is_control ? 0 : effect));
    p.control.push_back(is_control);
  }
  return p;
}

TEST(PlayerResponses, WithoutAnEffectAboutLevelOfIntervalsHoldZero) {
  const Players p = simulate(40000, 3, 0, 1);
  const PlayerResponses r = player_responses(p.actual, p.predicted, p.control);
  const ResponseSummary control = summarise_responses(r, p.control);
  std::vector<std::uint8_t> nudged(p.control.size());
  for (std::size_t i = 0; i < nudged.size(); ++i) nudged[i] = !p.control[i];
  const ResponseSummary treated = summarise_responses(r, nudged);
  // The model's bias (3) is measured on control players and removed.
  EXPECT_NEAR(control.mean_response, 0, 1e-9);
  EXPECT_NEAR(treated.mean_response, 0, 0.15);
  // Two-sided 95%: 2.5% above, 2.5% below, on players the calibration did not see too.
  EXPECT_NEAR(treated.share_clearly_positive, 0.025, 0.004);
  EXPECT_NEAR(treated.share_clearly_negative, 0.025, 0.004);
  EXPECT_EQ(r.bin_upper_prediction.size(), 10u);
}

TEST(PlayerResponses, AnEffectShowsInTheMeanResponseAndTheClearlyPositiveShare) {
  const Players p = simulate(40000, -2, 12, 2);
  const PlayerResponses r = player_responses(p.actual, p.predicted, p.control);
  std::vector<std::uint8_t> nudged(p.control.size());
  for (std::size_t i = 0; i < nudged.size(); ++i) nudged[i] = !p.control[i];
  const ResponseSummary treated = summarise_responses(r, nudged);
  EXPECT_NEAR(treated.mean_response, 12, 0.2);
  EXPECT_GT(treated.share_clearly_positive, 0.15);
  EXPECT_LT(treated.share_clearly_negative, 0.01);
  // A player's interval is actual - predicted minus the bin's residual quantiles.
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_LT(r.low[i], r.response[i]);
    EXPECT_GT(r.high[i], r.response[i]);
    EXPECT_NEAR(r.counterfactual[i] + r.response[i], p.actual[i], 1e-9);
  }
}

TEST(PlayerResponses, RejectsBadInput) {
  const std::vector<double> two{1, 2};
  const std::vector<double> three{1, 2, 3};
  const std::vector<std::uint8_t> flags{0, 0};  // 0 = nudged: no control player
  EXPECT_NE(input_error_of([&] {
              player_responses(two, three, flags);
            }).find("2 outcomes, 3 predictions and 2 group flags"),
            std::string::npos);
  EXPECT_EQ(input_error_of([&] { player_responses(two, two, flags); }),
            "player responses: prediction bin 1 of 2 has 0 control players; at least 2 are "
            "needed to measure the model's error");
}

}  // namespace
}  // namespace playsight::experiment
