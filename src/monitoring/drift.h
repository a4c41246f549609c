#pragma once
// Prediction monitoring: are the players the service predicts for like the players the model was
// trained on? For each model feature and for the prediction itself, the distribution of what the
// service has seen is compared with a reference distribution by the population stability index
//
//   PSI = sum over bins of (live share - reference share) * ln(live share / reference share)
//
// (shares below 0.0001 count as 0.0001, so an empty bin is a large but finite term).
//
// The reference is a feature table of the training population (`playsight serve --reference
// FEATURES.csv`, normally the table the model was trained from): each quantity gets up to 10
// bins cut at its reference deciles (ties merged, so a feature that is 0 for 60 % of players has
// a bin "<= 0" holding those 60 %), plus one bin for missing values. The prediction's reference is
// the model's own predictions on (a sample of) that table, made when the model is loaded.
//
// Status per quantity and overall (the worst one): "ok" below the warn threshold, "warn" from it
// (default 0.1), "drift" from the drift threshold (default 0.25) -- the usual reading of PSI -- and
// "insufficient_data" until min_rows players have been seen (PSI of a few rows is noise).
// A DriftMonitor belongs to one loaded model version; it counts from its creation. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/table.h"

namespace playsight::monitoring {

struct DriftThresholds {
  double warn = 0.1;
  double drift = 0.25;
  std::size_t min_rows = 500;
};

// Bins of one quantity cut at its reference quantiles, and the reference's share in each.
struct ReferenceBins {
  std::vector<double> upper_edges;  // ascending; bin i holds values <= upper_edges[i] (and >
                                    // the edge before); one more bin holds values above the last
  std::vector<double> shares;       // upper_edges.size() + 2 entries: the bins, then "missing"
  std::size_t bin_of(double value) const;
  std::size_t bins() const { return shares.size(); }
};

// REQUIRES: bins >= 2. Missing values (NaN) go to the missing bin.
ReferenceBins reference_bins(std::span<const double> values, int bins);

// PSI of the observed counts against the reference shares (same length).
double population_stability_index(std::span<const double> reference_shares,
                                  std::span<const std::uint64_t> counts);

struct QuantityDrift {
  std::string name;
  double psi = 0;
  std::string status;
};

struct DriftReport {
  std::uint64_t rows = 0;               // players seen
  std::vector<QuantityDrift> features;  // in the model's feature order
  QuantityDrift prediction;             // name: the label, e.g. topup_amount_next_30d
  std::string status;                   // ok, warn, drift or insufficient_data
  bool drift = false;                   // status == "drift"
  DriftThresholds thresholds;
};

nlohmann::json to_json(const DriftReport& report);

class DriftMonitor {
 public:
  // reference: a table with every feature (InputError naming the first missing one);
  // reference_predictions: the model's predictions for (a sample of) it; label: the prediction's
  // name. REQUIRES: features non-empty.
  DriftMonitor(const std::vector<std::string>& features, const Table& reference,
               std::span<const double> reference_predictions, std::string label,
               DriftThresholds thresholds, int bins = 10);
  DriftMonitor(const DriftMonitor&) = delete;
  DriftMonitor& operator=(const DriftMonitor&) = delete;

  // Counts the players' features and predictions. features: row-major float32, one row per
  // player, its columns in the constructor's order (spend::FeatureMatrix::values(), say).
  // REQUIRES: features.size() is a multiple of the number of features.
  void observe(std::span<const float> features, std::span<const double> predictions);
  DriftReport report() const;
  // Forgets what was observed (after the upstream data was fixed, say).
  void reset();

 private:
  std::string status_of(double psi) const;

  std::vector<std::string> features_;
  std::string label_;
  DriftThresholds thresholds_;
  std::vector<ReferenceBins> feature_bins_;
  ReferenceBins prediction_bins_;
  mutable std::mutex mutex_;
  std::uint64_t rows_ = 0;
  std::vector<std::vector<std::uint64_t>> feature_counts_;
  std::vector<std::uint64_t> prediction_counts_;
};

}  // namespace playsight::monitoring
