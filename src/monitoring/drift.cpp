#include "monitoring/drift.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace playsight::monitoring {
namespace {

constexpr double kShareFloor = 1e-4;

}  // namespace

std::size_t ReferenceBins::bin_of(double value) const {
  if (std::isnan(value)) return shares.size() - 1;
  return std::lower_bound(upper_edges.begin(), upper_edges.end(), value) - upper_edges.begin();
}

ReferenceBins reference_bins(std::span<const double> values, int bins) {
  std::vector<double> present;
  present.reserve(values.size());
  for (double value : values)
    if (!std::isnan(value)) present.push_back(value);
  std::sort(present.begin(), present.end());
  ReferenceBins out;
  if (!present.empty()) {
    for (int q = 1; q < bins; ++q) {
      const std::size_t index = std::min(
          present.size() - 1, static_cast<std::size_t>(static_cast<double>(q) / bins *
                                                       static_cast<double>(present.size())));
      const double edge = present[index];
      if (out.upper_edges.empty() || edge > out.upper_edges.back()) out.upper_edges.push_back(edge);
    }
    // Values equal to the largest reference value fall in the last edge's bin, not above it.
    if (out.upper_edges.empty() || present.back() > out.upper_edges.back())
      out.upper_edges.push_back(present.back());
  }
  out.shares.assign(out.upper_edges.size() + 2, 0.0);
  if (values.empty()) return out;
  for (double value : values) out.shares[out.bin_of(value)] += 1;
  for (double& share : out.shares) share /= static_cast<double>(values.size());
  return out;
}

double population_stability_index(std::span<const double> reference_shares,
                                  std::span<const std::uint64_t> counts) {
  std::uint64_t total = 0;
  for (std::uint64_t count : counts) total += count;
  if (total == 0) return 0;
  double psi = 0;
  for (std::size_t b = 0; b < counts.size(); ++b) {
    const double expected = std::max(reference_shares[b], kShareFloor);
    const double actual =
        std::max(static_cast<double>(counts[b]) / static_cast<double>(total), kShareFloor);
    psi += (actual - expected) * std::log(actual / expected);
  }
  return psi;
}

nlohmann::json to_json(const DriftReport& report) {
  const auto quantity = [](const QuantityDrift& q) {
    return nlohmann::json{{"name", q.name}, {"psi", q.psi}, {"status", q.status}};
  };
  nlohmann::json features = nlohmann::json::array();
  for (const QuantityDrift& q : report.features) features.push_back(quantity(q));
  return {{"rows", report.rows},
          {"status", report.status},
          {"drift", report.drift},
          {"thresholds",
           {{"warn", report.thresholds.warn},
            {"drift", report.thresholds.drift},
            {"min_rows", report.thresholds.min_rows}}},
          {"prediction", quantity(report.prediction)},
          {"features", features}};
}

DriftMonitor::DriftMonitor(const std::vector<std::string>& features, const Table& reference,
                           std::span<const double> reference_predictions, std::string label,
                           DriftThresholds thresholds, int bins)
    : features_(features), label_(std::move(label)), thresholds_(thresholds) {
  for (const std::string& feature : features_) {
    // Served features arrive as float32 (see observe()): cut the bins at float32 values too, or a
    // value equal to an edge would land in the bin above it.
    std::vector<double> values = reference.column(feature);
    for (double& value : values) value = static_cast<double>(static_cast<float>(value));
    feature_bins_.push_back(reference_bins(values, bins));
    feature_counts_.emplace_back(feature_bins_.back().bins(), 0);
  }
  prediction_bins_ = reference_bins(reference_predictions, bins);
  prediction_counts_.assign(prediction_bins_.bins(), 0);
}

void DriftMonitor::observe(std::span<const float> features, std::span<const double> predictions) {
  const std::size_t columns = features_.size();
  const std::size_t rows = features.size() / columns;
  // Bin outside the lock; only the additions are serialised.
  std::vector<std::uint32_t> feature_bins(rows * columns);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = features.data() + r * columns;
    for (std::size_t c = 0; c < columns; ++c)
      feature_bins[r * columns + c] =
          static_cast<std::uint32_t>(feature_bins_[c].bin_of(static_cast<double>(row[c])));
  }
  const std::lock_guard lock(mutex_);
  rows_ += rows;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < columns; ++c) ++feature_counts_[c][feature_bins[r * columns + c]];
  for (double prediction : predictions) ++prediction_counts_[prediction_bins_.bin_of(prediction)];
}

std::string DriftMonitor::status_of(double psi) const {
  if (rows_ < thresholds_.min_rows) return "insufficient_data";
  if (psi >= thresholds_.drift) return "drift";
  if (psi >= thresholds_.warn) return "warn";
  return "ok";
}

DriftReport DriftMonitor::report() const {
  const std::lock_guard lock(mutex_);
  DriftReport out;
  out.rows = rows_;
  out.thresholds = thresholds_;
  double worst = population_stability_index(prediction_bins_.shares, prediction_counts_);
  out.prediction = {label_, worst, status_of(worst)};
  for (std::size_t c = 0; c < features_.size(); ++c) {
    const double psi = population_stability_index(feature_bins_[c].shares, feature_counts_[c]);
    out.features.push_back({features_[c], psi, status_of(psi)});
    worst = std::max(worst, psi);
  }
  out.status = status_of(worst);
  out.drift = out.status == "drift";
  return out;
}

void DriftMonitor::reset() {
  const std::lock_guard lock(mutex_);
  rows_ = 0;
  for (auto& counts : feature_counts_) std::fill(counts.begin(), counts.end(), 0);
  std::fill(prediction_counts_.begin(), prediction_counts_.end(), 0);
}

}  // namespace playsight::monitoring
