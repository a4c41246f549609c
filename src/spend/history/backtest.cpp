#include "spend/history/backtest.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <tuple>

#include "core/error.h"
#include "core/parallel.h"
#include "core/random.h"
#include "spend/history/panel_forecast.h"

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

// The 2.5 % and 97.5 % quantiles of `values` (sorted here), nearest lower rank; NaN for fewer
// than two values.
std::pair<double, double> interval_95(std::vector<double>& values) {
  if (values.size() < 2) return {std::nan(""), std::nan("")};
  std::sort(values.begin(), values.end());
  const auto at = [&](double q) {
    return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
  };
  return {at(0.025), at(0.975)};
}

// 95 % interval of actual / predicted total over `draws` resamples of `size` held-out customers.
std::pair<double, double> ratio_interval(const PanelForecast& forecast, std::size_t size, int draws,
                                         std::uint64_t seed) {
  const std::size_t n = forecast.held_out_actual.size();
  if (n == 0 || draws < 2) return {std::nan(""), std::nan("")};
  Rng random(seed);
  std::vector<double> ratios;
  for (int d = 0; d < draws; ++d) {
    double actual = 0, predicted = 0;
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t k = random.below(n);
      actual += forecast.held_out_actual[k];
      predicted += forecast.held_out_predicted[k];
    }
    if (predicted > 0) ratios.push_back(actual / predicted);
  }
  return interval_95(ratios);
}

// The paired bootstrap of VersusReference: draw d resamples the customers with its own stream
// Rng(seed, d), so the figures do not depend on the number of threads.
VersusReference versus_reference(const std::vector<double>& actual,
                                 const std::vector<double>& selected,
                                 const std::vector<double>& reference, int draws,
                                 std::uint64_t seed, unsigned threads) {
  struct Scores {
    double gini, deciles, total;
  };
  const auto score = [](const SpendMetrics& m) {
    return Scores{m.normalized_gini, m.calibration_error, std::fabs(m.aggregate_error)};
  };
  VersusReference out;
  if (draws < 2 || actual.empty()) return out;
  std::vector<Scores> of_selected(static_cast<std::size_t>(draws));
  std::vector<Scores> of_reference(static_cast<std::size_t>(draws));
  parallel_for(of_selected.size(), threads, [&](std::size_t d, unsigned) {
    Rng random(seed, d);
    std::vector<double> y(actual.size()), a(actual.size()), b(actual.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
      const std::size_t k = random.below(actual.size());
      y[i] = actual[k];
      a[i] = selected[k];
      b[i] = reference[k];
    }
    of_selected[d] = score(compute_spend_metrics(y, a));
    of_reference[d] = score(compute_spend_metrics(y, b));
  });
  const Scores whole_selected = score(compute_spend_metrics(actual, selected));
  const Scores whole_reference = score(compute_spend_metrics(actual, reference));
  const auto difference = [&](double Scores::*field, bool higher_is_better) {
    PairedDifference diff;
    diff.observed = whole_selected.*field - whole_reference.*field;
    std::vector<double> values;
    int better = 0;
    for (std::size_t d = 0; d < of_selected.size(); ++d) {
      const double value = of_selected[d].*field - of_reference[d].*field;
      if (!std::isfinite(value)) continue;  // a draw without buyers has no Gini
      values.push_back(value);
      if (higher_is_better ? value > 0 : value < 0) ++better;
    }
    if (values.size() < 2) return diff;
    diff.share_better = static_cast<double>(better) / static_cast<double>(values.size());
    std::tie(diff.low, diff.high) = interval_95(values);
    return diff;
  };
  out.draws = draws;
  out.gini = difference(&Scores::gini, true);
  out.decile_mape = difference(&Scores::deciles, false);
  out.abs_total_error = difference(&Scores::total, false);
  return out;
}

// Forecasts per (model, target cutoff), each computed once: the ensemble averages its members'
// and the year-over-year correction needs the same recipe a year earlier.
class ForecastCache {
 public:
  ForecastCache(SnapshotCache& snapshots, const BacktestOptions& options)
      : snapshots_(snapshots), options_(options) {
    options_.threads = 1;  // the models train side by side, one thread each (see run_backtest)
  }

  SnapshotCache& snapshots() { return snapshots_; }

  const PanelForecast& at(const BacktestModel& model, Days target) {
    const std::pair<std::string, Days> key{model.alias, target};
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (auto found = forecasts_.find(key); found != forecasts_.end()) return found->second;
    }
    PanelForecast computed = model.members.empty() ? forecast(snapshots_, target, model, options_)
                                                   : mean_of(model, target);
    const std::lock_guard<std::mutex> lock(mutex_);
    return forecasts_.emplace(key, std::move(computed)).first->second;  // std::map: never moves
  }

 private:
  PanelForecast mean_of(const BacktestModel& ensemble, Days target) {
    PanelForecast mean;
    const auto add = [](std::vector<double>& into, const std::vector<double>& from) {
      if (into.empty()) into.assign(from.size(), 0.0);
      for (std::size_t i = 0; i < from.size(); ++i) into[i] += from[i];
    };
    for (const std::string& alias : ensemble.members) {
      const PanelForecast& member = at(find_backtest_model(alias), target);
      mean.training_cutoffs = member.training_cutoffs;
      mean.training_rows = member.training_rows;
      mean.held_out_actual = member.held_out_actual;
      mean.latest_actual = member.latest_actual;
      mean.seconds += member.seconds;
      add(mean.predicted, member.predicted);
      add(mean.held_out_predicted, member.held_out_predicted);
      add(mean.latest_predicted, member.latest_predicted);
    }
    const double count = static_cast<double>(ensemble.members.size());
    for (auto* values : {&mean.predicted, &mean.held_out_predicted, &mean.latest_predicted})
      for (double& v : *values) v /= count;
    return mean;
  }

  SnapshotCache& snapshots_;
  BacktestOptions options_;
  std::mutex mutex_;
  std::map<std::pair<std::string, Days>, PanelForecast> forecasts_;
};

// A correction of a model's predictions at a cutoff: one factor for every customer.
struct Correction {
  double factor = 1;
  std::string note = "none";
};

std::string factor_text(double factor) {
  char text[32];
  std::snprintf(text, sizeof text, "x%.3f", factor);
  return text;
}

// The latest training window's actual / predicted total (what the pooled windows miss of the
// recent level), times the step of the shop's spend from that window to the horizon one year
// before.
Correction trend_season_correction(SnapshotCache& snapshots, Days cutoff,
                                   const PanelForecast& panel, const BacktestOptions& options) {
  Correction correction;
  const double latest_actual = sum(panel.latest_actual);
  const double latest_predicted = sum(panel.latest_predicted);
  if (latest_actual > 0 && latest_predicted > 0)
    correction.factor = latest_actual / latest_predicted;
  correction.note = "trend " + factor_text(correction.factor) + " (latest window " +
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
  correction.factor *= during / before;
  correction.note += ", season " + factor_text(during / before) + " (" +
                     format_date(year_before - options.horizon_days) + " to " +
                     format_date(year_before) + ")";
  return correction;
}

// The same recipe one year earlier: its actual / predicted total there. Where the history is too
// short for it, the trend and season correction.
Correction year_over_year_correction(ForecastCache& forecasts, Days cutoff,
                                     const BacktestModel& model, const PanelForecast& panel,
                                     const BacktestOptions& options) {
  const Days year_before = cutoff - kYear;
  SnapshotCache& snapshots = forecasts.snapshots();
  if (training_cutoffs(snapshots.history(), year_before, options.horizon_days,
                       options.training_windows)
          .empty()) {
    return trend_season_correction(snapshots, cutoff, panel, options);
  }
  Correction correction;
  const double predicted = sum(forecasts.at(model, year_before).predicted);
  const double actual = sum(snapshots.at(year_before).spend_next);
  if (predicted > 0 && actual > 0) correction.factor = actual / predicted;
  correction.note = "year-over-year " + factor_text(correction.factor) + " (the same recipe at " +
                    format_date(year_before) + ")";
  return correction;
}

Correction correction_for(TotalCorrection kind, ForecastCache& forecasts, Days cutoff,
                          const BacktestModel& model, const PanelForecast& panel,
                          const BacktestOptions& options) {
  switch (kind) {
    case TotalCorrection::kTrendSeason:
      return trend_season_correction(forecasts.snapshots(), cutoff, panel, options);
    case TotalCorrection::kYearOverYear:
      return year_over_year_correction(forecasts, cutoff, model, panel, options);
    case TotalCorrection::kAuto:
    case TotalCorrection::kNone:
      break;
  }
  return {};
}

// The corrections each learnt model is scored with.
std::vector<TotalCorrection> candidate_corrections(TotalCorrection chosen) {
  if (chosen == TotalCorrection::kAuto)
    return {TotalCorrection::kNone, TotalCorrection::kTrendSeason};
  return {chosen};
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
    throw InputError("--selection-cutoffs must be between 0 and 12, got " +
                     std::to_string(options.selection_cutoffs));
  if (options.bootstrap_draws < 0 || options.bootstrap_draws > 100000)
    throw InputError("--bootstrap must be between 0 and 100000, got " +
                     std::to_string(options.bootstrap_draws));
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
    chosen.push_back(find_backtest_model(alias));
  }
  return chosen;
}

// The single models whose forecasts the chosen ones need (an ensemble's members included).
std::vector<BacktestModel> trained_models(const std::vector<BacktestModel>& chosen) {
  std::vector<BacktestModel> trained;
  const auto add = [&](const BacktestModel& model) {
    if (std::none_of(trained.begin(), trained.end(),
                     [&](const BacktestModel& m) { return m.alias == model.alias; }))
      trained.push_back(model);
  };
  for (const BacktestModel& model : chosen) {
    if (model.members.empty()) add(model);
    for (const std::string& member : model.members) add(find_backtest_model(member));
  }
  return trained;
}

// The row of one learnt model under one correction. Under "auto" the corrected rows are named
// "<model>+trend-season"; otherwise the row has the model's name and the correction column says.
std::string row_alias(const BacktestModel& model, TotalCorrection correction,
                      TotalCorrection chosen) {
  if (chosen != TotalCorrection::kAuto || correction == TotalCorrection::kNone) return model.alias;
  return model.alias + "+" + total_correction_name(correction);
}

}  // namespace

TotalCorrection total_correction_from(const std::string& text, const std::string& flag) {
  for (auto c : {TotalCorrection::kAuto, TotalCorrection::kNone, TotalCorrection::kTrendSeason,
                 TotalCorrection::kYearOverYear}) {
    if (total_correction_name(c) == text) return c;
  }
  throw InputError(flag + ": expected auto, none, trend-season or year-over-year, got " +
                   quote_for_message(text));
}

std::string total_correction_name(TotalCorrection correction) {
  switch (correction) {
    case TotalCorrection::kAuto:
      return "auto";
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
      {"hybrid_tweedie",
       "boosted Tweedie trees on RFM + BG/NBD quantities + season and shop trend",
       "tweedie_model",
       true,
       {}},
      {"hybrid_ziln",
       "zero-inflated lognormal head (P(buy) x lognormal mean) on the hybrid features",
       "ziln_model",
       true,
       {}},
      {"hybrid_hurdle",
       "P(buy) x Gamma-regression trees on the hybrid features",
       "hurdle_gamma_model",
       true,
       {}},
      {"rfm_tweedie",
       "boosted Tweedie trees on the 12 RFM features (the plain peer)",
       "tweedie_model",
       false,
       {}},
      {"hybrid_ensemble",
       "the mean of the three hybrid heads' predictions (Tweedie, ZILN, hurdle)",
       "",
       true,
       {"hybrid_tweedie", "hybrid_ziln", "hybrid_hurdle"}},
  };
  return models;
}

const BacktestModel& find_backtest_model(const std::string& alias) {
  const auto& all = backtest_models();
  const auto found = std::find_if(all.begin(), all.end(),
                                  [&](const BacktestModel& m) { return m.alias == alias; });
  if (found != all.end()) return *found;
  std::string known;
  for (const auto& m : all) known += (known.empty() ? "" : ", ") + m.alias;
  throw InputError("--models: unknown model '" + alias + "' for a transaction backtest; the " +
                   "models are: " + known + " (bgnbd_gamma_gamma and zero_model are always there)");
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
  ForecastCache forecasts(snapshots, options);
  const std::vector<BacktestModel> trained = trained_models(models);
  const std::vector<TotalCorrection> corrections = candidate_corrections(options.total_correction);
  BacktestResult result;
  result.data_source = history.path;
  result.horizon_days = options.horizon_days;
  result.returns = options.returns;
  // Scores of every learnt row (model and correction) at every scored cutoff, for the selection.
  std::map<std::string, std::vector<std::pair<Days, double>>> scores;
  std::vector<std::vector<double>> row_predictions;  // of the current cutoff's learnt rows

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
    row_predictions.clear();

    // The single models train side by side, one thread each: on a panel of some ten thousand
    // rows a tree round is too short for XGBoost's threads to pay for their synchronisation.
    // The year-over-year correction's recipe a year earlier trains in the same step.
    const bool year_before_needed =
        std::find(corrections.begin(), corrections.end(), TotalCorrection::kYearOverYear) !=
            corrections.end() &&
        !training_cutoffs(history, cutoff - kYear, options.horizon_days, options.training_windows)
             .empty();
    parallel_for(trained.size() * (year_before_needed ? 2 : 1), options.threads,
                 [&](std::size_t task, unsigned) {
                   const BacktestModel& model = trained[task % trained.size()];
                   forecasts.at(model, task < trained.size() ? cutoff : cutoff - kYear);
                 });

    for (const BacktestModel& model : models) {
      const PanelForecast& panel = forecasts.at(model, cutoff);
      out.training_cutoffs = panel.training_cutoffs;
      out.training_rows = panel.training_rows;
      const double raw_total = sum(panel.predicted);
      const auto [ratio_low, ratio_high] =
          ratio_interval(panel, actual.size(), options.bootstrap_draws, options.seed);
      for (const TotalCorrection kind : corrections) {
        const Correction correction =
            correction_for(kind, forecasts, cutoff, model, panel, options);
        std::vector<double> predicted = panel.predicted;
        for (double& p : predicted) p *= correction.factor;
        TotalEstimate total;
        total.raw_predicted = raw_total;
        total.correction = correction.factor;
        total.correction_name = total_correction_name(kind);
        total.correction_note = correction.note;
        total.low = ratio_low * sum(predicted);
        total.high = ratio_high * sum(predicted);
        const std::string alias = row_alias(model, kind, options.total_correction);
        out.report.rows.push_back(score_model(
            predictions_of(alias, model.description, ModelKind::kNew, predicted, panel.seconds),
            actual));
        scores[alias].emplace_back(cutoff, selection_score(out.report.rows.back().metrics));
        out.totals.push_back(total);
        row_predictions.push_back(std::move(predicted));
      }
    }

    // The row chosen on earlier cutoffs whose horizon has ended by this one.
    double best = -std::numeric_limits<double>::infinity();
    std::size_t best_row = 0;
    for (std::size_t r = 0; r < out.report.rows.size(); ++r) {
      const std::string& alias = out.report.rows[r].alias;
      double total_score = 0;
      int counted = 0;
      for (const auto& [scored, score] : scores[alias]) {
        if (scored + options.horizon_days <= cutoff) {
          total_score += score;
          ++counted;
        }
      }
      if (counted > 0 && total_score / counted > best) {
        best = total_score / counted;
        best_row = r;
        out.selected_alias = alias;
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
    out.totals.push_back({sum(reference), 1, "none", "", std::nan(""), std::nan("")});
    if (is_evaluated && !out.selected_alias.empty() && snapshot.reference_note.empty()) {
      out.versus_reference =
          versus_reference(actual, row_predictions[best_row], reference, options.bootstrap_draws,
                           options.seed, options.threads);
    }
    const std::vector<double> zeros(actual.size(), 0.0);
    out.report.rows.push_back(
        score_model(predictions_of("zero_model", "reference: predict 0 for everyone",
                                   ModelKind::kReference, zeros, std::nan("")),
                    actual));
    out.totals.push_back({0, 1, "none", "", std::nan(""), std::nan("")});
    result.cutoffs.push_back(std::move(out));
  }
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace playsight::spend::history
