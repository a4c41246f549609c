#pragma once
// The building blocks of spend models (an implementation detail of model_catalog.cpp):
// a regression stage (boosted trees or KNN, on the amount or a transform of it) and a payer
// classifier stage (boosted logistic trees, with a decision threshold tuned on validation).
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "spend/models/gradient_boosting.h"
#include "spend/models/knn_regressor.h"
#include "spend/models/spend_model.h"

namespace playsight::spend::detail {

// The tree options of one boosted stage: the objective, and threads, seed, rounds, depth, rate
// and child weight from the model's options.
BoostingParams boosting_params(BoostingObjective objective, double tweedie_power,
                               const ModelOptions& options);

// How the regression target is transformed before fitting, and the prediction mapped back.
enum class TargetTransform {
  kNone,
  kLog1p,          // fit log(1 + y), predict exp(p) - 1: the median, not the mean (the team's)
  kLog1pSmearing,  // the same with Duan's smearing factor: the mean
  kMinMax,         // fit (y - min) / (max - min), map back
};

class RegressionStage {
 public:
  static RegressionStage boosting(BoostingObjective objective, TargetTransform transform,
                                  double tweedie_power = 1.5);
  static RegressionStage knn();

  // With `shared`, a stage of the same kind already fitted on the same `rows` ("all", "payers")
  // of this training set is reused instead of fitted again (and a new one is kept there).
  void fit(const FeatureMatrix& train, std::span<const double> y_train, const FeatureMatrix& valid,
           std::span<const double> y_valid, const ModelOptions& options,
           SharedFits* shared = nullptr, const std::string& rows = "all");
  std::vector<double> predict(const FeatureMatrix& x) const;  // KRW, >= 0
  nlohmann::json save(const std::filesystem::path& folder, const std::string& name) const;
  static RegressionStage load(const nlohmann::json& saved, const std::filesystem::path& folder,
                              const ModelOptions& options);

 private:
  void fit_alone(const FeatureMatrix& train, std::span<const double> y_train,
                 const FeatureMatrix& valid, std::span<const double> y_valid,
                 const ModelOptions& options);
  std::string kind(const ModelOptions& options, const std::string& rows) const;
  double forward(double y) const;
  double backward(double p) const;
  double smearing_factor(double p) const;

  bool use_knn_ = false;
  BoostingObjective objective_ = BoostingObjective::kSquaredError;
  TargetTransform transform_ = TargetTransform::kNone;
  double tweedie_power_ = 1.5;
  double low_ = 0, high_ = 1;  // kMinMax
  // kLog1pSmearing: Duan's factor mean(exp(residual)), per bucket of the prediction (residuals of
  // zero-inflated spend are far from homoscedastic, so one factor for all over-corrects).
  std::vector<double> smearing_edges_;    // upper edges of the buckets of the log prediction
  std::vector<double> smearing_factors_;  // one per bucket (edges + 1)
  // Fitted, then never changed: stages copied from SharedFits share them.
  std::shared_ptr<const GradientBoosting> trees_;
  std::shared_ptr<const KnnRegressor> knn_;
};

class PayerClassifier {
 public:
  // With `shared`, the classifier already fitted on this training set is reused.
  void fit(const FeatureMatrix& train, std::span<const double> y_train, const FeatureMatrix& valid,
           std::span<const double> y_valid, const ModelOptions& options,
           SharedFits* shared = nullptr);
  std::vector<double> probability(const FeatureMatrix& x) const;
  double threshold() const { return threshold_; }
  nlohmann::json save(const std::filesystem::path& folder) const;
  static PayerClassifier load(const nlohmann::json& saved, const std::filesystem::path& folder,
                              const ModelOptions& options);

 private:
  std::shared_ptr<const GradientBoosting> trees_;
  double threshold_ = 0.5;
};

}  // namespace playsight::spend::detail

namespace playsight::spend {

// The fitted stages of one training set, by kind (stage, objective, transform, rows, options).
struct SharedFits::Stages {
  std::map<std::string, detail::RegressionStage> regressions;
  std::map<std::string, detail::PayerClassifier> classifiers;
};

}  // namespace playsight::spend

namespace playsight::spend::detail {

// The rows of `y` with a positive amount.
std::vector<std::size_t> payer_rows(std::span<const double> y);
std::vector<double> pick(std::span<const double> y, std::span<const std::size_t> rows);

}  // namespace playsight::spend::detail
