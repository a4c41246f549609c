#pragma once
// PowerCalibration: a monotone map of predicted amounts, p -> a p^b, fitted so that within
// equal-count buckets of the prediction the mean prediction matches the mean actual amount (least
// squares on the logs of the bucket means), then scaled so that the totals match. A model trained
// on quieter windows than the one it predicts errs both in level (a) and in shape (b): in a
// shop's peak, customers predicted to buy little come back more often than in the windows it
// learnt from, so low predictions rise more than high ones (b < 1). Ranks, and so the Gini, are
// unchanged (b > 0 is enforced).
#include <span>
#include <string>

namespace playsight::spend::history {

struct PowerCalibration {
  double scale = 1;     // a
  double exponent = 1;  // b
  double operator()(double predicted) const;
  std::string describe() const;  // "x 1.23 ^ 0.87"
};

// Fits on pairs (predicted, actual) of one window. The identity when there are fewer than two
// buckets with spend, or no spend at all.
PowerCalibration fit_power_calibration(std::span<const double> predicted,
                                       std::span<const double> actual, int buckets = 20);

}  // namespace playsight::spend::history
