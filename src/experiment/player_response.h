#pragma once
// Per-player response to a nudge: for each nudged player, what they did minus what a model says
// they would have done without the nudge, with an interval taken from the model's errors on the
// control players (who were not nudged, so their errors are pure model error and noise).
//
// Method (a split-conformal interval, calibrated within bins of the prediction): the players are
// cut into `bins` equal-count bins of the model's prediction. In each bin, the control players'
// residuals r = actual - predicted give the bin's mean residual m (the model's bias there) and
// the (1 - level) / 2 and (1 + level) / 2 quantiles q_lo, q_hi. A player's
//   counterfactual = predicted + m,  response = actual - counterfactual,
//   interval = [actual - predicted - q_hi, actual - predicted - q_lo].
// Without a nudge the interval would contain 0 for a share `level` of players, so that share of
// control players is what "clearly positive" (interval above 0) gives by chance alone: the
// summary reports it beside the nudged players' share. The mean response of a group estimates
// its average effect (it is a regression-adjusted difference in means).
//
// Errors: InputError when the lengths differ, a value is not finite, the control group has fewer
// than 2 players in a bin, or bins is 0.
// Thread-safety: pure functions. Cost O(n log n).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace playsight::experiment {

struct ResponseOptions {
  double level = 0.95;
  std::size_t bins = 10;
};

struct PlayerResponses {
  // Per player, in input order (control players too: their "response" is the placebo).
  std::vector<double> counterfactual;
  std::vector<double> response;
  std::vector<double> low;
  std::vector<double> high;
  std::vector<std::uint32_t> bin;            // 0 .. bins-1, by prediction
  std::vector<double> bin_upper_prediction;  // upper edge of each bin's prediction range
};

// is_control[i] = 1 for control players. Players of every group get a response.
PlayerResponses player_responses(std::span<const double> actual, std::span<const double> predicted,
                                 std::span<const std::uint8_t> is_control,
                                 const ResponseOptions& options = {});

// A summary of the responses of the players with member[i] = 1.
struct ResponseSummary {
  std::size_t players = 0;
  double mean_response = 0;
  double median_response = 0;
  double share_clearly_positive = 0;  // interval above 0
  double share_clearly_negative = 0;  // interval below 0
};
ResponseSummary summarise_responses(const PlayerResponses& responses,
                                    std::span<const std::uint8_t> member);

}  // namespace playsight::experiment
