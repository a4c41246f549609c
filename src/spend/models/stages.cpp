#include "spend/models/stages.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"

namespace playsight::spend {

SharedFits::SharedFits() : stages_(std::make_unique<Stages>()) {}
SharedFits::~SharedFits() = default;

}  // namespace playsight::spend

namespace playsight::spend::detail {

BoostingParams boosting_params(BoostingObjective objective, double tweedie_power,
                               const ModelOptions& options) {
  BoostingParams params;
  params.objective = objective;
  params.tweedie_power = tweedie_power;
  params.threads = options.threads;
  params.seed = options.seed;
  params.max_rounds = options.max_rounds;
  params.max_depth = options.max_depth;
  params.learning_rate = options.learning_rate;
  params.min_child_weight = options.min_child_weight;
  return params;
}

namespace {

std::string transform_name(TargetTransform transform) {
  switch (transform) {
    case TargetTransform::kNone:
      return "none";
    case TargetTransform::kLog1p:
      return "log1p";
    case TargetTransform::kLog1pSmearing:
      return "log1p_smearing";
    case TargetTransform::kMinMax:
      return "minmax";
  }
  return "none";
}

TargetTransform transform_from(const std::string& name) {
  if (name == "log1p") return TargetTransform::kLog1p;
  if (name == "log1p_smearing") return TargetTransform::kLog1pSmearing;
  if (name == "minmax") return TargetTransform::kMinMax;
  if (name == "none") return TargetTransform::kNone;
  throw InputError("unknown target transform '" + name + "' in model.json");
}

BoostingObjective objective_from(const std::string& name) {
  for (auto objective : {BoostingObjective::kSquaredError, BoostingObjective::kAbsoluteError,
                         BoostingObjective::kMapeAfterOffset, BoostingObjective::kTweedie,
                         BoostingObjective::kGamma, BoostingObjective::kLogistic}) {
    if (objective_name(objective) == name) return objective;
  }
  throw InputError("unknown objective '" + name + "' in model.json");
}

}  // namespace

std::vector<std::size_t> payer_rows(std::span<const double> y) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] > 0) rows.push_back(i);
  }
  return rows;
}

std::vector<double> pick(std::span<const double> y, std::span<const std::size_t> rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (std::size_t r : rows) out.push_back(y[r]);
  return out;
}

RegressionStage RegressionStage::boosting(BoostingObjective objective, TargetTransform transform,
                                          double tweedie_power) {
  RegressionStage stage;
  stage.objective_ = objective;
  stage.transform_ = transform;
  stage.tweedie_power_ = tweedie_power;
  return stage;
}

RegressionStage RegressionStage::knn() {
  RegressionStage stage;
  stage.use_knn_ = true;
  return stage;
}

double RegressionStage::forward(double y) const {
  switch (transform_) {
    case TargetTransform::kNone:
      return y;
    case TargetTransform::kLog1p:
    case TargetTransform::kLog1pSmearing:
      return std::log1p(y);
    case TargetTransform::kMinMax:
      return (y - low_) / (high_ - low_);
  }
  return y;
}

double RegressionStage::backward(double p) const {
  switch (transform_) {
    case TargetTransform::kNone:
      return p;
    case TargetTransform::kLog1p:
      return std::expm1(p);
    case TargetTransform::kLog1pSmearing:
      return std::max(0.0, smearing_factor(p) * std::exp(p) - 1);
    case TargetTransform::kMinMax:
      return low_ + p * (high_ - low_);
  }
  return p;
}

std::string options_key(const ModelOptions& options) {
  char text[160];
  std::snprintf(text, sizeof text, "seed=%llu rounds=%d depth=%d rate=%.17g child=%.17g threads=%u",
                static_cast<unsigned long long>(options.seed), options.max_rounds,
                options.max_depth, options.learning_rate, options.min_child_weight,
                options.threads);
  return text;
}

std::string RegressionStage::kind(const ModelOptions& options, const std::string& rows) const {
  return (use_knn_ ? std::string("knn") : objective_name(objective_)) + " " +
         transform_name(transform_) + " power=" + std::to_string(tweedie_power_) + " rows=" + rows +
         " " + options_key(options);
}

void RegressionStage::fit(const FeatureMatrix& train, std::span<const double> y_train,
                          const FeatureMatrix& valid, std::span<const double> y_valid,
                          const ModelOptions& options, SharedFits* shared,
                          const std::string& rows) {
  if (shared == nullptr) {
    fit_alone(train, y_train, valid, y_valid, options);
    return;
  }
  auto& fitted = shared->stages().regressions;
  const std::string key = kind(options, rows);
  if (const auto found = fitted.find(key); found != fitted.end()) {
    *this = found->second;
    return;
  }
  fit_alone(train, y_train, valid, y_valid, options);
  fitted.emplace(key, *this);
}

void RegressionStage::fit_alone(const FeatureMatrix& train, std::span<const double> y_train,
                                const FeatureMatrix& valid, std::span<const double> y_valid,
                                const ModelOptions& options) {
  if (y_train.empty()) throw InputError("the training set is empty: nothing to train on");
  if (transform_ == TargetTransform::kMinMax) {
    const auto [low, high] = std::minmax_element(y_train.begin(), y_train.end());
    low_ = *low;
    high_ = *high > *low ? *high : *low + 1;
  }
  std::vector<double> t_train(y_train.size()), t_valid(y_valid.size());
  std::transform(y_train.begin(), y_train.end(), t_train.begin(),
                 [this](double y) { return forward(y); });
  std::transform(y_valid.begin(), y_valid.end(), t_valid.begin(),
                 [this](double y) { return forward(y); });
  if (use_knn_) {
    KnnParams params;
    params.threads = options.threads;
    auto knn = std::make_shared<KnnRegressor>(params);
    knn->fit(train, t_train);
    knn_ = std::move(knn);
    return;
  }
  auto trees =
      std::make_shared<GradientBoosting>(boosting_params(objective_, tweedie_power_, options));
  trees->fit(train, t_train, valid, t_valid);
  trees_ = std::move(trees);
  if (transform_ == TargetTransform::kLog1pSmearing && !y_valid.empty()) {
    // Duan's smearing, E[y + 1] = E[exp(residual)] * exp(prediction), estimated out of sample
    // on the validation players, within ten equal-count buckets of the prediction.
    const std::vector<double> p = trees_->predict(valid);
    std::vector<std::size_t> order(p.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    constexpr std::size_t kBuckets = 10;
    smearing_edges_.clear();
    smearing_factors_.clear();
    for (std::size_t k = 0; k < kBuckets; ++k) {
      const std::size_t begin = order.size() * k / kBuckets,
                        end = order.size() * (k + 1) / kBuckets;
      if (begin == end) continue;
      double sum = 0;
      for (std::size_t i = begin; i < end; ++i) sum += std::exp(t_valid[order[i]] - p[order[i]]);
      if (!smearing_factors_.empty()) smearing_edges_.push_back(p[order[begin]]);
      smearing_factors_.push_back(sum / static_cast<double>(end - begin));
    }
  }
}

double RegressionStage::smearing_factor(double p) const {
  if (smearing_factors_.empty()) return 1;
  const auto bucket =
      std::upper_bound(smearing_edges_.begin(), smearing_edges_.end(), p) - smearing_edges_.begin();
  return smearing_factors_[static_cast<std::size_t>(bucket)];
}

std::vector<double> RegressionStage::predict(const FeatureMatrix& x) const {
  std::vector<double> p = use_knn_ ? knn_->predict(x) : trees_->predict(x);
  for (double& value : p) value = std::max(0.0, backward(value));
  return p;
}

nlohmann::json RegressionStage::save(const std::filesystem::path& folder,
                                     const std::string& name) const {
  nlohmann::json json;
  json["transform"] = transform_name(transform_);
  json["minmax"] = {low_, high_};
  json["smearing_edges"] = smearing_edges_;
  json["smearing_factors"] = smearing_factors_;
  if (use_knn_) {
    json["engine"] = "knn";
    json["file"] = name;
    json["neighbours"] = knn_->params().neighbours;
    knn_->save((folder / name).string());
  } else {
    json["engine"] = "xgboost";
    json["objective"] = objective_name(objective_);
    json["tweedie_variance_power"] = tweedie_power_;
    json["file"] = name + ".json";
    json["rounds"] = trees_->rounds();
    trees_->save((folder / (name + ".json")).string());
  }
  return json;
}

RegressionStage RegressionStage::load(const nlohmann::json& saved,
                                      const std::filesystem::path& folder,
                                      const ModelOptions& options) {
  RegressionStage stage;
  try {
    stage.transform_ = transform_from(saved.at("transform").get<std::string>());
    stage.low_ = saved.at("minmax").at(0).get<double>();
    stage.high_ = saved.at("minmax").at(1).get<double>();
    stage.smearing_edges_ = saved.at("smearing_edges").get<std::vector<double>>();
    stage.smearing_factors_ = saved.at("smearing_factors").get<std::vector<double>>();
    const std::string file = saved.at("file").get<std::string>();
    if (saved.at("engine").get<std::string>() == "knn") {
      stage.use_knn_ = true;
      stage.knn_ = std::make_shared<KnnRegressor>(
          KnnRegressor::load((folder / file).string(), options.threads));
    } else {
      stage.objective_ = objective_from(saved.at("objective").get<std::string>());
      stage.tweedie_power_ = saved.at("tweedie_variance_power").get<double>();
      stage.trees_ = std::make_shared<GradientBoosting>(
          GradientBoosting::load((folder / file).string(),
                                 boosting_params(stage.objective_, stage.tweedie_power_, options)));
    }
  } catch (const nlohmann::json::exception& error) {
    throw InputError((folder / "model.json").string() +
                     ": a regression stage is incomplete: " + error.what());
  }
  return stage;
}

void PayerClassifier::fit(const FeatureMatrix& train, std::span<const double> y_train,
                          const FeatureMatrix& valid, std::span<const double> y_valid,
                          const ModelOptions& options, SharedFits* shared) {
  const std::string key = "payer classifier recall=" + std::to_string(options.payer_recall_target) +
                          " " + options_key(options);
  if (shared != nullptr) {
    auto& fitted = shared->stages().classifiers;
    if (const auto found = fitted.find(key); found != fitted.end()) {
      *this = found->second;
      return;
    }
  }
  std::vector<double> is_payer_train(y_train.size()), is_payer_valid(y_valid.size());
  std::transform(y_train.begin(), y_train.end(), is_payer_train.begin(),
                 [](double y) { return y > 0 ? 1.0 : 0.0; });
  std::transform(y_valid.begin(), y_valid.end(), is_payer_valid.begin(),
                 [](double y) { return y > 0 ? 1.0 : 0.0; });
  auto trees = std::make_shared<GradientBoosting>(
      boosting_params(BoostingObjective::kLogistic, 1.5, options));
  trees->fit(train, is_payer_train, valid, is_payer_valid);
  trees_ = std::move(trees);
  // The highest threshold that still finds `payer_recall_target` of the validation payers.
  std::vector<double> scores;
  const std::vector<double> p = trees_->predict(valid);
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (is_payer_valid[i] > 0) scores.push_back(p[i]);
  }
  threshold_ = 0.5;
  if (!scores.empty()) {
    std::sort(scores.begin(), scores.end());
    const auto missed = static_cast<std::size_t>(
        std::floor((1 - options.payer_recall_target) * static_cast<double>(scores.size())));
    threshold_ = scores[std::min(missed, scores.size() - 1)];
  }
  if (shared != nullptr) shared->stages().classifiers.emplace(key, *this);
}

std::vector<double> PayerClassifier::probability(const FeatureMatrix& x) const {
  return trees_->predict(x);
}

nlohmann::json PayerClassifier::save(const std::filesystem::path& folder) const {
  trees_->save((folder / "classifier.json").string());
  return {{"engine", "xgboost"},
          {"objective", "binary:logistic"},
          {"file", "classifier.json"},
          {"threshold", threshold_},
          {"rounds", trees_->rounds()}};
}

PayerClassifier PayerClassifier::load(const nlohmann::json& saved,
                                      const std::filesystem::path& folder,
                                      const ModelOptions& options) {
  PayerClassifier classifier;
  try {
    classifier.threshold_ = saved.at("threshold").get<double>();
    classifier.trees_ = std::make_shared<GradientBoosting>(
        GradientBoosting::load((folder / saved.at("file").get<std::string>()).string(),
                               boosting_params(BoostingObjective::kLogistic, 1.5, options)));
  } catch (const nlohmann::json::exception& error) {
    throw InputError((folder / "model.json").string() +
                     ": the classifier stage is incomplete: " + error.what());
  }
  return classifier;
}

}  // namespace playsight::spend::detail
