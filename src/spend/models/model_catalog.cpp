// The registry of spend models by alias: the team's nine, the models that fix their failure,
// and the reference rows. Each entry says what the model is in one line.
#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "spend/models/isotonic.h"
#include "spend/models/spend_model.h"
#include "spend/models/stages.h"
#include "spend/models/ziln_model.h"

namespace playsight::spend {
namespace {

using detail::PayerClassifier;
using detail::RegressionStage;
using detail::TargetTransform;
namespace fs = std::filesystem;

// One regression over all players.
class SingleStageModel : public SpendModel {
 public:
  SingleStageModel(RegressionStage stage, ModelOptions options)
      : stage_(std::move(stage)), options_(options) {}
  void fit(const TrainingData& data) override {
    stage_.fit(data.train, data.y_train, data.valid, data.y_valid, options_, data.shared);
  }
  SpendPrediction predict(const FeatureMatrix& x) const override { return {stage_.predict(x), {}}; }
  nlohmann::json save(const fs::path& folder) const override {
    return {{"regressor", stage_.save(folder, "regressor")}};
  }

 private:
  RegressionStage stage_;
  ModelOptions options_;
};

// A payer classifier, then a regression trained on payers. `expectation` false: the team's hard
// decision (predicted non-payers get 0); true: the hurdle model, P(pay) x E[amount | pay].
class TwoStageModel : public SpendModel {
 public:
  TwoStageModel(RegressionStage stage, bool expectation, ModelOptions options)
      : stage_(std::move(stage)), expectation_(expectation), options_(options) {}

  void fit(const TrainingData& data) override {
    classifier_.fit(data.train, data.y_train, data.valid, data.y_valid, options_, data.shared);
    const auto train_payers = detail::payer_rows(data.y_train);
    const auto valid_payers = detail::payer_rows(data.y_valid);
    if (train_payers.empty() || valid_payers.empty()) {
      throw InputError(
          "no payers among the training or validation players: the amount stage has nothing to "
          "learn");
    }
    stage_.fit(data.train.select(train_payers), detail::pick(data.y_train, train_payers),
               data.valid.select(valid_payers), detail::pick(data.y_valid, valid_payers), options_,
               data.shared, "payers");
  }

  SpendPrediction predict(const FeatureMatrix& x) const override {
    const std::vector<double> probability = classifier_.probability(x);
    std::vector<double> amount = stage_.predict(x);
    SpendPrediction out;
    if (expectation_) {
      for (std::size_t i = 0; i < amount.size(); ++i) amount[i] *= probability[i];
      out.amount = std::move(amount);
      return out;
    }
    out.payer.resize(amount.size());
    for (std::size_t i = 0; i < amount.size(); ++i) {
      out.payer[i] = probability[i] >= classifier_.threshold();
      if (!out.payer[i]) amount[i] = 0;
    }
    out.amount = std::move(amount);
    return out;
  }

  nlohmann::json save(const fs::path& folder) const override {
    return {{"classifier", classifier_.save(folder)},
            {"regressor", stage_.save(folder, "regressor")},
            {"combination", expectation_ ? "probability_times_amount" : "classify_then_regress"}};
  }

  static std::unique_ptr<SpendModel> load(const nlohmann::json& saved, const fs::path& folder,
                                          const ModelOptions& options, bool expectation) {
    auto model = std::make_unique<TwoStageModel>(
        RegressionStage::load(saved.at("regressor"), folder, options), expectation, options);
    model->classifier_ = PayerClassifier::load(saved.at("classifier"), folder, options);
    return model;
  }

 private:
  PayerClassifier classifier_;
  RegressionStage stage_;
  bool expectation_;
  ModelOptions options_;
};

// Another model's predictions mapped through an isotonic calibration learnt on validation.
class CalibratedModel : public SpendModel {
 public:
  explicit CalibratedModel(std::unique_ptr<SpendModel> inner) : inner_(std::move(inner)) {}
  void fit(const TrainingData& data) override {
    inner_->fit(data);
    calibrator_.fit(inner_->predict(data.valid).amount, data.y_valid);
  }
  SpendPrediction predict(const FeatureMatrix& x) const override {
    SpendPrediction out = inner_->predict(x);
    for (double& value : out.amount) value = std::max(0.0, calibrator_(value));
    return out;
  }
  nlohmann::json save(const fs::path& folder) const override {
    return {{"inner", inner_->save(folder)}, {"isotonic", calibrator_.to_json()}};
  }
  static std::unique_ptr<SpendModel> load(std::unique_ptr<SpendModel> inner,
                                          const nlohmann::json& saved) {
    auto model = std::make_unique<CalibratedModel>(std::move(inner));
    model->calibrator_ = IsotonicCalibrator::from_json(saved.at("isotonic"));
    return model;
  }

 private:
  std::unique_ptr<SpendModel> inner_;
  IsotonicCalibrator calibrator_;
};

// The mean of several models' predictions (each saved in a subfolder of its own).
class EnsembleModel : public SpendModel {
 public:
  explicit EnsembleModel(std::vector<std::unique_ptr<SpendModel>> members)
      : members_(std::move(members)) {}
  void fit(const TrainingData& data) override {
    for (auto& member : members_) member->fit(data);
  }
  SpendPrediction predict(const FeatureMatrix& x) const override {
    SpendPrediction out{std::vector<double>(x.rows(), 0.0), {}};
    for (const auto& member : members_) {
      const std::vector<double> amount = member->predict(x).amount;
      for (std::size_t i = 0; i < amount.size(); ++i)
        out.amount[i] += amount[i] / static_cast<double>(members_.size());
    }
    return out;
  }
  nlohmann::json save(const fs::path& folder) const override {
    nlohmann::json members = nlohmann::json::array();
    for (std::size_t k = 0; k < members_.size(); ++k) {
      const fs::path sub = folder / ("member_" + std::to_string(k + 1));
      fs::create_directories(sub);
      members.push_back({{"folder", sub.filename().string()}, {"model", members_[k]->save(sub)}});
    }
    return {{"members", members}};
  }

 private:
  std::vector<std::unique_ptr<SpendModel>> members_;
};

// Reference rows: no learning.
class ZeroModel : public SpendModel {
 public:
  void fit(const TrainingData&) override {}
  SpendPrediction predict(const FeatureMatrix& x) const override {
    return {std::vector<double>(x.rows(), 0.0), {}};
  }
  nlohmann::json save(const fs::path&) const override { return nlohmann::json::object(); }
};

// Each player's own top-up amount in the last 30 days before the cutoff, scaled to the horizon.
class LastWindowModel : public SpendModel {
 public:
  explicit LastWindowModel(int horizon_days) : scale_(horizon_days / 30.0) {}
  void fit(const TrainingData& data) override { find(data.train); }
  SpendPrediction predict(const FeatureMatrix& x) const override {
    const std::size_t column = find(x);
    std::vector<double> amount(x.rows());
    for (std::size_t r = 0; r < x.rows(); ++r) {
      const double value = x.row(r)[column];
      amount[r] = std::isnan(value) ? 0.0 : std::max(0.0, value) * scale_;
    }
    return {std::move(amount), {}};
  }
  nlohmann::json save(const fs::path&) const override {
    return {{"feature", kFeature}, {"scale", scale_}};
  }
  static std::unique_ptr<SpendModel> load(const nlohmann::json& saved) {
    auto model = std::make_unique<LastWindowModel>(30);
    model->scale_ = saved.value("scale", 1.0);
    return model;
  }

 private:
  static constexpr const char* kFeature = "topup_amount_last_30d";
  static std::size_t find(const FeatureMatrix& x) {
    const auto& names = x.names();
    const auto found = std::find(names.begin(), names.end(), kFeature);
    if (found == names.end())
      throw InputError(std::string("last_30d_model needs the feature ") + kFeature);
    return static_cast<std::size_t>(found - names.begin());
  }
  double scale_;
};

ModelSpec single(std::string alias, std::string description, std::string kind,
                 std::function<RegressionStage()> stage) {
  return {alias, description, kind,
          [stage](const ModelOptions& options) -> std::unique_ptr<SpendModel> {
            return std::make_unique<SingleStageModel>(stage(), options);
          },
          [](const nlohmann::json& saved, const fs::path& folder,
             const ModelOptions& options) -> std::unique_ptr<SpendModel> {
            return std::make_unique<SingleStageModel>(
                RegressionStage::load(saved.at("regressor"), folder, options), options);
          }};
}

ModelSpec two_stage(std::string alias, std::string description, std::string kind, bool expectation,
                    std::function<RegressionStage()> stage) {
  return {alias, description, kind,
          [stage, expectation](const ModelOptions& options) -> std::unique_ptr<SpendModel> {
            return std::make_unique<TwoStageModel>(stage(), expectation, options);
          },
          [expectation](const nlohmann::json& saved, const fs::path& folder,
                        const ModelOptions& options) {
            return TwoStageModel::load(saved, folder, options, expectation);
          }};
}

ModelSpec calibrated(std::string alias, std::string description, ModelSpec inner) {
  return {
      alias, description, "new",
      [inner](const ModelOptions& options) -> std::unique_ptr<SpendModel> {
        return std::make_unique<CalibratedModel>(inner.make(options));
      },
      [inner](const nlohmann::json& saved, const fs::path& folder, const ModelOptions& options) {
        return CalibratedModel::load(inner.load(saved.at("inner"), folder, options), saved);
      }};
}

ModelSpec ensemble(std::string alias, std::string description, std::vector<ModelSpec> members) {
  return {alias, description, "new",
          [members](const ModelOptions& options) -> std::unique_ptr<SpendModel> {
            std::vector<std::unique_ptr<SpendModel>> made;
            for (const auto& member : members) made.push_back(member.make(options));
            return std::make_unique<EnsembleModel>(std::move(made));
          },
          [members](const nlohmann::json& saved, const fs::path& folder,
                    const ModelOptions& options) -> std::unique_ptr<SpendModel> {
            const auto& list = saved.at("members");
            if (list.size() != members.size())
              throw InputError((folder / "model.json").string() +
                               ": the ensemble has the wrong number of members");
            std::vector<std::unique_ptr<SpendModel>> loaded;
            for (std::size_t k = 0; k < members.size(); ++k) {
              loaded.push_back(members[k].load(
                  list[k].at("model"), folder / list[k].at("folder").get<std::string>(), options));
            }
            return std::make_unique<EnsembleModel>(std::move(loaded));
          }};
}

ModelSpec zero_reference() {
  return {"zero_model", "reference: predict 0 for everyone", "reference",
          [](const ModelOptions&) -> std::unique_ptr<SpendModel> {
            return std::make_unique<ZeroModel>();
          },
          [](const nlohmann::json&, const fs::path&, const ModelOptions&)
              -> std::unique_ptr<SpendModel> { return std::make_unique<ZeroModel>(); }};
}

ModelSpec last_window_reference() {
  return {"last_30d_model",
          "reference: each player's own top-ups in the last 30 days (scaled to the horizon)",
          "reference",
          [](const ModelOptions& options) -> std::unique_ptr<SpendModel> {
            return std::make_unique<LastWindowModel>(options.horizon_days);
          },
          [](const nlohmann::json& saved, const fs::path&, const ModelOptions&) {
            return LastWindowModel::load(saved);
          }};
}

using O = BoostingObjective;
using T = TargetTransform;

std::vector<ModelSpec> build_specs() {
  const auto trees = [](O objective, T transform, double power = 1.5) {
    return [=] { return RegressionStage::boosting(objective, transform, power); };
  };
  const auto knn = [] { return RegressionStage::knn(); };
  return {
      single("base_knn_model", "KNN regression (k = 20, 8 principal components)", "team", knn),
      single("mape_model", "boosted trees minimising MAPE after adding 1,000", "team",
             trees(O::kMapeAfterOffset, T::kNone)),
      single("mse_model", "boosted trees minimising squared error", "team",
             trees(O::kSquaredError, T::kNone)),
      two_stage("bin_mape_model", "payer classifier, then MAPE regression on predicted payers",
                "team", false, trees(O::kMapeAfterOffset, T::kNone)),
      two_stage("bin_mse_model", "payer classifier, then squared-error regression", "team", false,
                trees(O::kSquaredError, T::kNone)),
      two_stage("bin_log_mse_model",
                "payer classifier, then squared error on log(1 + amount), exp back", "team", false,
                trees(O::kSquaredError, T::kLog1p)),
      two_stage("bin_minmax_mse_model",
                "payer classifier, then squared error on min-max scaled amount", "team", false,
                trees(O::kSquaredError, T::kMinMax)),
      two_stage("bin_minmax_mae_model",
                "payer classifier, then absolute error on min-max scaled amount", "team", false,
                trees(O::kAbsoluteError, T::kMinMax)),
      two_stage("bin_knn_model", "payer classifier, then KNN regression on payers", "team", false,
                knn),
      single("tweedie_model",
             "boosted trees, Tweedie objective (power 1.5): zero mass and tail in one model", "new",
             trees(O::kTweedie, T::kNone, 1.5)),
      two_stage("hurdle_gamma_model",
                "P(pay) x E[amount | pay]: logistic trees times Gamma-regression trees", "new",
                true, trees(O::kGamma, T::kNone)),
      two_stage("hurdle_lognormal_model",
                "P(pay) x E[amount | pay]: logistic trees times log-amount trees with smearing",
                "new", true, trees(O::kSquaredError, T::kLog1pSmearing)),
      single("log_smearing_model",
             "squared error on log(1 + amount) over all players, Duan-smeared back to the mean",
             "new", trees(O::kSquaredError, T::kLog1pSmearing)),
      ziln_model_spec(),
      calibrated("calibrated_tweedie_model",
                 "tweedie_model, isotonic-calibrated on validation players",
                 single("", "", "new", trees(O::kTweedie, T::kNone, 1.5))),
      calibrated("calibrated_hurdle_model",
                 "hurdle_gamma_model, isotonic-calibrated on validation players",
                 two_stage("", "", "new", true, trees(O::kGamma, T::kNone))),
      calibrated(
          "ensemble_model",
          "mean of the Tweedie, Gamma-hurdle and lognormal-hurdle models, isotonic-calibrated on "
          "validation players",
          ensemble("", "",
                   {single("", "", "new", trees(O::kTweedie, T::kNone, 1.5)),
                    two_stage("", "", "new", true, trees(O::kGamma, T::kNone)),
                    two_stage("", "", "new", true, trees(O::kSquaredError, T::kLog1pSmearing))})),
      zero_reference(),
      last_window_reference(),
  };
}

}  // namespace

int horizon_days_of(const std::string& label) {
  const std::string prefix = "topup_amount_next_";
  if (label.rfind(prefix, 0) == 0 && label.size() > prefix.size() + 1 && label.back() == 'd') {
    try {
      return std::stoi(label.substr(prefix.size(), label.size() - prefix.size() - 1));
    } catch (const std::exception&) {
    }
  }
  throw InputError("the label column " + label + " is not topup_amount_next_<days>d");
}

const std::vector<ModelSpec>& model_specs() {
  static const std::vector<ModelSpec> specs = build_specs();
  return specs;
}

const ModelSpec& find_model_spec(const std::string& alias) {
  for (const auto& spec : model_specs()) {
    if (spec.alias == alias) return spec;
  }
  std::string known;
  for (const auto& spec : model_specs()) known += (known.empty() ? "" : ", ") + spec.alias;
  throw InputError("unknown model '" + alias + "'; the models are: " + known);
}

}  // namespace playsight::spend
