#pragma once
// The spend model comparison: one row of metrics per model, scored on the same players, and the
// four ways it is shown — a terminal table, CSV (one row per model), JSON (everything, including
// the decile tables and the plot samples) and a self-contained HTML report for people (the table
// with the best value per column highlighted, decile calibration charts, predicted-vs-actual
// plots; Chart.js is embedded in the binary at build time, so a report opens offline).
//
// Typical use (`playsight compare`): for each model, score_model(...) on the test players; fill a
// ComparisonContext; then write_comparison_report(...) and print comparison_terminal_table(...).
//
// Rows keep the order they are given in (the CLI puts the team's aliases first, then the new
// models, then the reference rows). Metrics that are undefined (NaN) print as "n/a", are empty in
// CSV and null in JSON. Writers are pure functions of the report; thread-safe.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spend/metrics.h"

namespace playsight::spend {

// "team": the team's nine aliases; "new": models that fix their failure; "reference": rows that
// anchor the scale (predict 0 for everyone, each player's last-30-day top-up, BG/NBD x
// Gamma-Gamma).
enum class ModelKind { kTeam, kNew, kReference };
std::string_view model_kind_name(ModelKind kind);

struct PredictionPair {
  double actual = 0;
  double predicted = 0;
};

struct ComparisonRow {
  std::string alias;
  std::string description;  // one line, for people
  ModelKind kind = ModelKind::kNew;
  SpendMetrics metrics;
  double training_seconds = std::numeric_limits<double>::quiet_NaN();  // NaN: nothing trained
  std::vector<PredictionPair> sample;  // for plots; see sample_prediction_pairs
};

// What the rows were measured on.
struct ComparisonContext {
  std::string title = "Spend model comparison";
  std::string data_source;  // the feature table or transaction file, as the user named it
  std::size_t train_players = 0;
  std::size_t validation_players = 0;
  std::size_t test_players = 0;  // the players every row is scored on
  double test_payer_share = std::numeric_limits<double>::quiet_NaN();
  std::string cutoff;   // YYYY-MM-DD: end of the features' history, start of the label
  std::string horizon;  // the label window, as given ("30d", "39w")
  std::string currency = "KRW";
  std::vector<std::string> protocol_notes;  // one sentence each: split, trimming, seeds, ...
  std::string generated_by;                 // e.g. "playsight 0.1.0"; shown in the footer
};

struct ComparisonReport {
  ComparisonContext context;
  std::vector<ComparisonRow> rows;
};

// One model's predictions on the test players, ready to be scored.
// Every member has an initializer, so {.alias = ..., .predicted = ...} may leave any out.
struct ModelPredictions {
  std::string alias{};
  std::string description{};
  ModelKind kind = ModelKind::kNew;
  std::span<const double> predicted{};
  std::span<const std::uint8_t> predicted_payer{};  // classifier (1 payer, 0 not); empty: none
  double training_seconds = std::numeric_limits<double>::quiet_NaN();
};

// Scores a model: compute_spend_metrics plus a plot sample of up to `sample_size` players.
// Throws InputError as compute_spend_metrics does (the message is prefixed with the alias).
ComparisonRow score_model(const ModelPredictions& model, std::span<const double> actual,
                          const MetricOptions& options = {}, std::size_t sample_size = 2000);

// Up to `max_pairs` (actual, predicted) pairs at evenly spaced positions (k·n/m for k < m), so
// every model of a comparison is sampled at the same players. REQUIRES: equal lengths.
std::vector<PredictionPair> sample_prediction_pairs(std::span<const double> actual,
                                                    std::span<const double> predicted,
                                                    std::size_t max_pairs = 2000);

// Aligned columns: alias, kind, MAE, MAPE+c, payer recall, non-payer recall, share < threshold,
// normalised Gini, Spearman, Σŷ/Σy, MAE on payers, decile calibration error, training seconds;
// a rule between kinds, and a legend. Amounts with thousands separators.
std::string comparison_terminal_table(const ComparisonReport& report);

// One header row and one row per model with every scalar metric and the per-decile means.
std::string comparison_csv(const ComparisonReport& report);

// Everything: the context, and per model its metrics (with the decile and actual-spend tables and
// notes) and plot sample. Pretty-printed; NaN as null.
std::string comparison_json(const ComparisonReport& report);

// One self-contained HTML file (no network access needed or made).
std::string comparison_html(const ComparisonReport& report);

struct ComparisonFiles {
  std::string csv;
  std::string json;
  std::string html;
};

// Writes comparison.csv, comparison.json and comparison.html into `folder` (created if missing)
// and returns their paths. Throws Error when a file cannot be written.
ComparisonFiles write_comparison_report(const ComparisonReport& report, const std::string& folder);

}  // namespace playsight::spend
