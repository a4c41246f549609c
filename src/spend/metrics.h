#pragma once
// Spend prediction metrics: how well predicted top-up amounts match actual ones, per player, as
// defined in notes/spend-metrics.md (the one place where the definitions live; this file follows
// it exactly). Every model of the comparison table is scored by compute_spend_metrics on the same
// players, so the rows are comparable.
//
// Inputs are the actual amount y_i (>= 0, finite) and the predicted amount ŷ_i (finite, any sign)
// of each player, in the same order; optionally, for classify-then-regress models, the classifier
// stage's decision (1 = predicted payer, 0 = predicted non-payer). A metric that is undefined for
// the input (a Gini for a constant prediction, an AUC without payers) is NaN, and `notes` says why.
//
// Cost: two sorts of the players (by ŷ and by y), O(n log n); 750,000 players take well under a
// second. Thread-safe: pure functions of their arguments.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace playsight::spend {

struct MetricOptions {
  double mape_offset = 1000;       // c in "MAPE after adding c": |y - ŷ| / (y + c)
  double small_prediction = 1000;  // "share of predictions under" this amount
  int calibration_buckets = 10;    // equal-count buckets by ŷ (deciles); fewer if fewer players
  std::vector<double> actual_spend_edges{1000, 10000, 100000, 1000000};  // see by_actual_spend
};

// One bucket of players, ranked by predicted amount (bucket 1 = lowest predictions).
struct CalibrationBucket {
  std::size_t players = 0;
  double min_predicted = 0;
  double max_predicted = 0;
  double mean_predicted = 0;
  double mean_actual = 0;
  double relative_error = 0;  // |mean ŷ - mean y| / mean y; NaN when mean y = 0
};

// Players grouped by their actual amount: y = 0, then [0, e1), [e1, e2), ..., [e_last, inf) over
// payers, with e = MetricOptions::actual_spend_edges. Shows where in the spend range a model errs.
struct ActualSpendBucket {
  double lower = 0;  // inclusive; the non-payer bucket has lower = upper = 0
  double upper = 0;  // exclusive; +inf for the last bucket
  std::size_t players = 0;
  double mean_actual = 0;     // NaN when the bucket is empty
  double mean_predicted = 0;  // NaN when the bucket is empty
};

struct SpendMetrics {
  std::size_t players = 0;
  std::size_t payers = 0;  // y > 0
  double mape_offset = 1000;
  double small_prediction = 1000;

  double mae = 0;                // mean |y - ŷ|
  double rmse = 0;               // sqrt(mean (y - ŷ)²)
  double mape_after_offset = 0;  // mean |y - ŷ| / (y + c)
  double normalized_gini = 0;    // G(ŷ) / G(y); NaN for a constant ŷ or when Σy = 0
  double spearman = 0;         // Pearson correlation of average-tie ranks; NaN if y or ŷ constant
  double total_actual = 0;     // Σy
  double total_predicted = 0;  // Σŷ
  double aggregate_error = 0;  // (Σŷ - Σy) / Σy; NaN when Σy = 0
  double total_ratio = 0;      // Σŷ / Σy; NaN when Σy = 0
  double payer_auc = 0;        // score ŷ, label y > 0, ties count 1/2; NaN without both classes
  double mae_payers = 0;       // mean |y - ŷ| over payers; NaN without payers
  double mean_predicted_non_payers = 0;    // mean ŷ over y = 0; NaN without non-payers
  double share_predicted_under_small = 0;  // share of players with ŷ < small_prediction

  // Decile calibration: the buckets, the mean relative error over buckets with mean y > 0 (NaN if
  // none), and how many buckets had mean y = 0 (those are not divided by; see their mean ŷ).
  std::vector<CalibrationBucket> calibration;
  double calibration_error = 0;
  std::size_t zero_actual_buckets = 0;

  std::vector<ActualSpendBucket> by_actual_spend;

  // The classifier stage, when one was given: share of payers predicted payer, share of
  // non-payers predicted non-payer (NaN when the class is absent).
  bool has_classifier = false;
  double payer_recall = 0;
  double non_payer_recall = 0;

  std::vector<std::string> notes;  // why a metric is NaN, in a sentence each
};

// Scores predictions against actual amounts. Throws InputError when the inputs are empty, differ
// in length, an actual amount is negative, NaN or infinite, a prediction is NaN or infinite, or
// an option is out of range; the message names the offending position and value.
SpendMetrics compute_spend_metrics(std::span<const double> actual,
                                   std::span<const double> predicted,
                                   const MetricOptions& options = {});

// Same, plus the classifier stage's decision per player (1 = payer, 0 = non-payer), which must
// have the same length and hold only 0 and 1.
SpendMetrics compute_spend_metrics(std::span<const double> actual,
                                   std::span<const double> predicted,
                                   std::span<const std::uint8_t> predicted_payer,
                                   const MetricOptions& options = {});

// Aggregate error within one segment (a country, a nudge group, a spend tier).
struct SegmentAggregate {
  std::string segment;
  std::size_t players = 0;
  double total_actual = 0;
  double total_predicted = 0;
  double aggregate_error = 0;  // (Σŷ - Σy) / Σy; NaN when Σy = 0
  double total_ratio = 0;      // Σŷ / Σy; NaN when Σy = 0
};

// Aggregate error per segment label, one entry per distinct label in ascending order of label.
// Same input checks as compute_spend_metrics; `segment` must have the same length.
std::vector<SegmentAggregate> aggregate_error_by_segment(std::span<const double> actual,
                                                         std::span<const double> predicted,
                                                         std::span<const std::string> segment);

}  // namespace playsight::spend
