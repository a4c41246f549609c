#include "spend/history/panel_forecast.h"

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "spend/features.h"
#include "spend/models/feature_matrix.h"
#include "spend/models/spend_model.h"

namespace playsight::spend::history {
namespace {

// One in five customers (by a hash of the id: the same at every cutoff) is held out of training
// for early stopping, so no customer is on both sides.
bool held_out(const std::string& customer) {
  return player_shard(customer, 5) == 0;
}

// The rows of several snapshots, stacked, split into training and held-out customers.
struct Panel {
  Table train, valid;
  std::vector<double> y_train, y_valid;
  std::vector<std::size_t> latest_valid_rows;  // rows of `valid` from the latest window
};

void append_row(Table& into, const Table& from, std::size_t row) {
  into.keys.push_back(from.keys[row]);
  for (std::size_t c = 0; c < from.columns.size(); ++c)
    into.columns[c].push_back(from.columns[c][row]);
}

Panel stack(SnapshotCache& snapshots, const std::vector<Days>& cutoffs) {
  Panel panel;
  for (Table* table : {&panel.train, &panel.valid}) {
    const Table& first = snapshots.at(cutoffs.front()).features;
    table->key_name = first.key_name;
    table->column_names = first.column_names;
    table->columns.assign(first.columns.size(), {});
  }
  for (const Days cutoff : cutoffs) {
    const CustomerSnapshot& snapshot = snapshots.at(cutoff);
    for (std::size_t r = 0; r < snapshot.features.rows(); ++r) {
      const bool valid = held_out(snapshot.features.keys[r]);
      if (valid && cutoff == cutoffs.front())
        panel.latest_valid_rows.push_back(panel.y_valid.size());
      append_row(valid ? panel.valid : panel.train, snapshot.features, r);
      (valid ? panel.y_valid : panel.y_train).push_back(snapshot.spend_next[r]);
    }
  }
  return panel;
}

}  // namespace

const CustomerSnapshot& SnapshotCache::at(Days cutoff) {
  const std::lock_guard<std::mutex> lock(mutex_);
  auto found = snapshots_.find(cutoff);
  if (found == snapshots_.end()) {
    SnapshotOptions options;
    options.cutoff = cutoff;
    options.horizon_days = horizon_days_;
    options.returns = returns_;
    options.threads = threads_;
    found = snapshots_.emplace(cutoff, take_snapshot(history_, options)).first;
  }
  return found->second;
}

std::vector<Days> training_cutoffs(const PurchaseHistory& history, Days target, int horizon_days,
                                   int windows) {
  std::vector<Days> cutoffs;
  for (int k = 1; k <= windows; ++k) {
    const Days cutoff = target - static_cast<Days>(k) * horizon_days;
    if (cutoff - horizon_days < history.first_day()) break;
    cutoffs.push_back(cutoff);
  }
  return cutoffs;
}

std::vector<Days> season_cutoffs(const PurchaseHistory& history, Days target, int horizon_days,
                                 int windows, const std::vector<Days>& regular) {
  constexpr Days kYear = 365;
  std::vector<Days> cutoffs;
  for (int k = 0; static_cast<int>(cutoffs.size()) < windows && k < 2 * windows + 1; ++k) {
    // 0, -1, +1, -2, +2, ... horizons around one year before.
    const Days step = (k % 2 == 1 ? -1 : 1) * static_cast<Days>((k + 1) / 2) * horizon_days;
    const Days cutoff = target - kYear + step;
    if (cutoff - horizon_days < history.first_day() || cutoff + horizon_days > target) continue;
    if (std::find(regular.begin(), regular.end(), cutoff) != regular.end()) continue;
    cutoffs.push_back(cutoff);
  }
  return cutoffs;
}

PanelForecast forecast(SnapshotCache& snapshots, Days target, const BacktestModel& model,
                       const BacktestOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  PanelForecast result;
  result.training_cutoffs =
      training_cutoffs(snapshots.history(), target, options.horizon_days, options.training_windows);
  if (result.training_cutoffs.empty()) {
    throw InputError("cutoff " + format_date(target) + ": no earlier window of " +
                     std::to_string(options.horizon_days) + " days with " +
                     std::to_string(options.horizon_days) +
                     " days of history before it to train on (the history starts " +
                     format_date(snapshots.history().first_day()) + ")");
  }
  for (const Days cutoff : season_cutoffs(snapshots.history(), target, options.horizon_days,
                                          options.season_windows, result.training_cutoffs))
    result.training_cutoffs.push_back(cutoff);
  const Panel panel = stack(snapshots, result.training_cutoffs);
  result.training_rows = panel.y_train.size() + panel.y_valid.size();
  const std::vector<std::string> names =
      feature_names(model.hybrid_features ? FeatureSet::kHybrid : FeatureSet::kRfm);
  const FeatureMatrix train(panel.train, names);
  const FeatureMatrix valid(panel.valid, names);

  ModelOptions model_options;
  model_options.threads = options.threads;
  model_options.seed = options.seed;
  model_options.horizon_days = options.horizon_days;
  model_options.max_depth = options.max_depth;
  model_options.max_rounds = options.max_rounds;
  model_options.learning_rate = options.learning_rate;
  model_options.min_child_weight = options.min_child_weight;
  std::unique_ptr<SpendModel> spend_model =
      find_model_spec(model.catalog_alias).make(model_options);
  spend_model->fit(TrainingData{train, panel.y_train, valid, panel.y_valid});

  result.predicted =
      spend_model->predict(FeatureMatrix(snapshots.at(target).features, names)).amount;
  const std::vector<double> valid_predicted = spend_model->predict(valid).amount;
  const CustomerSnapshot& latest = snapshots.at(result.training_cutoffs.front());
  result.latest_predicted = spend_model->predict(FeatureMatrix(latest.features, names)).amount;
  result.latest_actual = latest.spend_next;
  for (std::size_t r : panel.latest_valid_rows) {
    result.held_out_actual.push_back(panel.y_valid[r]);
    result.held_out_predicted.push_back(valid_predicted[r]);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace playsight::spend::history
