#pragma once
// Spend models: predict each player's top-up amount over the label horizon from a feature
// matrix. Every model is looked up by its alias in one registry (model_catalog.cpp): the team's
// nine (base_knn_model ... bin_knn_model), the models that fix their failure (tweedie_model,
// hurdle_*_model, log_smearing_model) and the reference rows (zero_model, last_30d_model).
// Adding a model is adding one entry there and one test.
//
// Contract: fit() sees only the training and validation players (early stopping and thresholds
// use validation); predict() returns expectations in KRW (never negative) and, for models with a
// hard classifier stage, its payer / non-payer decision per player; save() writes the model's
// files into a folder and returns the JSON that load() needs to rebuild it.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "spend/models/feature_matrix.h"

namespace playsight::spend {

// Stages fitted once per training set and shared by every model that needs the same one: in a
// comparison, the payer classifier of the eight two-stage models, or the Tweedie trees of
// tweedie_model, its calibrated twin and the ensemble. A model fitted with them predicts exactly
// what it would fitted alone (the same stage, data, options and seed). Keep one per training set
// (the same train and validation rows and labels); not thread-safe.
class SharedFits {
 public:
  SharedFits();
  ~SharedFits();
  SharedFits(const SharedFits&) = delete;
  SharedFits& operator=(const SharedFits&) = delete;
  struct Stages;  // spend/models/stages.h
  Stages& stages() { return *stages_; }

 private:
  std::unique_ptr<Stages> stages_;
};

struct TrainingData {
  const FeatureMatrix& train;
  std::span<const double> y_train;
  const FeatureMatrix& valid;
  std::span<const double> y_valid;
  SharedFits* shared = nullptr;  // optional: stages shared with other models of this data
};

struct ModelOptions {
  unsigned threads = 0;
  std::uint64_t seed = 42;
  double payer_recall_target = 0.9;  // threshold of hard classifier stages, tuned on validation
  int max_rounds = 1000;             // boosting rounds at most (early stopping decides)
  int max_depth = 6;                 // of each tree
  double learning_rate = 0.1;        // shrinkage of each round
  double min_child_weight = 1;       // Hessian a leaf needs at least (larger: smoother trees)
  int horizon_days = 30;             // the label window (last_30d_model scales to it)
};

// The horizon H of a label column topup_amount_next_<H>d; throws InputError for another name.
int horizon_days_of(const std::string& label);

struct SpendPrediction {
  std::vector<double> amount;       // expected top-up in KRW per player
  std::vector<std::uint8_t> payer;  // classifier decision per player; empty without one
};

class SpendModel {
 public:
  virtual ~SpendModel() = default;
  virtual void fit(const TrainingData& data) = 0;
  virtual SpendPrediction predict(const FeatureMatrix& x) const = 0;
  virtual nlohmann::json save(const std::filesystem::path& folder) const = 0;
};

struct ModelSpec {
  std::string alias;
  std::string description;
  std::string kind;  // "team", "new" or "reference"
  std::function<std::unique_ptr<SpendModel>(const ModelOptions&)> make;
  std::function<std::unique_ptr<SpendModel>(
      const nlohmann::json& saved, const std::filesystem::path& folder, const ModelOptions&)>
      load;
};

// Every model, in the order the comparison table lists them.
const std::vector<ModelSpec>& model_specs();
// Throws InputError naming the known aliases when `alias` is not one of them.
const ModelSpec& find_model_spec(const std::string& alias);

}  // namespace playsight::spend
