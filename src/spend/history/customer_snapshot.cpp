#include "spend/history/customer_snapshot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.h"
#include "core/parallel.h"
#include "spend/clv/clv_model.h"

namespace playsight::spend::history {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
constexpr int kYear = 365;

Days day_of(Seconds t) {
  return static_cast<Days>(t / kSecondsPerDay - (t % kSecondsPerDay < 0));
}

// The RFM columns in model order (the plain boosted model's twelve).
const std::vector<std::string>& rfm_names() {
  static const std::vector<std::string> names{
      "purchase_days_last_30d",   "purchase_days_last_90d",
      "purchase_days_last_365d",  "purchase_days_all",
      "spend_last_30d",           "spend_last_90d",
      "spend_last_365d",          "spend_all",
      "days_since_last_purchase", "days_since_first_purchase",
      "mean_purchase_day_value",  "max_purchase_day_value"};
  return names;
}

const std::vector<std::string>& hybrid_extra_names() {
  static const std::vector<std::string> names{"bgnbd_probability_alive",
                                              "bgnbd_expected_purchase_days",
                                              "gamma_gamma_day_value",
                                              "bgnbd_gamma_gamma_spend",
                                              "spend_same_window_last_year",
                                              "purchase_days_same_window_last_year",
                                              "spend_last_180d",
                                              "returned_amount_last_365d",
                                              "shop_season_last_year",
                                              "shop_trend",
                                              "shop_year_over_year",
                                              "calendar_position_sin",
                                              "calendar_position_cos"};
  return names;
}

// What one customer's transactions say at the cutoff.
struct CustomerRow {
  double days[4] = {0, 0, 0, 0};   // purchase days in the last 30, 90, 365 days, all
  double spend[4] = {0, 0, 0, 0};  // spend in the same windows
  double spend_180 = 0;
  double since_last = 0, since_first = 0, max_day = 0;
  double same_window_spend = 0, same_window_days = 0;
  double returned_365 = 0;
  double label_purchases = 0, label_returns = 0;
  // RFM summary for BG/NBD (days): x, t_x, T, mean value of the repeat days.
  double frequency = 0, recency = 0, age = 0, monetary = 0, first_day_amount = 0;
};

CustomerRow summarise(const std::vector<Transaction>& list, Days cutoff, int horizon) {
  CustomerRow row;
  const Days windows[3] = {cutoff - 30, cutoff - 90, cutoff - kYear};
  const Days same_start = cutoff - kYear, same_end = cutoff - kYear + horizon;
  Days first = std::numeric_limits<Days>::max(), last = 0, previous = 0;
  double day_total = 0;
  bool open_day = false;
  const auto close_day = [&] {
    if (!open_day) return;
    row.max_day = std::max(row.max_day, day_total);
    if (previous == first) row.first_day_amount = day_total;
    open_day = false;
  };
  for (const Transaction& t : list) {
    const Days day = day_of(t.time);
    if (day >= cutoff + horizon) break;
    if (day >= cutoff) {
      (t.amount > 0 ? row.label_purchases : row.label_returns) += t.amount;
      continue;
    }
    if (t.amount < 0) {
      if (day >= cutoff - kYear) row.returned_365 -= t.amount;
      continue;
    }
    const bool new_day = !open_day || day != previous;
    if (new_day) {
      close_day();
      open_day = true;
      day_total = 0;
      first = std::min(first, day);
      last = day;
      previous = day;
      row.days[3] += 1;
      for (int w = 0; w < 3; ++w) row.days[w] += day >= windows[w];
      if (day >= same_start && day < same_end) row.same_window_days += 1;
    }
    day_total += t.amount;
    row.spend[3] += t.amount;
    for (int w = 0; w < 3; ++w) row.spend[w] += day >= windows[w] ? t.amount : 0;
    if (day >= cutoff - 180) row.spend_180 += t.amount;
    if (day >= same_start && day < same_end) row.same_window_spend += t.amount;
  }
  close_day();
  row.since_last = static_cast<double>(cutoff - last);
  row.since_first = static_cast<double>(cutoff - first);
  row.frequency = row.days[3] - 1;
  row.recency = static_cast<double>(last - first);
  row.age = static_cast<double>(cutoff - 1 - first);
  row.monetary = row.frequency > 0 ? (row.spend[3] - row.first_day_amount) / row.frequency : 0;
  return row;
}

double ratio_or_missing(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : kMissing;
}

}  // namespace

std::vector<std::string> feature_names(FeatureSet set) {
  std::vector<std::string> names = rfm_names();
  if (set == FeatureSet::kHybrid) {
    names.insert(names.end(), hybrid_extra_names().begin(), hybrid_extra_names().end());
  }
  return names;
}

std::string feature_set_name(FeatureSet set) {
  return set == FeatureSet::kRfm ? "rfm" : "hybrid";
}

double shop_spend(const PurchaseHistory& history, Days first_day, Days end_day,
                  ReturnsMode returns) {
  double total = 0;
  const Seconds begin = first_day * kSecondsPerDay, end = end_day * kSecondsPerDay;
  for (const auto& list : history.transactions) {
    auto t = std::lower_bound(list.begin(), list.end(), begin,
                              [](const Transaction& x, Seconds s) { return x.time < s; });
    for (; t != list.end() && t->time < end; ++t) {
      if (t->amount > 0 || returns == ReturnsMode::kNet) total += t->amount;
    }
  }
  return total;
}

CustomerSnapshot take_snapshot(const PurchaseHistory& history, const SnapshotOptions& options) {
  const Days cutoff = options.cutoff;
  const int horizon = options.horizon_days;
  CustomerSnapshot snapshot;
  snapshot.cutoff = cutoff;
  snapshot.horizon_days = horizon;
  const Seconds cutoff_time = cutoff * kSecondsPerDay;
  for (std::size_t c = 0; c < history.size(); ++c) {
    if (history.first_purchase[c] < cutoff_time) snapshot.customers.push_back(c);
  }
  if (snapshot.customers.empty()) {
    throw InputError(history.path + ": no customer has a purchase before the cutoff " +
                     format_date(cutoff) + " (the file starts " + format_date(history.first_day()) +
                     ")");
  }
  snapshot.label_complete = cutoff + horizon - 1 <= history.last_day();

  const std::size_t n = snapshot.customers.size();
  std::vector<CustomerRow> rows(n);
  parallel_for(n, options.threads, [&](std::size_t r, unsigned) {
    rows[r] = summarise(history.transactions[snapshot.customers[r]], cutoff, horizon);
  });

  // The reference model, fitted on this snapshot's history alone.
  clv::RfmTable rfm;
  rfm.key_name = "customer_id";
  rfm.cutoff = cutoff;
  rfm.calibration_length_days = static_cast<int>(cutoff - history.first_day());
  for (std::size_t r = 0; r < n; ++r) {
    rfm.keys.push_back(history.customers[snapshot.customers[r]]);
    rfm.customer.push_back(1);
    rfm.frequency.push_back(rows[r].frequency);
    rfm.recency.push_back(rows[r].recency);
    rfm.age.push_back(rows[r].age);
    rfm.monetary.push_back(rows[r].monetary);
    rfm.total_amount.push_back(rows[r].spend[3]);
  }
  clv::ClvPredictions reference;
  try {
    clv::ClvOptions clv_options;
    clv_options.threads = options.threads;
    const clv::ClvModel model = clv::fit_clv(rfm, clv_options);
    reference = clv::predict_clv_detail(model, rfm, horizon, options.threads);
  } catch (const InputError& error) {
    snapshot.reference_note = std::string("BG/NBD x Gamma-Gamma could not be fitted at ") +
                              format_date(cutoff) + ": " + error.what();
    reference.expected_amount.assign(n, kMissing);
    reference.expected_topup_days.assign(n, kMissing);
    reference.probability_alive.assign(n, kMissing);
    reference.expected_value_per_day.assign(n, kMissing);
  }
  snapshot.reference_spend = reference.expected_amount;

  // The shop's season and trend: the same for every row of this cutoff.
  const Days start = history.first_day();
  const auto shop = [&](Days from, Days to) {
    return from < start ? kMissing : shop_spend(history, from, to, options.returns);
  };
  const double last_window = shop(cutoff - horizon, cutoff);
  const double season = ratio_or_missing(shop(cutoff - kYear, cutoff - kYear + horizon),
                                         shop(cutoff - kYear - horizon, cutoff - kYear));
  const double trend = ratio_or_missing(last_window, shop(cutoff - 2 * horizon, cutoff - horizon));
  const double year_over_year =
      ratio_or_missing(last_window, shop(cutoff - kYear - horizon, cutoff - kYear));

  Table& table = snapshot.features;
  table.key_name = "customer_id";
  table.keys = rfm.keys;
  const auto column = [&](auto value) {
    std::vector<double> values(n);
    for (std::size_t r = 0; r < n; ++r) values[r] = value(r);
    return values;
  };
  for (int w = 0; w < 4; ++w) {
    table.add_column(rfm_names()[static_cast<std::size_t>(w)],
                     column([&](std::size_t r) { return rows[r].days[w]; }));
  }
  for (int w = 0; w < 4; ++w) {
    table.add_column(rfm_names()[4 + static_cast<std::size_t>(w)],
                     column([&](std::size_t r) { return rows[r].spend[w]; }));
  }
  table.add_column("days_since_last_purchase", column([&](auto r) { return rows[r].since_last; }));
  table.add_column("days_since_first_purchase",
                   column([&](auto r) { return rows[r].since_first; }));
  table.add_column("mean_purchase_day_value",
                   column([&](auto r) { return rows[r].spend[3] / rows[r].days[3]; }));
  table.add_column("max_purchase_day_value", column([&](auto r) { return rows[r].max_day; }));
  table.add_column("bgnbd_probability_alive", reference.probability_alive);
  table.add_column("bgnbd_expected_purchase_days", reference.expected_topup_days);
  table.add_column("gamma_gamma_day_value", reference.expected_value_per_day);
  table.add_column("bgnbd_gamma_gamma_spend", reference.expected_amount);
  const bool last_year_known = cutoff - kYear >= start;
  table.add_column("spend_same_window_last_year", column([&](auto r) {
                     return last_year_known ? rows[r].same_window_spend : kMissing;
                   }));
  table.add_column("purchase_days_same_window_last_year", column([&](auto r) {
                     return last_year_known ? rows[r].same_window_days : kMissing;
                   }));
  table.add_column("spend_last_180d", column([&](auto r) { return rows[r].spend_180; }));
  table.add_column("returned_amount_last_365d",
                   column([&](auto r) { return rows[r].returned_365; }));
  table.add_column("shop_season_last_year", std::vector<double>(n, season));
  table.add_column("shop_trend", std::vector<double>(n, trend));
  table.add_column("shop_year_over_year", std::vector<double>(n, year_over_year));
  // Where the horizon's middle falls in the year, on a circle (31 December next to 1 January):
  // what lets the trees tell a season window's outcome from a quieter one's.
  constexpr double kTropicalYear = 365.2425;
  const double angle = 2 * std::numbers::pi *
                       std::fmod(static_cast<double>(cutoff) + horizon / 2.0, kTropicalYear) /
                       kTropicalYear;
  table.add_column("calendar_position_sin", std::vector<double>(n, std::sin(angle)));
  table.add_column("calendar_position_cos", std::vector<double>(n, std::cos(angle)));

  snapshot.spend_next = column([&](std::size_t r) {
    return options.returns == ReturnsMode::kGross
               ? rows[r].label_purchases
               : std::max(0.0, rows[r].label_purchases + rows[r].label_returns);
  });
  return snapshot;
}

}  // namespace playsight::spend::history
