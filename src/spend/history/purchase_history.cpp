#include "spend/history/purchase_history.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/csv_reader.h"
#include "core/error.h"
#include "core/key_index.h"

namespace playsight::spend::history {

ReturnsMode returns_mode_from(const std::string& text, const std::string& flag) {
  if (text == "gross") return ReturnsMode::kGross;
  if (text == "net") return ReturnsMode::kNet;
  throw InputError(flag +
                   ": expected gross (purchases only) or net (purchases minus returns), got " +
                   quote_for_message(text));
}

std::string returns_mode_name(ReturnsMode mode) {
  return mode == ReturnsMode::kGross ? "gross" : "net";
}

Days PurchaseHistory::first_day() const {
  return static_cast<Days>(earliest / kSecondsPerDay - (earliest % kSecondsPerDay < 0));
}

Days PurchaseHistory::last_day() const {
  return static_cast<Days>(latest / kSecondsPerDay - (latest % kSecondsPerDay < 0));
}

Seconds parse_history_time(std::string_view text) {
  // 'YYYY-MM-DD HH:MM' (minute resolution, as many shop exports have it): add the seconds.
  if (text.size() == 16 && text[4] == '-' && (text[10] == ' ' || text[10] == 'T') &&
      text[13] == ':') {
    std::string with_seconds(text);
    with_seconds += ":00";
    try {
      return parse_timestamp(with_seconds);
    } catch (const FieldError&) {
    }
  }
  try {
    return parse_timestamp(text);
  } catch (const FieldError&) {
    throw FieldError(
        "expected a timestamp 'YYYY-MM-DD HH:MM:SS', 'YYYY-MM-DD HH:MM', a date or Unix "
        "seconds, got " +
        quote_for_message(text));
  }
}

PurchaseHistory read_purchase_history(const std::string& path, const HistoryReadOptions& options) {
  const HistoryColumns& names = options.columns;
  const bool has_kind = !names.kind.empty();
  std::vector<std::string_view> wanted{names.customer, names.timestamp, names.amount};
  if (has_kind) wanted.push_back(names.kind);
  const CsvReader reader(path, wanted);

  PurchaseHistory history;
  history.path = path;
  history.earliest = std::numeric_limits<Seconds>::max();
  history.latest = std::numeric_limits<Seconds>::min();
  KeyIndex index;
  CsvReadOptions read_options;
  read_options.threads = 1;  // ids are numbered in order of first appearance
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          const std::string_view id = row.text(0);
          if (id.empty()) row.fail(0, "expected a customer id, got an empty field");
          Seconds time = 0;
          try {
            time = parse_history_time(row.text(1));
          } catch (const FieldError& error) {
            row.fail(1, error.what());
          }
          double amount = row.number(2);
          bool is_return = amount < 0;
          if (has_kind) {
            const std::string_view kind = row.text(3);
            if (kind == "return" || kind == "refund") {
              is_return = true;
            } else if (kind != "purchase") {
              row.fail(3, "expected purchase, return or refund, got " + quote_for_message(kind));
            }
          }
          ++history.rows;
          if (amount == 0) {
            ++history.zero_amount_rows;
            return;
          }
          if (is_return) amount = -std::fabs(amount);
          std::int32_t customer = index.find(id);
          if (customer == KeyIndex::kAbsent) {
            customer = index.add(id);
            history.transactions.emplace_back();
            history.first_purchase.push_back(std::numeric_limits<Seconds>::max());
          }
          const auto c = static_cast<std::size_t>(customer);
          history.transactions[c].push_back({time, amount});
          if (is_return) {
            ++history.returns;
            history.return_total += amount;
          } else {
            ++history.purchases;
            history.purchase_total += amount;
            history.first_purchase[c] = std::min(history.first_purchase[c], time);
          }
          history.earliest = std::min(history.earliest, time);
          history.latest = std::max(history.latest, time);
        };
      },
      read_options);
  if (history.rows == 0) throw InputError(path + ": no data rows: nothing to learn from");
  if (history.purchases == 0) throw InputError(path + ": no purchase (an amount > 0) in the file");
  index.seal();
  history.customers = index.keys();
  for (auto& list : history.transactions) {
    std::stable_sort(list.begin(), list.end(),
                     [](const Transaction& a, const Transaction& b) { return a.time < b.time; });
  }
  return history;
}

}  // namespace playsight::spend::history
