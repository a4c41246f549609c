#include "spend/history/backtest.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <random>

#include "core/error.h"
#include "core/parallel.h"
#include "spend/history/panel_forecast.h"
#include "spend/history/power_calibration.h"

namespace playsight::spend::history {
namespace {

constexpr int kYear = 365;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double sum(const std::vector<double>& values) {
  double total = 0;
  for (double v : values) total += v;
  return total;
}

// 95 % interval of actual / predicted total over `draws` resamples of `size` held-out customers.
std::pair<double, double> ratio_interval(const PanelForecast& forecast, std::size_t size, int draws,
                                         std::uint64_t seed) {
  const std::size_t n = forecast.held_out_actual.size();
  if (n == 0 || draws < 2) return {std::nan(""), std::nan("")};
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<double> ratios;
  for (int d = 0; d < draws; ++d) {
    double actual = 0, predicted = 0;
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t k = pick(random);
      actual += forecast.held_out_actual[k];
      predicted += forecast.held_out_predicted[k];
    }
    if (predicted > 0) ratios.push_back(actual / predicted);
  }
  if (ratios.size() < 2) return {std::nan(""), std::nan("")};
  std::sort(ratios.begin(), ratios.end());
  const auto at = [&](double q) {
    return ratios[static_cast<std::size_t>(q * static_cast<double>(ratios.size() - 1))];
  };
  return {at(0.025), at(0.975)};
}

// A correction of a model's predictions at a cutoff: a power calibration, times a season step.
struct Correction {
  PowerCalibration map;
  double season = 1;
  std::string note = "none";
  double operator()(double p) const { return season * map(p); }
};

Correction trend_season_correction(SnapshotCache& snapshots, Days cutoff,
                                   const PanelForecast& panel, const BacktestOptions& options);

// The same recipe one year earlier: its predictions there, calibrated (level and shape) to what
// happened. Where the history is too short for it, the trend and season correction.
Correction year_over_year_correction(SnapshotCache& snapshots, Days cutoff,
                                     const BacktestModel& model, const PanelForecast& panel,
                                     const BacktestOptions& options) {
  const Days year_before = cutoff - kYear;
  const PurchaseHistory& history = snapshots.history();
  Correction correction;
  if (training_cutoffs(history, year_before, options.horizon_days, options.training_windows)
          .empty()) {
    return trend_season_correction(snapshots, cutoff, panel, options);
  }
  const PanelForecast past = forecast(snapshots, year_before, model, options);
  correction.map = fit_power_calibration(past.predicted, snapshots.at(year_before).spend_next);
  correction.note = "year-over-year " + correction.map.describe() + " (the same recipe at " +
                    format_date(year_before) + ")";
  return correction;
}

// The latest training window's shape and level (a power map, predicted to actual: what the pooled
// windows miss), times the step of the shop's spend from that window to the horizon one year
// before.
Correction trend_season_correction(SnapshotCache& snapshots, Days cutoff,
                                   const PanelForecast& panel, const BacktestOptions& options) {
  Correction correction;
  // Shape and level of every customer of the latest window (its held-out fifth alone was too
  // few for a stable exponent on the development cutoffs).
  correction.map = fit_power_calibration(panel.latest_predicted, panel.latest_actual, 20);
  correction.note = "trend " + correction.map.describe() + " (latest window " +
                    format_date(panel.training_cutoffs.front()) + ")";
  const Days year_before = cutoff - kYear;
  if (year_before - options.horizon_days <= snapshots.history().first_day()) {
    correction.note += "; no season: the history starts less than a year before";
    return correction;
  }
  const double before = sum(snapshots.at(year_before - options.horizon_days).spend_next);
  const double during = sum(snapshots.at(year_before).spend_next);
  if (!(before > 0) || !(during > 0)) {
    correction.note += "; no season: no spend a year before";
    return correction;
  }
  correction.season = during / before;
  correction.note += ", season x" + std::to_string(correction.season).substr(0, 5) + " (" +
                     format_date(year_before - options.horizon_days) + " to " +
                     format_date(year_before) + ")";
  return correction;
}

ModelPredictions predictions_of(const std::string& alias, const std::string& description,
                                ModelKind kind, const std::vector<double>& predicted,
                                double seconds) {
  ModelPredictions out;
  out.alias = alias;
  out.description = description;
  out.kind = kind;
  out.predicted = predicted;
  out.training_seconds = seconds;
  return out;
}

// What the user is promised, in one number: normalised Gini (ranking) minus decile MAPE (the
// level of each tenth) minus |total error| (the sum), each on its own natural scale (0 to 1 for
// a useful model), so that none of the three can be traded away for free.
double selection_score(const SpendMetrics& metrics) {
  const double gini = std::isfinite(metrics.normalized_gini) ? metrics.normalized_gini : 0;
  const double deciles = std::isfinite(metrics.calibration_error) ? metrics.calibration_error : 1;
  const double total =
      std::isfinite(metrics.aggregate_error) ? std::fabs(metrics.aggregate_error) : 1;
  return gini - deciles - total;
}

void validate(const PurchaseHistory& history, const BacktestOptions& options) {
  if (options.horizon_days < 1 || options.horizon_days > 366)
    throw InputError("--horizon must be between 1 and 366 days");
  if (options.training_windows < 1 || options.training_windows > 60)
    throw InputError("--training-windows must be between 1 and 60, got " +
                     std::to_string(options.training_windows));
  if (options.season_windows < 0 || options.season_windows > 12)
    throw InputError("--season-windows must be between 0 and 12, got " +
                     std::to_string(options.season_windows));
  if (options.selection_cutoffs < 0 || options.selection_cutoffs > 12)
    throw InputError("--selection-cutoffs must be between 0 and 12");
  if (options.bootstrap_draws < 0) throw InputError("--bootstrap must be >= 0");
  for (const Days cutoff : options.cutoffs) {
    if (cutoff <= history.first_day() || cutoff + options.horizon_days - 1 > history.last_day()) {
      throw InputError("--cutoffs: " + format_date(cutoff) + " is outside the data: the history " +
                       history.path + " runs from " + format_date(history.first_day()) + " to " +
                       format_date(history.last_day()) + ", and a cutoff needs the " +
                       std::to_string(options.horizon_days) + " days after it");
    }
  }
}

std::vector<BacktestModel> chosen_models(const BacktestOptions& options) {
  if (options.models.empty()) return backtest_models();
  std::vector<BacktestModel> chosen;
  for (const std::string& alias : options.models) {
    if (alias == "bgnbd_gamma_gamma" || alias == "zero_model" || alias == "selected") continue;
    const auto& all = backtest_models();
    const auto found = std::find_if(all.begin(), all.end(),
                                    [&](const BacktestModel& m) { return m.alias == alias; });
    if (found == all.end()) {
      std::string known;
      for (const auto& m : all) known += (known.empty() ? "" : ", ") + m.alias;
      throw InputError("--models: unknown model '" + alias + "' for a transaction backtest; the " +
                       "models are: " + known +
                       " (bgnbd_gamma_gamma and zero_model are always "
                       "there)");
    }
    chosen.push_back(*found);
  }
  return chosen;
}

}  // namespace

TotalCorrection total_correction_from(const std::string& text, const std::string& flag) {
  for (auto c :
       {TotalCorrection::kNone, TotalCorrection::kTrendSeason, TotalCorrection::kYearOverYear}) {
    if (total_correction_name(c) == text) return c;
  }
  throw InputError(flag + ": expected none, trend-season or year-over-year, got " +
                   quote_for_message(text));
}

std::string total_correction_name(TotalCorrection correction) {
  switch (correction) {
    case TotalCorrection::kNone:
      return "none";
    case TotalCorrection::kTrendSeason:
      return "trend-season";
    case TotalCorrection::kYearOverYear:
      return "year-over-year";
  }
  return "none";
}

const std::vector<BacktestModel>& backtest_models() {
  static const std::vector<BacktestModel> models{
      {"hybrid_tweedie", "boosted Tweedie trees on RFM + BG/NBD quantities + season and shop trend",
       "tweedie_model", true},
      {"hybrid_ziln",
       "zero-inflated lognormal head (P(buy) x lognormal mean) on the hybrid features",
       "ziln_model", true},
      {"hybrid_hurdle", "P(buy) x Gamma-regression trees on the hybrid features",
       "hurdle_gamma_model", true},
      {"rfm_tweedie", "boosted Tweedie trees on the 12 RFM features (the plain peer)",
       "tweedie_model", false},
  };
  return models;
}

std::vector<Days> evaluated_cutoffs(const PurchaseHistory& history,
                                    const BacktestOptions& options) {
  std::vector<Days> cutoffs = options.cutoffs;
  if (cutoffs.empty()) {
    if (options.backtest < 1 || options.backtest > 24)
      throw InputError("--backtest must be between 1 and 24, got " +
                       std::to_string(options.backtest));
    const Days last = history.last_day() + 1 - options.horizon_days;
    for (int k = options.backtest - 1; k >= 0; --k)
      cutoffs.push_back(last - static_cast<Days>(k) * options.horizon_days);
  }
  std::sort(cutoffs.begin(), cutoffs.end());
  cutoffs.erase(std::unique(cutoffs.begin(), cutoffs.end()), cutoffs.end());
  return cutoffs;
}

BacktestResult run_backtest(const PurchaseHistory& history, const BacktestOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  validate(history, options);
  const std::vector<Days> evaluated = evaluated_cutoffs(history, options);
  BacktestOptions checked = options;
  checked.cutoffs = evaluated;
  validate(history, checked);
  const std::vector<BacktestModel> models = chosen_models(options);

  // Selection cutoffs before the first evaluated one (those with a window to train on).
  std::vector<std::pair<Days, bool>> plan;
  for (int k = options.selection_cutoffs; k >= 1; --k) {
    const Days cutoff = evaluated.front() - static_cast<Days>(k) * options.horizon_days;
    if (!training_cutoffs(history, cutoff, options.horizon_days, options.training_windows).empty())
      plan.emplace_back(cutoff, false);
  }
  for (const Days cutoff : evaluated) plan.emplace_back(cutoff, true);

  SnapshotCache snapshots(history, options.horizon_days, options.returns, options.threads);
  BacktestResult result;
  result.data_source = history.path;
  result.horizon_days = options.horizon_days;
  result.returns = options.returns;
  // Scores of every learnt model at every scored cutoff, for the selection.
  std::map<std::string, std::vector<std::pair<Days, double>>> scores;

  for (const auto& step : plan) {
    // Named copies, not structured bindings: lambdas below use them (clang 14 cannot capture a
    // structured binding).
    const auto cutoff = step.first;
    const bool is_evaluated = step.second;
    const CustomerSnapshot& snapshot = snapshots.at(cutoff);
    const std::vector<double>& actual = snapshot.spend_next;
    CutoffResult out;
    out.cutoff = cutoff;
    out.evaluated = is_evaluated;

    // The learnt models train side by side, one thread each: on a panel of some ten thousand
    // rows a tree round is too short for XGBoost's threads to pay for their synchronisation.
    struct Outcome {
      PanelForecast panel;
      ComparisonRow row;
      TotalEstimate total;
    };
    std::vector<Outcome> outcomes(models.size());
    BacktestOptions one_thread = options;
    one_thread.threads = 1;
    parallel_for(models.size(), options.threads, [&](std::size_t m, unsigned) {
      const BacktestModel& model = models[m];
      const auto model_start = std::chrono::steady_clock::now();
      Outcome& outcome = outcomes[m];
      outcome.panel = forecast(snapshots, cutoff, model, one_thread);
      const PanelForecast& panel = outcome.panel;
      TotalEstimate& total = outcome.total;
      total.raw_predicted = sum(panel.predicted);
      std::vector<double> predicted = panel.predicted;
      Correction correction;
      if (options.total_correction == TotalCorrection::kYearOverYear) {
        correction = year_over_year_correction(snapshots, cutoff, model, panel, one_thread);
      } else if (options.total_correction == TotalCorrection::kTrendSeason) {
        correction = trend_season_correction(snapshots, cutoff, panel, options);
      }
      for (double& p : predicted) p = correction(p);
      total.correction = total.raw_predicted > 0 ? sum(predicted) / total.raw_predicted : 1;
      total.correction_note = correction.note;
      const auto [low, high] =
          ratio_interval(panel, actual.size(), options.bootstrap_draws, options.seed);
      total.low = low * sum(predicted);
      total.high = high * sum(predicted);
      outcome.row = score_model(predictions_of(model.alias, model.description, ModelKind::kNew,
                                               predicted, seconds_since(model_start)),
                                actual);
    });
    for (std::size_t m = 0; m < models.size(); ++m) {
      out.training_cutoffs = outcomes[m].panel.training_cutoffs;
      out.training_rows = outcomes[m].panel.training_rows;
      out.report.rows.push_back(std::move(outcomes[m].row));
      scores[models[m].alias].emplace_back(cutoff, selection_score(out.report.rows.back().metrics));
      out.totals.push_back(outcomes[m].total);
    }

    // The model chosen on earlier cutoffs whose horizon has ended by this one.
    double best = -std::numeric_limits<double>::infinity();
    std::size_t best_row = 0;
    for (std::size_t m = 0; m < models.size(); ++m) {
      double total_score = 0;
      int counted = 0;
      for (const auto& [scored, score] : scores[models[m].alias]) {
        if (scored + options.horizon_days <= cutoff) {
          total_score += score;
          ++counted;
        }
      }
      if (counted > 0 && total_score / counted > best) {
        best = total_score / counted;
        best_row = m;
        out.selected_alias = models[m].alias;
      }
    }
    if (!out.selected_alias.empty()) {
      ComparisonRow row = out.report.rows[best_row];
      row.alias = "selected";
      row.description = "the model chosen on earlier cutoffs: " + out.selected_alias;
      out.report.rows.insert(out.report.rows.begin(), row);
      out.totals.insert(out.totals.begin(), out.totals[best_row]);
    } else {
      out.notes.push_back("no earlier scored cutoff: no model selected here");
    }

    const auto reference_start = std::chrono::steady_clock::now();
    std::vector<double> reference = snapshot.reference_spend;
    if (!snapshot.reference_note.empty()) {
      out.notes.push_back(snapshot.reference_note);
      reference.assign(actual.size(), 0.0);
    }
    out.report.rows.push_back(score_model(
        predictions_of("bgnbd_gamma_gamma",
                       "reference: BG/NBD purchase days x Gamma-Gamma value, fitted on all "
                       "history before the cutoff",
                       ModelKind::kReference, reference, seconds_since(reference_start)),
        actual));
    out.totals.push_back({sum(reference), 1, "", std::nan(""), std::nan("")});
    const std::vector<double> zeros(actual.size(), 0.0);
    out.report.rows.push_back(
        score_model(predictions_of("zero_model", "reference: predict 0 for everyone",
                                   ModelKind::kReference, zeros, std::nan("")),
                    actual));
    out.totals.push_back({0, 1, "", std::nan(""), std::nan("")});
    result.cutoffs.push_back(std::move(out));
  }
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace playsight::spend::history
