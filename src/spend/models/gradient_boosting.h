#pragma once
// Gradient-boosted trees through XGBoost's C API: one objective per model stage (squared, absolute
// or MAPE-after-+c error, Tweedie, Gamma, logistic), early stopping on a validation set by the
// objective's own loss, and the model saved as XGBoost JSON (which Python's xgboost loads too).
//
// MAPE after adding c, |y - p| / (y + c), is not an XGBoost objective: it is given as a custom
// objective (gradient sign(p - y) / (y + c), a constant Hessian scaled so that one round moves a
// prediction by up to learning_rate x the typical payer amount rather than by a fraction of a KRW).
//
// Thread-safety: a GradientBoosting is used from one thread at a time; XGBoost uses `threads`.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "spend/models/feature_matrix.h"

namespace playsight::spend {

enum class BoostingObjective {
  kSquaredError,
  kAbsoluteError,
  kMapeAfterOffset,
  kTweedie,
  kGamma,
  kLogistic
};

std::string objective_name(BoostingObjective objective);

struct BoostingParams {
  BoostingObjective objective = BoostingObjective::kSquaredError;
  double tweedie_power = 1.5;  // kTweedie: variance power in (1, 2)
  double mape_offset = 1000;   // kMapeAfterOffset: c
  int max_depth = 6;
  double learning_rate = 0.1;
  double subsample = 0.8;
  double column_sample = 0.8;
  double min_child_weight = 1;
  int max_rounds = 1000;
  int early_stopping_rounds = 30;
  unsigned threads = 0;  // 0: all cores
  std::uint64_t seed = 42;
  // Squared or absolute error on a target that may be negative (an effect, a residual): labels
  // are not checked for sign and predictions are not clamped at 0. Amount models leave it off.
  bool signed_target = false;
};

class GradientBoosting {
 public:
  explicit GradientBoosting(BoostingParams params);
  ~GradientBoosting();
  GradientBoosting(GradientBoosting&&) noexcept;
  GradientBoosting& operator=(GradientBoosting&&) noexcept;

  // Trains on (train, y_train), stopping when the validation loss has not improved for
  // early_stopping_rounds rounds, and keeps the best round's trees. Throws InputError for empty
  // sets or labels the objective cannot take (negative amounts; non-positive for Gamma).
  void fit(const FeatureMatrix& train, std::span<const double> y_train, const FeatureMatrix& valid,
           std::span<const double> y_valid);

  // On the response scale: amounts, or probabilities for kLogistic. REQUIRES: fitted or loaded.
  std::vector<double> predict(const FeatureMatrix& x) const;

  void save(const std::string& path) const;  // XGBoost JSON
  static GradientBoosting load(const std::string& path, BoostingParams params);

  const BoostingParams& params() const { return params_; }
  int rounds() const { return rounds_; }  // trees kept (best round + 1)
  double best_validation_loss() const { return best_loss_; }

 private:
  struct Handles;
  BoostingParams params_;
  std::unique_ptr<Handles> handles_;
  int rounds_ = 0;
  double best_loss_ = 0;
};

}  // namespace playsight::spend
