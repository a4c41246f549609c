#include "spend/models/ziln_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "spend/models/stages.h"

namespace playsight::spend {
namespace {

namespace fs = std::filesystem;
using detail::PayerClassifier;

constexpr std::size_t kSigmaBuckets = 10;

BoostingParams mu_params(const ModelOptions& options) {
  BoostingParams params = detail::boosting_params(BoostingObjective::kSquaredError, 1.5, options);
  params.signed_target = true;  // log(amount) is negative below 1
  return params;
}

std::vector<double> logs_of(std::span<const double> y) {
  std::vector<double> out(y.size());
  std::transform(y.begin(), y.end(), out.begin(), [](double v) { return std::log(v); });
  return out;
}

class ZilnModel : public SpendModel {
 public:
  explicit ZilnModel(ModelOptions options) : options_(options), mu_(mu_params(options)) {}

  void fit(const TrainingData& data) override {
    classifier_.fit(data.train, data.y_train, data.valid, data.y_valid, options_);
    const auto train_buyers = detail::payer_rows(data.y_train);
    const auto valid_buyers = detail::payer_rows(data.y_valid);
    if (train_buyers.size() < 2 || valid_buyers.size() < 2) {
      throw InputError(
          "ziln_model: fewer than two buyers among the training or validation players: the "
          "lognormal part has nothing to learn");
    }
    const FeatureMatrix valid = data.valid.select(valid_buyers);
    const std::vector<double> log_valid = logs_of(detail::pick(data.y_valid, valid_buyers));
    mu_.fit(data.train.select(train_buyers), logs_of(detail::pick(data.y_train, train_buyers)),
            valid, log_valid);
    fit_sigma(mu_.predict(valid), log_valid);
  }

  SpendPrediction predict(const FeatureMatrix& x) const override {
    const std::vector<double> p = classifier_.probability(x);
    std::vector<double> amount = mu_.predict(x);
    for (std::size_t i = 0; i < amount.size(); ++i) {
      const double sigma2 = variance_at(amount[i]);
      amount[i] = p[i] * std::exp(amount[i] + sigma2 / 2);
    }
    return {std::move(amount), {}};
  }

  nlohmann::json save(const fs::path& folder) const override {
    mu_.save((folder / "log_amount.json").string());
    return {{"classifier", classifier_.save(folder)},
            {"log_amount", {{"engine", "xgboost"}, {"file", "log_amount.json"}}},
            {"sigma_edges", edges_},
            {"sigma_variances", variances_},
            {"combination", "probability_times_lognormal_mean"}};
  }

  static std::unique_ptr<SpendModel> load(const nlohmann::json& saved, const fs::path& folder,
                                          const ModelOptions& options) {
    auto model = std::make_unique<ZilnModel>(options);
    try {
      model->classifier_ = PayerClassifier::load(saved.at("classifier"), folder, options);
      model->mu_ = GradientBoosting::load(
          (folder / saved.at("log_amount").at("file").get<std::string>()).string(),
          mu_params(options));
      model->edges_ = saved.at("sigma_edges").get<std::vector<double>>();
      model->variances_ = saved.at("sigma_variances").get<std::vector<double>>();
    } catch (const nlohmann::json::exception& error) {
      throw InputError((folder / "model.json").string() +
                       ": the ZILN model is incomplete: " + error.what());
    }
    return model;
  }

 private:
  // sigma^2 per equal-count bucket of mu: the mean squared held-out residual.
  void fit_sigma(const std::vector<double>& mu, const std::vector<double>& log_actual) {
    std::vector<std::size_t> order(mu.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return mu[a] < mu[b]; });
    edges_.clear();
    variances_.clear();
    const std::size_t buckets = std::min(kSigmaBuckets, std::max<std::size_t>(1, mu.size() / 20));
    for (std::size_t k = 0; k < buckets; ++k) {
      const std::size_t begin = order.size() * k / buckets, end = order.size() * (k + 1) / buckets;
      if (begin == end) continue;
      double squares = 0;
      for (std::size_t i = begin; i < end; ++i) {
        const double r = log_actual[order[i]] - mu[order[i]];
        squares += r * r;
      }
      if (!variances_.empty()) edges_.push_back(mu[order[begin]]);
      variances_.push_back(squares / static_cast<double>(end - begin));
    }
  }

  double variance_at(double mu) const {
    if (variances_.empty()) return 0;
    const auto bucket = std::upper_bound(edges_.begin(), edges_.end(), mu) - edges_.begin();
    return variances_[static_cast<std::size_t>(bucket)];
  }

  ModelOptions options_;
  PayerClassifier classifier_;
  GradientBoosting mu_;
  std::vector<double> edges_, variances_;
};

}  // namespace

ModelSpec ziln_model_spec() {
  return {"ziln_model",
          "zero-inflated lognormal: P(pay) x exp(mu + sigma^2 / 2), logistic and log-amount trees",
          "new",
          [](const ModelOptions& options) -> std::unique_ptr<SpendModel> {
            return std::make_unique<ZilnModel>(options);
          },
          [](const nlohmann::json& saved, const fs::path& folder, const ModelOptions& options) {
            return ZilnModel::load(saved, folder, options);
          }};
}

}  // namespace playsight::spend
