#pragma once
// RFM summary: one row per player of what the CLV models (bgnbd.h, gamma_gamma.h) are fitted on
// and predict from, computed from a top-up file for a cutoff date. Time is counted in whole
// calendar days of the log's clock, as Python's `lifetimes` does with its default daily period:
// top-ups are grouped by (player, day), and a "top-up day" is a day with at least one top-up of
// a positive amount. Over the calibration period (the days before the cutoff that are used):
//   frequency x   the number of distinct top-up days minus one (repeat top-up days);
//   recency t_x   days from the first to the last top-up day (0 when x = 0);
//   age T         days from the first top-up day to the last day before the cutoff
//                 (a first top-up on the day before the cutoff gives T = 0), so that a
//                 prediction "for the next H days" covers exactly [cutoff, cutoff + H);
//   monetary m    the mean, over the repeat top-up days, of the day's total amount (the first
//                 day excluded, as Gamma-Gamma expects); 0 when x = 0;
//   total_amount  all top-ups in the calibration period, first day included.
// Players with no top-up in the calibration period are "never-payers": customer = 0 and
// x = t_x = T = m = 0. BG/NBD does not describe them (it starts at a first purchase); clv_model.h
// says what they are predicted.
//
// Inputs: a game log's topups.csv (player_id, topup_time, amount_krw; amounts must be >= 0) or a
// plain transaction file (user_id, timestamp, amount; negative amounts are refunds). Rows with an
// amount <= 0 are counted and ignored (refunds are not purchases); rows on or after the cutoff or
// before the calibration period are counted and ignored. The file is read in parallel
// (core/csv_reader.h); a bad value is an InputError naming the file, line and column.
//
// Thread-safety: pure functions; rfm_from_topups uses `options.threads` workers.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/table.h"
#include "core/time.h"

namespace playsight::spend::clv {

enum class TopupFileKind {
  kGameLog,       // a game log's topups.csv: player_id, topup_time, amount_krw
  kTransactions,  // a plain transaction file: user_id, timestamp, amount
};

struct RfmOptions {
  // 0: all history in the file before the cutoff; W > 0: only the W days [cutoff - W, cutoff).
  // (With W, a player's first top-up is their first inside the window, as lifetimes does with
  // a calibration start.)
  int calibration_days = 0;
  // The rows, in this order (e.g. the feature table's keys); ids in the file that are not listed
  // are counted and ignored. Empty: the ids of the file, in order of first appearance (ids whose
  // only top-ups are after the cutoff included, as never-payers). Must outlive the call.
  std::span<const std::string> players;
  unsigned threads = 0;
  bool skip_bad_rows = false;  // count bad rows and go on instead of stopping at the first
};

struct RfmReport {
  std::string path;
  std::uint64_t rows = 0;                // data rows read
  std::uint64_t topups_used = 0;         // rows that entered the summary
  std::uint64_t on_or_after_cutoff = 0;  // ignored
  std::uint64_t before_calibration = 0;  // ignored (only with calibration_days)
  std::uint64_t not_positive = 0;        // amount <= 0: ignored
  std::uint64_t unlisted_players = 0;    // id not in options.players: ignored
  std::uint64_t skipped_rows = 0;        // bad rows (only with skip_bad_rows)
  std::vector<std::string> skipped_examples;
};

struct RfmTable {
  std::string key_name;  // "player_id" or "user_id"
  std::vector<std::string> keys;
  std::vector<std::uint8_t> customer;  // 1: at least one top-up day in the calibration period
  std::vector<double> frequency;       // x
  std::vector<double> recency;         // t_x, days
  std::vector<double> age;             // T, days
  std::vector<double> monetary;        // mean amount per repeat top-up day
  std::vector<double> total_amount;    // all calibration top-ups
  Days cutoff = 0;
  // Days covered by the calibration period: calibration_days, or (all history) from the earliest
  // top-up before the cutoff to the cutoff; 0 when there is none.
  int calibration_length_days = 0;
  RfmReport report;

  std::size_t size() const { return keys.size(); }
};

// Reads the file and summarises it. Throws InputError for a missing or malformed file (naming
// file, line and column), a negative amount in a topups.csv, calibration_days < 0, or a repeated
// id in options.players.
RfmTable rfm_from_topups(const std::string& path, TopupFileKind kind, Days cutoff,
                         const RfmOptions& options);

// The rows `rows` of `table`, in that order (e.g. the training players). REQUIRES: valid indices.
RfmTable select_rows(const RfmTable& table, std::span<const std::size_t> rows);

// The table as a playsight Table: columns customer, frequency, recency, age, monetary,
// total_amount.
Table rfm_as_table(const RfmTable& table);

}  // namespace playsight::spend::clv
