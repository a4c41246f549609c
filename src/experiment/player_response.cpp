#include "experiment/player_response.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.h"

namespace playsight::experiment {
namespace {

// Linear interpolation between order statistics of sorted values, p in [0, 1].
double quantile_of_sorted(const std::vector<double>& sorted, double p) {
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double weight = position - static_cast<double>(below);
  return sorted[below] * (1 - weight) + sorted[above] * weight;
}

void check_inputs(std::span<const double> actual, std::span<const double> predicted,
                  std::span<const std::uint8_t> is_control, const ResponseOptions& options) {
  if (predicted.size() != actual.size() || is_control.size() != actual.size()) {
    throw InputError("player responses: " + std::to_string(actual.size()) + " outcomes, " +
                     std::to_string(predicted.size()) + " predictions and " +
                     std::to_string(is_control.size()) + " group flags; one each per player");
  }
  if (options.bins == 0) throw InputError("player responses: bins must be at least 1");
  if (!(options.level > 0 && options.level < 1))
    throw InputError("player responses: the level must be in (0, 1)");
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (!std::isfinite(actual[i]) || !std::isfinite(predicted[i])) {
      throw InputError("player responses: player " + std::to_string(i + 1) +
                       " has a non-finite outcome or prediction");
    }
  }
}

}  // namespace

PlayerResponses player_responses(std::span<const double> actual, std::span<const double> predicted,
                                 std::span<const std::uint8_t> is_control,
                                 const ResponseOptions& options) {
  check_inputs(actual, predicted, is_control, options);
  const std::size_t n = actual.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return predicted[a] < predicted[b]; });

  PlayerResponses result;
  result.counterfactual.resize(n);
  result.response.resize(n);
  result.low.resize(n);
  result.high.resize(n);
  result.bin.resize(n);
  const std::size_t bins = std::min(options.bins, std::max<std::size_t>(n, 1));
  for (std::size_t b = 0; b < bins; ++b) {
    // Equal-count bins of the prediction; players with the same prediction may straddle a
    // boundary, which only moves them between neighbouring calibration sets.
    const std::size_t begin = b * n / bins;
    const std::size_t end = (b + 1) * n / bins;
    std::vector<double> residuals;
    for (std::size_t k = begin; k < end; ++k) {
      const std::size_t i = order[k];
      if (is_control[i]) residuals.push_back(actual[i] - predicted[i]);
    }
    if (residuals.size() < 2) {
      throw InputError("player responses: prediction bin " + std::to_string(b + 1) + " of " +
                       std::to_string(bins) + " has " + std::to_string(residuals.size()) +
                       (residuals.size() == 1 ? " control player" : " control players") +
                       "; at least 2 are needed to measure the model's error");
    }
    const double bias = std::accumulate(residuals.begin(), residuals.end(), 0.0) /
                        static_cast<double>(residuals.size());
    std::sort(residuals.begin(), residuals.end());
    const double q_low = quantile_of_sorted(residuals, (1 - options.level) / 2);
    const double q_high = quantile_of_sorted(residuals, (1 + options.level) / 2);
    for (std::size_t k = begin; k < end; ++k) {
      const std::size_t i = order[k];
      const double raw = actual[i] - predicted[i];
      result.counterfactual[i] = predicted[i] + bias;
      result.response[i] = raw - bias;
      result.low[i] = raw - q_high;
      result.high[i] = raw - q_low;
      result.bin[i] = static_cast<std::uint32_t>(b);
    }
    result.bin_upper_prediction.push_back(end > begin ? predicted[order[end - 1]] : 0);
  }
  return result;
}

ResponseSummary summarise_responses(const PlayerResponses& responses,
                                    std::span<const std::uint8_t> member) {
  ResponseSummary summary;
  std::vector<double> values;
  std::size_t positive = 0;
  std::size_t negative = 0;
  for (std::size_t i = 0; i < member.size(); ++i) {
    if (!member[i]) continue;
    values.push_back(responses.response[i]);
    positive += responses.low[i] > 0;
    negative += responses.high[i] < 0;
  }
  summary.players = values.size();
  if (values.empty()) return summary;
  const double count = static_cast<double>(values.size());
  summary.mean_response = std::accumulate(values.begin(), values.end(), 0.0) / count;
  std::sort(values.begin(), values.end());
  summary.median_response = quantile_of_sorted(values, 0.5);
  summary.share_clearly_positive = static_cast<double>(positive) / count;
  summary.share_clearly_negative = static_cast<double>(negative) / count;
  return summary;
}

}  // namespace playsight::experiment
