#pragma once
// Panel forecast: one learnt spend model trained on the snapshots of earlier windows and applied
// at a target cutoff (the step backtest.h repeats per model and cutoff). Snapshots are taken once
// per cutoff and kept in a SnapshotCache, since consecutive cutoffs share most of their training
// windows.
//
// Thread-safety: a SnapshotCache may be shared by threads (a snapshot is taken once, under a
// lock, and never moves); the model trains with `threads`.
#include <map>
#include <mutex>
#include <vector>

#include "spend/history/backtest.h"
#include "spend/history/customer_snapshot.h"

namespace playsight::spend::history {

class SnapshotCache {
 public:
  SnapshotCache(const PurchaseHistory& history, int horizon_days, ReturnsMode returns,
                unsigned threads)
      : history_(history), horizon_days_(horizon_days), returns_(returns), threads_(threads) {}
  SnapshotCache(const SnapshotCache&) = delete;
  SnapshotCache& operator=(const SnapshotCache&) = delete;

  const CustomerSnapshot& at(Days cutoff);
  const PurchaseHistory& history() const { return history_; }
  int horizon_days() const { return horizon_days_; }

 private:
  const PurchaseHistory& history_;
  int horizon_days_;
  ReturnsMode returns_;
  unsigned threads_;
  std::mutex mutex_;
  std::map<Days, CustomerSnapshot> snapshots_;
};

// The earlier cutoffs a model for `target` trains on: target - k H for k = 1..windows, those with
// at least H days of history before them. Empty when there is none.
std::vector<Days> training_cutoffs(const PurchaseHistory& history, Days target, int horizon_days,
                                   int windows);

// The season windows for `target`: the `windows` cutoffs nearest one year before it (target - 365,
// then - 365 - H, - 365 + H, - 365 - 2H, ...), those with H days of history before them and whose
// label ends by `target`, and not among `regular` already. They show the trees the same calendar
// time's outcome (a Q4 peak, say) that the recent windows cannot.
std::vector<Days> season_cutoffs(const PurchaseHistory& history, Days target, int horizon_days,
                                 int windows, const std::vector<Days>& regular);

struct PanelForecast {
  std::vector<double> predicted;       // one per customer of the snapshot at the target
  std::vector<Days> training_cutoffs;  // the recent windows, latest first, then the season ones
  std::size_t training_rows = 0;
  double seconds = 0;  // to train the model and predict (an ensemble: its members')
  // The held-out customers of the latest training window (out of sample): what the interval of
  // the total is bootstrapped from.
  std::vector<double> held_out_actual, held_out_predicted;
  // Every customer of the latest training window: actual and predicted (the trend check).
  std::vector<double> latest_actual, latest_predicted;
};

// Trains `model` on the panel before `target` and predicts the snapshot at `target`. Throws
// InputError when there is no training window, or when the model cannot be trained.
PanelForecast forecast(SnapshotCache& snapshots, Days target, const BacktestModel& model,
                       const BacktestOptions& options);

}  // namespace playsight::spend::history
