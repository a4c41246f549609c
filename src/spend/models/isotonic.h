#pragma once
// Isotonic calibration: the monotone (non-decreasing) map from a model's prediction to the mean
// actual amount that fits best in squared error (pool-adjacent-violators), learnt on validation
// players. It keeps the players' order (so Gini and Spearman barely move), makes each band of
// predictions average to what those players really spend (decile calibration), and preserves the
// validation total. Between the fitted points the map is interpolated linearly; beyond them it is
// flat.
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

namespace playsight::spend {

class IsotonicCalibrator {
 public:
  // REQUIRES: predicted.size() == actual.size() > 0.
  void fit(std::span<const double> predicted, std::span<const double> actual);
  double operator()(double predicted) const;
  bool fitted() const { return !knots_x_.empty(); }

  nlohmann::json to_json() const;
  static IsotonicCalibrator from_json(const nlohmann::json& json);

 private:
  std::vector<double> knots_x_;  // mean prediction of each pooled block, increasing
  std::vector<double> knots_y_;  // mean actual of the block, non-decreasing
};

}  // namespace playsight::spend
