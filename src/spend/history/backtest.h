#pragma once
// Backtest: spend models compared on a purchase history at several rolling cutoffs, each scored
// only on what happened after it, as a forecaster would have been at that date.
//
// At an evaluated cutoff c with horizon H, a learnt model is trained on a panel of earlier
// snapshots (customer_snapshot.h) at c - H, c - 2H, ..., c - W H (W = training_windows; a window
// needs H days of history before it) and, where the history reaches, the season windows around
// one year before (c - 365, c - 365 - H, c - 365 + H: season_windows), all with labels ending by
// c; 20 % of the customers (by a hash of their id, the same at every cutoff) are held out of
// training for early stopping. It then predicts every customer of the snapshot at c, and is
// scored on their spend in [c, c + H).
//
// The total: a model trained on earlier windows inherits their level, and in a growing shop or
// before a seasonal peak it predicts too little. "trend-season" scales every prediction by one
// factor: the latest training window's actual / predicted total (the trend the pooled windows
// miss), times, where a year of history exists, the shop's spend step from that window into the
// horizon one year before (the season). "year-over-year": the actual / predicted total of the
// same recipe run at c - 365 (twice the training). "auto" (the default) scores every learnt
// model both without a correction and with "trend-season", and lets the selection choose (below).
// One factor per model and cutoff: ranks, and so the Gini, never change. The interval for the
// total is a bootstrap over customers: the ratio actual / predicted total of the held-out
// customers of the latest training window, resampled to the evaluated cutoff's number of
// customers (200 draws, 2.5 % and 97.5 % quantiles), applied to the predicted total.
//
// "hybrid_ensemble" is the mean of the three hybrid heads' predictions (Tweedie, ZILN, hurdle),
// each trained once per cutoff whether or not it is shown.
//
// "selected" is the model, with its correction, chosen at c by rolling-origin cross-validation:
// the best mean score (normalised Gini minus decile MAPE minus |total error|) over the earlier
// scored cutoffs whose horizon ended by c (the selection cutoffs before the first evaluated one,
// and earlier evaluated ones). The evaluated horizon itself never takes part in choosing.
//
// The rows "bgnbd_gamma_gamma" (BG/NBD x Gamma-Gamma fitted at c on all history) and
// "zero_model" (predict 0) are always present. Thread-safety: run_backtest is pure.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/time.h"
#include "spend/comparison_report.h"
#include "spend/history/purchase_history.h"

namespace playsight::spend::history {

// How the predicted total is corrected for the season and trend the training windows miss.
enum class TotalCorrection {
  kAuto,  // none and trend-season both scored; the selection chooses
  kNone,
  kTrendSeason,   // latest window's level, times last year's seasonal step
  kYearOverYear,  // actual / predicted total of the same recipe one year earlier
};
// "auto", "none", "trend-season", "year-over-year"; throws InputError naming `flag` otherwise.
TotalCorrection total_correction_from(const std::string& text, const std::string& flag);
std::string total_correction_name(TotalCorrection correction);

struct BacktestOptions {
  std::vector<Days> cutoffs;  // evaluated cutoffs; empty: the `backtest` latest ones
  int backtest = 3;           // with no cutoffs: this many, H apart, the last ending at the data's
  int horizon_days = 30;
  int training_windows = 6;         // W
  int season_windows = 3;           // windows around one year before (panel_forecast.h), 0: none
  int selection_cutoffs = 2;        // scored before the first evaluated cutoff, for "selected"
  std::vector<std::string> models;  // aliases (see backtest_models()); empty: all
  ReturnsMode returns = ReturnsMode::kGross;
  TotalCorrection total_correction = TotalCorrection::kAuto;
  int bootstrap_draws = 200;
  int max_depth = 4;  // of the learnt models' trees
  double learning_rate = 0.1;
  double min_child_weight = 5;
  int max_rounds = 200;
  unsigned threads = 0;
  std::uint64_t seed = 42;
};

// A learnt model of the backtest: a spend model of the catalogue on a feature set, or the mean of
// other learnt models' predictions (members).
struct BacktestModel {
  std::string alias;
  std::string description;
  std::string catalog_alias;  // in spend/models/spend_model.h's registry; empty for an ensemble
  bool hybrid_features = true;
  std::vector<std::string> members;  // aliases of the models averaged; empty for a single model
};
const std::vector<BacktestModel>& backtest_models();
// Throws InputError listing the models when there is none by that alias.
const BacktestModel& find_backtest_model(const std::string& alias);

struct TotalEstimate {
  double raw_predicted = 0;  // before the correction
  double correction = 1;     // the factor applied
  std::string correction_name = "none";
  std::string correction_note;
  double low = 0, high = 0;  // 95 % interval of the actual total
};

// One metric of the selected row against BG/NBD x Gamma-Gamma at an evaluated cutoff, with a
// paired bootstrap: the customers are drawn with replacement `draws` times and both rows are
// scored on every draw, so the interval says how large a difference this one horizon of these
// customers can show by chance (a 30-day decile MAPE moves by several hundredths between draws).
struct PairedDifference {
  double observed = std::numeric_limits<double>::quiet_NaN();      // selected minus reference
  double low = std::numeric_limits<double>::quiet_NaN();           // 2.5 % quantile over the draws
  double high = std::numeric_limits<double>::quiet_NaN();          // 97.5 %
  double share_better = std::numeric_limits<double>::quiet_NaN();  // draws the selected wins
};

struct VersusReference {
  int draws = 0;  // 0: not computed (no selected row, no reference fit, or bootstrap_draws 0)
  PairedDifference gini;             // normalised Gini; higher is better
  PairedDifference decile_mape;      // lower is better
  PairedDifference abs_total_error;  // |total error|; lower is better
};

struct CutoffResult {
  Days cutoff = 0;
  bool evaluated = true;  // false: a selection cutoff (scored only to choose the model)
  std::vector<Days> training_cutoffs;
  std::size_t training_rows = 0;
  ComparisonReport report;            // one row per model, "selected" first when evaluated
  std::vector<TotalEstimate> totals;  // per row of the report
  std::string selected_alias;         // the row "selected" stands for
  VersusReference versus_reference;   // evaluated cutoffs: selected against BG/NBD
  std::vector<std::string> notes;
};

struct BacktestResult {
  std::string data_source;
  int horizon_days = 30;
  ReturnsMode returns = ReturnsMode::kGross;
  std::vector<CutoffResult> cutoffs;  // selection cutoffs first, then the evaluated ones
  double seconds = 0;
};

// Throws InputError naming the option for cutoffs outside the history (or with no earlier window
// to train on), bad counts, unknown aliases.
BacktestResult run_backtest(const PurchaseHistory& history, const BacktestOptions& options);

// The evaluated cutoffs: options.cutoffs sorted, or the `backtest` latest complete windows.
std::vector<Days> evaluated_cutoffs(const PurchaseHistory& history, const BacktestOptions& options);

}  // namespace playsight::spend::history
