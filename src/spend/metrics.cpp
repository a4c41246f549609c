#include "spend/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>

#include "core/error.h"

namespace playsight::spend {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string number_text(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[64];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

void check_amounts(std::span<const double> actual, std::span<const double> predicted) {
  if (actual.empty() && predicted.empty()) {
    throw InputError("spend metrics: no players (the actual and predicted amounts are empty)");
  }
  if (actual.size() != predicted.size()) {
    throw InputError("spend metrics: " + std::to_string(actual.size()) + " actual amounts but " +
                     std::to_string(predicted.size()) +
                     " predicted amounts; expected one of each per player");
  }
  if (actual.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw InputError("spend metrics: " + std::to_string(actual.size()) +
                     " players; at most 4,294,967,295 are supported");
  }
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (!std::isfinite(actual[i]) || actual[i] < 0) {
      throw InputError("spend metrics: the actual amount of the player at position " +
                       std::to_string(i) + " is " + number_text(actual[i]) +
                       "; expected a number >= 0");
    }
    if (!std::isfinite(predicted[i])) {
      throw InputError("spend metrics: the predicted amount of the player at position " +
                       std::to_string(i) + " is " + number_text(predicted[i]) +
                       "; expected a finite number");
    }
  }
}

void check_options(const MetricOptions& options) {
  if (!std::isfinite(options.mape_offset) || options.mape_offset <= 0) {
    throw InputError("spend metrics: the MAPE offset c is " + number_text(options.mape_offset) +
                     "; expected a number > 0");
  }
  if (!std::isfinite(options.small_prediction)) {
    throw InputError("spend metrics: the small-prediction threshold is " +
                     number_text(options.small_prediction) + "; expected a finite number");
  }
  if (options.calibration_buckets < 1) {
    throw InputError("spend metrics: calibration_buckets is " +
                     std::to_string(options.calibration_buckets) + "; expected at least 1");
  }
  double previous = 0;
  for (double edge : options.actual_spend_edges) {
    if (!std::isfinite(edge) || edge <= previous) {
      throw InputError("spend metrics: actual-spend bucket edge " + number_text(edge) +
                       " is not above the one before it (" + number_text(previous) +
                       "); expected increasing edges > 0");
    }
    previous = edge;
  }
}

// Player positions sorted by value ascending; ties keep input order, so everything derived from
// the order is deterministic.
std::vector<std::uint32_t> ascending_order(std::span<const double> values) {
  std::vector<std::uint32_t> order(values.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
  return order;
}

// Calls block(begin, end) for each run of equal values in `order` (positions into it).
template <typename Block>
void for_each_tie_block(std::span<const double> values, const std::vector<std::uint32_t>& order,
                        Block&& block) {
  std::size_t begin = 0;
  while (begin < order.size()) {
    std::size_t end = begin + 1;
    while (end < order.size() && values[order[end]] == values[order[begin]]) ++end;
    block(begin, end);
    begin = end;
  }
}

// 1-based ranks, tied values sharing the average of their ranks.
std::vector<double> average_ranks(std::span<const double> values,
                                  const std::vector<std::uint32_t>& order) {
  std::vector<double> ranks(values.size());
  for_each_tie_block(values, order, [&](std::size_t begin, std::size_t end) {
    const double rank = 0.5 * static_cast<double>(begin + 1 + end);
    for (std::size_t k = begin; k < end; ++k) ranks[order[k]] = rank;
  });
  return ranks;
}

// G = (2/n) Σ_k C_k - 1 with players ordered by score descending and C_k the share of Σy held by
// the first k. Within a block of m tied scores every player counts as the block's mean y, so the
// cumulative share rises evenly through the block: Σ over the block of C = (m·S0 + s·(m+1)/2) / Σy
// where S0 is the sum before the block and s the block's sum.
double gini(std::span<const double> score, std::span<const double> actual,
            const std::vector<std::uint32_t>& ascending, double total_actual) {
  std::vector<std::pair<std::size_t, std::size_t>> blocks;
  for_each_tie_block(score, ascending,
                     [&](std::size_t begin, std::size_t end) { blocks.emplace_back(begin, end); });
  double before = 0;
  double cumulative_sum = 0;
  for (auto block = blocks.rbegin(); block != blocks.rend(); ++block) {
    double sum = 0;
    for (std::size_t k = block->first; k < block->second; ++k) sum += actual[ascending[k]];
    const auto m = static_cast<double>(block->second - block->first);
    cumulative_sum += m * before + sum * (m + 1) / 2;
    before += sum;
  }
  const auto n = static_cast<double>(actual.size());
  return 2.0 / n * (cumulative_sum / total_actual) - 1.0;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const auto n = static_cast<double>(a.size());
  const double mean_a = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mean_b = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double covariance = 0, variance_a = 0, variance_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double da = a[i] - mean_a, db = b[i] - mean_b;
    covariance += da * db;
    variance_a += da * da;
    variance_b += db * db;
  }
  if (variance_a <= 0 || variance_b <= 0) return kNaN;
  return covariance / std::sqrt(variance_a * variance_b);
}

std::vector<CalibrationBucket> calibration_buckets(std::span<const double> actual,
                                                   std::span<const double> predicted,
                                                   const std::vector<std::uint32_t>& ascending,
                                                   int requested) {
  const std::size_t n = actual.size();
  const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(requested), n);
  std::vector<CalibrationBucket> buckets(count);
  for (std::size_t b = 0; b < count; ++b) {
    const std::size_t begin = b * n / count, end = (b + 1) * n / count;
    CalibrationBucket& bucket = buckets[b];
    bucket.players = end - begin;
    bucket.min_predicted = predicted[ascending[begin]];
    bucket.max_predicted = predicted[ascending[end - 1]];
    double sum_predicted = 0, sum_actual = 0;
    for (std::size_t k = begin; k < end; ++k) {
      sum_predicted += predicted[ascending[k]];
      sum_actual += actual[ascending[k]];
    }
    bucket.mean_predicted = sum_predicted / static_cast<double>(bucket.players);
    bucket.mean_actual = sum_actual / static_cast<double>(bucket.players);
    bucket.relative_error =
        bucket.mean_actual > 0
            ? std::fabs(bucket.mean_predicted - bucket.mean_actual) / bucket.mean_actual
            : kNaN;
  }
  return buckets;
}

std::vector<ActualSpendBucket> actual_spend_buckets(std::span<const double> actual,
                                                    std::span<const double> predicted,
                                                    const std::vector<double>& edges) {
  std::vector<ActualSpendBucket> buckets(edges.size() + 2);
  buckets[0].lower = buckets[0].upper = 0;
  for (std::size_t b = 1; b < buckets.size(); ++b) {
    buckets[b].lower = b == 1 ? 0 : edges[b - 2];
    buckets[b].upper =
        b - 1 < edges.size() ? edges[b - 1] : std::numeric_limits<double>::infinity();
  }
  std::vector<double> sum_actual(buckets.size(), 0), sum_predicted(buckets.size(), 0);
  for (std::size_t i = 0; i < actual.size(); ++i) {
    std::size_t b = 0;
    if (actual[i] > 0) {
      b = 1 + static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), actual[i]) -
                                       edges.begin());
    }
    ++buckets[b].players;
    sum_actual[b] += actual[i];
    sum_predicted[b] += predicted[i];
  }
  for (std::size_t b = 0; b < buckets.size(); ++b) {
    const auto players = static_cast<double>(buckets[b].players);
    buckets[b].mean_actual = buckets[b].players ? sum_actual[b] / players : kNaN;
    buckets[b].mean_predicted = buckets[b].players ? sum_predicted[b] / players : kNaN;
  }
  return buckets;
}

void add_error_metrics(std::span<const double> actual, std::span<const double> predicted,
                       SpendMetrics& metrics) {
  double absolute = 0, squared = 0, relative = 0, absolute_payers = 0, predicted_non_payers = 0;
  std::size_t small = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double error = std::fabs(actual[i] - predicted[i]);
    absolute += error;
    squared += error * error;
    relative += error / (actual[i] + metrics.mape_offset);
    metrics.total_actual += actual[i];
    metrics.total_predicted += predicted[i];
    if (actual[i] > 0) {
      ++metrics.payers;
      absolute_payers += error;
    } else {
      predicted_non_payers += predicted[i];
    }
    if (predicted[i] < metrics.small_prediction) ++small;
  }
  const auto n = static_cast<double>(actual.size());
  const auto payers = static_cast<double>(metrics.payers);
  const auto non_payers = n - payers;
  metrics.mae = absolute / n;
  metrics.rmse = std::sqrt(squared / n);
  metrics.mape_after_offset = relative / n;
  metrics.share_predicted_under_small = static_cast<double>(small) / n;
  metrics.mae_payers = metrics.payers ? absolute_payers / payers : kNaN;
  metrics.mean_predicted_non_payers = non_payers > 0 ? predicted_non_payers / non_payers : kNaN;
  if (metrics.total_actual > 0) {
    metrics.aggregate_error =
        (metrics.total_predicted - metrics.total_actual) / metrics.total_actual;
    metrics.total_ratio = metrics.total_predicted / metrics.total_actual;
  } else {
    metrics.aggregate_error = metrics.total_ratio = kNaN;
    metrics.notes.push_back(
        "Nobody spent anything: aggregate error, the ratio of totals and the normalised Gini are "
        "undefined.");
  }
  if (!metrics.payers) metrics.notes.push_back("No payers: MAE on payers is undefined.");
}

void add_ranking_metrics(std::span<const double> actual, std::span<const double> predicted,
                         const std::vector<std::uint32_t>& by_predicted, SpendMetrics& metrics) {
  const auto by_actual = ascending_order(actual);
  const bool constant_prediction =
      predicted[by_predicted.front()] == predicted[by_predicted.back()];

  if (constant_prediction) {
    metrics.normalized_gini = kNaN;
    metrics.notes.push_back(
        "Every prediction is the same: the normalised Gini and Spearman are undefined.");
  } else if (metrics.total_actual > 0) {
    metrics.normalized_gini = gini(predicted, actual, by_predicted, metrics.total_actual) /
                              gini(actual, actual, by_actual, metrics.total_actual);
  } else {
    metrics.normalized_gini = kNaN;
  }

  const auto predicted_ranks = average_ranks(predicted, by_predicted);
  const auto actual_ranks = average_ranks(actual, by_actual);
  metrics.spearman = pearson(predicted_ranks, actual_ranks);
  if (std::isnan(metrics.spearman) && !constant_prediction) {
    metrics.notes.push_back("Every actual amount is the same: Spearman is undefined.");
  }

  // Mann-Whitney: AUC = (sum of payers' ranks - P(P+1)/2) / (P·N); average ranks count ties 1/2.
  const auto payers = static_cast<double>(metrics.payers);
  const double non_payers = static_cast<double>(actual.size()) - payers;
  if (payers > 0 && non_payers > 0) {
    double payer_rank_sum = 0;
    for (std::size_t i = 0; i < actual.size(); ++i) {
      if (actual[i] > 0) payer_rank_sum += predicted_ranks[i];
    }
    metrics.payer_auc = (payer_rank_sum - payers * (payers + 1) / 2) / (payers * non_payers);
  } else {
    metrics.payer_auc = kNaN;
    metrics.notes.push_back(
        "Payer AUC needs both payers and non-payers; this set has only one kind.");
  }
}

void add_calibration(std::span<const double> actual, std::span<const double> predicted,
                     const std::vector<std::uint32_t>& by_predicted, const MetricOptions& options,
                     SpendMetrics& metrics) {
  metrics.calibration =
      calibration_buckets(actual, predicted, by_predicted, options.calibration_buckets);
  double error_sum = 0;
  std::size_t counted = 0;
  for (const auto& bucket : metrics.calibration) {
    if (bucket.mean_actual > 0) {
      error_sum += bucket.relative_error;
      ++counted;
    } else {
      ++metrics.zero_actual_buckets;
    }
  }
  metrics.calibration_error = counted ? error_sum / static_cast<double>(counted) : kNaN;
  metrics.by_actual_spend = actual_spend_buckets(actual, predicted, options.actual_spend_edges);
}

}  // namespace

SpendMetrics compute_spend_metrics(std::span<const double> actual,
                                   std::span<const double> predicted,
                                   const MetricOptions& options) {
  check_options(options);
  check_amounts(actual, predicted);
  SpendMetrics metrics;
  metrics.players = actual.size();
  metrics.mape_offset = options.mape_offset;
  metrics.small_prediction = options.small_prediction;
  add_error_metrics(actual, predicted, metrics);
  const auto by_predicted = ascending_order(predicted);
  add_ranking_metrics(actual, predicted, by_predicted, metrics);
  add_calibration(actual, predicted, by_predicted, options, metrics);
  return metrics;
}

SpendMetrics compute_spend_metrics(std::span<const double> actual,
                                   std::span<const double> predicted,
                                   std::span<const std::uint8_t> predicted_payer,
                                   const MetricOptions& options) {
  SpendMetrics metrics = compute_spend_metrics(actual, predicted, options);
  if (predicted_payer.size() != actual.size()) {
    throw InputError("spend metrics: " + std::to_string(predicted_payer.size()) +
                     " classifier decisions but " + std::to_string(actual.size()) +
                     " players; expected one decision per player");
  }
  std::size_t payers_found = 0, non_payers_found = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (predicted_payer[i] > 1) {
      throw InputError("spend metrics: the classifier decision of the player at position " +
                       std::to_string(i) + " is " + std::to_string(predicted_payer[i]) +
                       "; expected 1 (payer) or 0 (non-payer)");
    }
    if (actual[i] > 0 && predicted_payer[i] == 1) ++payers_found;
    if (actual[i] == 0 && predicted_payer[i] == 0) ++non_payers_found;
  }
  const std::size_t non_payers = metrics.players - metrics.payers;
  metrics.has_classifier = true;
  metrics.payer_recall =
      metrics.payers ? static_cast<double>(payers_found) / static_cast<double>(metrics.payers)
                     : kNaN;
  metrics.non_payer_recall =
      non_payers ? static_cast<double>(non_payers_found) / static_cast<double>(non_payers) : kNaN;
  return metrics;
}

std::vector<SegmentAggregate> aggregate_error_by_segment(std::span<const double> actual,
                                                         std::span<const double> predicted,
                                                         std::span<const std::string> segment) {
  check_amounts(actual, predicted);
  if (segment.size() != actual.size()) {
    throw InputError("spend metrics: " + std::to_string(segment.size()) + " segment labels but " +
                     std::to_string(actual.size()) + " players; expected one label per player");
  }
  std::map<std::string, SegmentAggregate> by_label;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    SegmentAggregate& aggregate = by_label[segment[i]];
    ++aggregate.players;
    aggregate.total_actual += actual[i];
    aggregate.total_predicted += predicted[i];
  }
  std::vector<SegmentAggregate> result;
  result.reserve(by_label.size());
  for (auto& [label, aggregate] : by_label) {
    aggregate.segment = label;
    const bool defined = aggregate.total_actual > 0;
    aggregate.aggregate_error =
        defined ? (aggregate.total_predicted - aggregate.total_actual) / aggregate.total_actual
                : kNaN;
    aggregate.total_ratio = defined ? aggregate.total_predicted / aggregate.total_actual : kNaN;
    result.push_back(std::move(aggregate));
  }
  return result;
}

}  // namespace playsight::spend
