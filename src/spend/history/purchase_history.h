#pragma once
// PurchaseHistory: a whole transaction file (one row per purchase or return of a customer) held
// in memory, grouped by customer and sorted by time, so that customer features can be taken at
// many cutoffs without reading the file again (the backtest of backtest.h takes a dozen).
//
// The file is any CSV with a header; the user names its columns (HistoryColumns): the customer id,
// the timestamp, the amount and, optionally, a kind column. Timestamps are 'YYYY-MM-DD HH:MM:SS'
// (or 'T' for the space), 'YYYY-MM-DD HH:MM', a bare date or Unix seconds. A row is a return when
// its kind is "return" or "refund", or (without a kind column, or with kind "purchase" and a
// negative amount) when its amount is negative. A kind column with another value is an error.
//
// Returns are an explicit choice (ReturnsMode): gross counts only purchases as spend (returns are
// kept as a feature, returned_amount_*); net subtracts returns from purchases in the same window,
// and a customer whose returns exceed their purchases in a window has spend 0 there (spend
// models predict amounts >= 0).
//
// Errors: InputError naming the file, line and column ("FILE:LINE: column 'datetime': ...") for a
// bad value, and the file and the missing column (with the columns it has) for a column that is
// not there. Thread-safety: a PurchaseHistory is a value; read_purchase_history is pure.
#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace playsight::spend::history {

struct HistoryColumns {
  std::string customer = "user_id";
  std::string timestamp = "timestamp";
  std::string amount = "amount";
  std::string kind;  // empty: no kind column (negative amounts are returns)
};

enum class ReturnsMode { kGross, kNet };
// "gross" / "net"; throws InputError naming `flag` for another value.
ReturnsMode returns_mode_from(const std::string& text, const std::string& flag);
std::string returns_mode_name(ReturnsMode mode);

struct HistoryReadOptions {
  HistoryColumns columns;
  unsigned threads = 0;
};

struct Transaction {
  Seconds time = 0;
  double amount = 0;  // > 0 for a purchase, < 0 for a return (a return's amount is made negative)
};

struct PurchaseHistory {
  std::string path;
  std::vector<std::string> customers;                  // ids, in order of first appearance
  std::vector<std::vector<Transaction>> transactions;  // per customer, sorted by time
  std::vector<Seconds> first_purchase;                 // per customer; max() if none
  Seconds earliest = 0;                                // first and last timestamps of the file
  Seconds latest = 0;
  std::uint64_t rows = 0;
  std::uint64_t purchases = 0;
  std::uint64_t returns = 0;
  std::uint64_t zero_amount_rows = 0;  // neither purchase nor return: ignored
  double purchase_total = 0;
  double return_total = 0;  // negative

  std::size_t size() const { return customers.size(); }
  Days first_day() const;  // the calendar day of `earliest`
  Days last_day() const;   // the calendar day of `latest`
};

// Throws InputError as described above, and for a file without data rows.
PurchaseHistory read_purchase_history(const std::string& path, const HistoryReadOptions& options);

// Parses 'YYYY-MM-DD HH:MM' as well as what parse_timestamp (core/time.h) accepts; throws
// FieldError naming the forms it expected.
Seconds parse_history_time(std::string_view text);

}  // namespace playsight::spend::history
