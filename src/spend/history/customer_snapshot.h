#pragma once
// CustomerSnapshot: what is known about every customer at one cutoff date, from a purchase
// history (purchase_history.h): one row per customer with a purchase before the cutoff, the
// feature columns models learn from, and the label, the customer's spend in the H days from the
// cutoff (when the history reaches the end of that window).
//
// The features come in two sets (FeatureSet):
//   rfm     the twelve recency / frequency / monetary features of a plain boosted model:
//           purchase days and spend in the last 30, 90 and 365 days and over all history,
//           days since the first and the last purchase, mean and largest spend of a purchase day;
//   hybrid  rfm, plus what the peers know: the BG/NBD x Gamma-Gamma quantities fitted on this
//           snapshot's own history (P(alive), expected purchase days in the horizon, expected
//           value of a purchase day, their product: the reference prediction), the season (the
//           customer's spend and purchase days in the same window one year before, the shop's
//           spend in that window relative to the window before it, one year before), the shop's
//           trend (its spend in the last H days relative to the H days before, and to the same
//           H days one year before), spend in the last 180 days and returns in the last 365,
//           and the calendar position of the horizon's middle (sine and cosine of the day of
//           the year), so that a window one year back tells the trees what that season brings.
// A shop quantity whose window starts before the history is missing (NaN), never 0.
//
// No leakage: every feature uses transactions before the cutoff only; the label uses only those
// in [cutoff, cutoff + H). Thread-safety: take_snapshot is pure and uses `threads` workers.
#include <string>
#include <vector>

#include "core/table.h"
#include "core/time.h"
#include "spend/history/purchase_history.h"

namespace playsight::spend::history {

enum class FeatureSet { kRfm, kHybrid };

struct SnapshotOptions {
  Days cutoff = 0;
  int horizon_days = 30;
  ReturnsMode returns = ReturnsMode::kGross;
  unsigned threads = 0;
};

struct CustomerSnapshot {
  Days cutoff = 0;
  int horizon_days = 30;
  std::vector<std::size_t> customers;   // index into the history, one per row
  Table features;                       // key customer id; every feature of the hybrid set
  bool label_complete = false;          // the history reaches cutoff + H - 1
  std::vector<double> spend_next;       // the label per row (partial when !label_complete)
  std::vector<double> reference_spend;  // BG/NBD x Gamma-Gamma prediction per row (NaN: no fit)
  std::string reference_note;           // why the reference could not be fitted, if it could not
};

// The feature columns of a set, in model order.
std::vector<std::string> feature_names(FeatureSet set);
// "rfm" / "hybrid".
std::string feature_set_name(FeatureSet set);

// Throws InputError when no customer has a purchase before the cutoff.
CustomerSnapshot take_snapshot(const PurchaseHistory& history, const SnapshotOptions& options);

// Spend of every customer of the history in [first_day, end_day), gross or net as `returns`
// (net spend is floored at 0 per customer): the shop's sales of those days.
double shop_spend(const PurchaseHistory& history, Days first_day, Days end_day,
                  ReturnsMode returns);

}  // namespace playsight::spend::history
