#include "spend/models/gradient_boosting.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "core/parallel.h"

namespace playsight::spend {
namespace {

void check(int status, const char* what) {
  if (status != 0) throw Error(std::string("XGBoost: ") + what + ": " + XGBGetLastError());
}

struct MatrixHandle {
  DMatrixHandle handle = nullptr;
  MatrixHandle(const FeatureMatrix& x, std::span<const double> labels, unsigned threads) {
    check(XGDMatrixCreateFromMat_omp(x.values().data(), x.rows(), x.columns(),
                                     std::numeric_limits<float>::quiet_NaN(), &handle,
                                     static_cast<int>(resolve_thread_count(threads))),
          "creating a matrix");
    if (!labels.empty()) {
      std::vector<float> as_float(labels.begin(), labels.end());
      check(XGDMatrixSetFloatInfo(handle, "label", as_float.data(), as_float.size()),
            "setting labels");
    }
  }
  ~MatrixHandle() {
    if (handle) XGDMatrixFree(handle);
  }
  MatrixHandle(const MatrixHandle&) = delete;
  MatrixHandle& operator=(const MatrixHandle&) = delete;
};

// Predictions of `booster` on `matrix` (cached by XGBoost for matrices the booster was created
// with, so each round only adds the newest tree). `training` as XGBoost defines it.
std::vector<double> predict_raw(BoosterHandle booster, DMatrixHandle matrix, bool training) {
  const std::string config =
      std::string("{\"type\": 0, \"training\": ") + (training ? "true" : "false") +
      ", \"iteration_begin\": 0, \"iteration_end\": 0, \"strict_shape\": false}";
  bst_ulong const* shape = nullptr;
  bst_ulong dimensions = 0;
  float const* result = nullptr;
  check(XGBoosterPredictFromDMatrix(booster, matrix, config.c_str(), &shape, &dimensions, &result),
        "predicting");
  bst_ulong count = 1;
  for (bst_ulong d = 0; d < dimensions; ++d) count *= shape[d];
  return std::vector<double>(result, result + count);
}

// The objective's own loss on the response scale, for early stopping.
double validation_loss(const BoostingParams& params, std::span<const double> y,
                       const std::vector<double>& p) {
  double total = 0;
  const double rho = params.tweedie_power;
  for (std::size_t i = 0; i < y.size(); ++i) {
    switch (params.objective) {
      case BoostingObjective::kSquaredError:
        total += (y[i] - p[i]) * (y[i] - p[i]);
        break;
      case BoostingObjective::kAbsoluteError:
        total += std::fabs(y[i] - p[i]);
        break;
      case BoostingObjective::kMapeAfterOffset:
        total += std::fabs(y[i] - p[i]) / (y[i] + params.mape_offset);
        break;
      case BoostingObjective::kTweedie: {  // negative log-likelihood up to terms without p
        const double mu = std::max(p[i], 1e-12);
        total += -y[i] * std::pow(mu, 1 - rho) / (1 - rho) + std::pow(mu, 2 - rho) / (2 - rho);
        break;
      }
      case BoostingObjective::kGamma: {
        const double mu = std::max(p[i], 1e-12);
        total += y[i] / mu + std::log(mu);
        break;
      }
      case BoostingObjective::kLogistic: {
        const double q = std::clamp(p[i], 1e-12, 1 - 1e-12);
        total += y[i] > 0.5 ? -std::log(q) : -std::log(1 - q);
        break;
      }
    }
  }
  return total / static_cast<double>(std::max<std::size_t>(1, y.size()));
}

void check_labels(const BoostingParams& params, std::span<const double> y, const char* set) {
  if (y.empty()) throw InputError(std::string("the ") + set + " set is empty: nothing to train on");
  for (double value : y) {
    if (!std::isfinite(value))
      throw InputError(std::string("the ") + set + " labels hold a missing or infinite value");
    if (params.objective == BoostingObjective::kGamma && value <= 0) {
      throw InputError(std::string("a Gamma regression needs amounts > 0; the ") + set +
                       " labels hold " + std::to_string(value));
    }
    const bool may_be_negative =
        params.signed_target && (params.objective == BoostingObjective::kSquaredError ||
                                 params.objective == BoostingObjective::kAbsoluteError);
    if (params.objective != BoostingObjective::kLogistic && !may_be_negative && value < 0) {
      throw InputError(std::string("the ") + set + " labels hold a negative amount (" +
                       std::to_string(value) + ")");
    }
  }
}

}  // namespace

std::string objective_name(BoostingObjective objective) {
  switch (objective) {
    case BoostingObjective::kSquaredError:
      return "reg:squarederror";
    case BoostingObjective::kAbsoluteError:
      return "reg:absoluteerror";
    case BoostingObjective::kMapeAfterOffset:
      return "custom:mape_after_offset";
    case BoostingObjective::kTweedie:
      return "reg:tweedie";
    case BoostingObjective::kGamma:
      return "reg:gamma";
    case BoostingObjective::kLogistic:
      return "binary:logistic";
  }
  return "?";
}

struct GradientBoosting::Handles {
  BoosterHandle booster = nullptr;
  ~Handles() {
    if (booster) XGBoosterFree(booster);
  }
};

GradientBoosting::GradientBoosting(BoostingParams params) : params_(params) {}
GradientBoosting::~GradientBoosting() = default;
GradientBoosting::GradientBoosting(GradientBoosting&&) noexcept = default;
GradientBoosting& GradientBoosting::operator=(GradientBoosting&&) noexcept = default;

void GradientBoosting::fit(const FeatureMatrix& train, std::span<const double> y_train,
                           const FeatureMatrix& valid, std::span<const double> y_valid) {
  check_labels(params_, y_train, "training");
  check_labels(params_, y_valid, "validation");
  const MatrixHandle train_matrix(train, y_train, params_.threads);
  const MatrixHandle valid_matrix(valid, y_valid, params_.threads);
  DMatrixHandle cached[] = {train_matrix.handle, valid_matrix.handle};
  auto handles = std::make_unique<Handles>();
  check(XGBoosterCreate(cached, 2, &handles->booster), "creating a booster");
  BoosterHandle booster = handles->booster;
  const auto set = [&](const char* name, const std::string& value) {
    check(XGBoosterSetParam(booster, name, value.c_str()), name);
  };
  const bool custom = params_.objective == BoostingObjective::kMapeAfterOffset;
  set("objective", custom ? "reg:squarederror" : objective_name(params_.objective));
  if (params_.objective == BoostingObjective::kTweedie) {
    set("tweedie_variance_power", std::to_string(params_.tweedie_power));
  }
  set("tree_method", "hist");
  set("max_depth", std::to_string(params_.max_depth));
  set("eta", std::to_string(params_.learning_rate));
  set("subsample", std::to_string(params_.subsample));
  set("colsample_bytree", std::to_string(params_.column_sample));
  set("min_child_weight", std::to_string(params_.min_child_weight));
  set("nthread", std::to_string(resolve_thread_count(params_.threads)));
  set("seed", std::to_string(params_.seed % 2147483647));
  set("verbosity", "0");
  // Start from the mean (XGBoost 1.7 starts from 0.5 whatever the scale, which leaves log-link
  // objectives hundreds of rounds away from amounts in KRW).
  if (!custom) {
    const double mean =
        std::accumulate(y_train.begin(), y_train.end(), 0.0) / static_cast<double>(y_train.size());
    const bool log_link = params_.objective == BoostingObjective::kTweedie ||
                          params_.objective == BoostingObjective::kGamma;
    const double start = params_.objective == BoostingObjective::kLogistic
                             ? std::clamp(mean, 1e-6, 1 - 1e-6)
                         : log_link ? std::max(mean, 1e-6)
                                    : mean;
    set("base_score", std::to_string(start));
  }

  // The custom MAPE objective: weights 1/(y + c); the Hessian is divided by the typical payer
  // amount so that a round's Newton step is in KRW, not in fractions of one.
  std::vector<float> gradient, hessian;
  double step_scale = 1;
  if (custom) {
    std::vector<double> positive;
    for (double value : y_train) {
      if (value > 0) positive.push_back(value);
    }
    if (!positive.empty()) {
      std::nth_element(positive.begin(), positive.begin() + static_cast<long>(positive.size() / 2),
                       positive.end());
      step_scale = std::max(1.0, positive[positive.size() / 2]);
    }
    set("base_score", "0");
    gradient.resize(y_train.size());
    hessian.resize(y_train.size());
  }

  best_loss_ = std::numeric_limits<double>::infinity();
  int best_round = -1;
  for (int round = 0; round < params_.max_rounds; ++round) {
    if (custom) {
      const std::vector<double> p = predict_raw(booster, train_matrix.handle, true);
      for (std::size_t i = 0; i < y_train.size(); ++i) {
        const double weight = 1.0 / (y_train[i] + params_.mape_offset);
        const double sign = p[i] > y_train[i] ? 1.0 : (p[i] < y_train[i] ? -1.0 : 0.0);
        gradient[i] = static_cast<float>(sign * weight);
        hessian[i] = static_cast<float>(weight / step_scale);
      }
      check(XGBoosterBoostOneIter(booster, train_matrix.handle, gradient.data(), hessian.data(),
                                  gradient.size()),
            "boosting a round");
    } else {
      check(XGBoosterUpdateOneIter(booster, round, train_matrix.handle), "boosting a round");
    }
    const double loss =
        validation_loss(params_, y_valid, predict_raw(booster, valid_matrix.handle, false));
    if (best_round < 0 || loss < best_loss_ - 1e-12 * std::fabs(best_loss_)) {
      best_loss_ = loss;
      best_round = round;
    } else if (round - best_round >= params_.early_stopping_rounds) {
      break;
    }
  }
  rounds_ = best_round + 1;
  // Keep only the trees up to the best round.
  BoosterHandle sliced = nullptr;
  check(XGBoosterSlice(booster, 0, rounds_, 1, &sliced), "keeping the best rounds");
  handles->booster = sliced;
  XGBoosterFree(booster);
  handles_ = std::move(handles);
}

std::vector<double> GradientBoosting::predict(const FeatureMatrix& x) const {
  if (!handles_) throw Error("GradientBoosting::predict before fit or load");
  const MatrixHandle matrix(x, {}, params_.threads);
  std::vector<double> p = predict_raw(handles_->booster, matrix.handle, false);
  if (params_.objective != BoostingObjective::kLogistic && !params_.signed_target) {
    for (double& value : p) value = std::max(0.0, value);  // amounts are never negative
  }
  return p;
}

void GradientBoosting::save(const std::string& path) const {
  if (!handles_) throw Error("GradientBoosting::save before fit or load");
  check(XGBoosterSaveModel(handles_->booster, path.c_str()), ("saving " + path).c_str());
}

GradientBoosting GradientBoosting::load(const std::string& path, BoostingParams params) {
  GradientBoosting model(params);
  auto handles = std::make_unique<Handles>();
  check(XGBoosterCreate(nullptr, 0, &handles->booster), "creating a booster");
  if (XGBoosterLoadModel(handles->booster, path.c_str()) != 0) {
    throw InputError(path + ": not a readable XGBoost model: " + XGBGetLastError());
  }
  check(XGBoosterSetParam(handles->booster, "nthread",
                          std::to_string(resolve_thread_count(params.threads)).c_str()),
        "nthread");
  int rounds = 0;
  check(XGBoosterBoostedRounds(handles->booster, &rounds), "reading rounds");
  model.rounds_ = rounds;
  model.handles_ = std::move(handles);
  return model;
}

}  // namespace playsight::spend
