#include "spend/clv/rfm.h"

#include <algorithm>
#include <limits>

#include "core/csv_reader.h"
#include "core/error.h"
#include "core/key_index.h"
#include "core/parallel.h"
#include "gamelog/schema.h"

namespace playsight::spend::clv {
namespace {

struct Topup {
  std::uint32_t player;
  std::int32_t day;
  double amount;
};

struct WorkerState {
  std::vector<Topup> topups;
  std::uint64_t on_or_after_cutoff = 0;
  std::uint64_t before_calibration = 0;
  std::uint64_t not_positive = 0;
  std::uint64_t unlisted = 0;
  Days earliest = std::numeric_limits<Days>::max();
};

std::vector<std::string_view> columns_of(const gamelog::FileSchema& schema) {
  return {schema.columns.begin(), schema.columns.begin() + static_cast<long>(schema.column_count)};
}

KeyIndex index_of_listed(std::span<const std::string> players) {
  KeyIndex index;
  index.reserve(players.size());
  for (std::size_t i = 0; i < players.size(); ++i) {
    if (index.add(players[i]) == KeyIndex::kAbsent) {
      throw InputError("RFM: the player list has the id " + quote_for_message(players[i]) +
                       " twice (the second at position " + std::to_string(i) + ")");
    }
  }
  index.seal();
  return index;
}

// The ids of the file in order of first appearance (one sequential pass).
KeyIndex index_of_file(const CsvReader& reader, const RfmOptions& options) {
  KeyIndex index;
  CsvReadOptions first_pass;
  first_pass.threads = 1;
  first_pass.skip_bad_rows = options.skip_bad_rows;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          if (row.text(0).empty()) row.fail(0, "expected an id, got an empty field");
          index.add(row.text(0));
        };
      },
      first_pass);
  index.seal();
  return index;
}

// Fills row `player` of the table from that player's top-ups (any order).
void summarise_player(std::span<Topup> topups, Days last_day, RfmTable& table, std::size_t player) {
  if (topups.empty()) return;  // a never-payer: the zero-initialised row
  std::sort(topups.begin(), topups.end(),
            [](const Topup& x, const Topup& y) { return x.day < y.day; });
  const Days first = topups.front().day;
  double first_day_amount = 0.0;
  double total = 0.0;
  double days = 0.0;
  Days previous = std::numeric_limits<Days>::min();
  for (const Topup& t : topups) {
    if (t.day != previous) ++days;
    if (t.day == first) first_day_amount += t.amount;
    total += t.amount;
    previous = t.day;
  }
  const double x = days - 1.0;
  table.customer[player] = 1;
  table.frequency[player] = x;
  table.recency[player] = static_cast<double>(topups.back().day - first);
  table.age[player] = static_cast<double>(last_day - first);
  table.monetary[player] = x > 0 ? (total - first_day_amount) / x : 0.0;
  table.total_amount[player] = total;
}

}  // namespace

RfmTable rfm_from_topups(const std::string& path, TopupFileKind kind, Days cutoff,
                         const RfmOptions& options) {
  if (options.calibration_days < 0) {
    throw InputError("RFM: the calibration period must be >= 0 days (0 = all history), got " +
                     std::to_string(options.calibration_days));
  }
  const gamelog::FileSchema& schema =
      kind == TopupFileKind::kGameLog ? gamelog::kTopups : gamelog::kTransactions;
  const bool refunds_allowed = kind == TopupFileKind::kTransactions;
  const CsvReader reader(path, columns_of(schema));
  const KeyIndex index =
      options.players.empty() ? index_of_file(reader, options) : index_of_listed(options.players);
  const Days calibration_start = options.calibration_days > 0 ? cutoff - options.calibration_days
                                                              : std::numeric_limits<Days>::min();

  CsvReadOptions read_options;
  read_options.threads = options.threads;
  read_options.skip_bad_rows = options.skip_bad_rows;
  std::vector<WorkerState> states(reader.worker_count(read_options));
  const CsvReadReport read = reader.read(
      [&](unsigned worker) {
        WorkerState& state = states[worker];
        return [&state, &index, cutoff, calibration_start, refunds_allowed](const CsvRow& row) {
          const std::int32_t player = index.find(row.text(0));
          const Seconds time = row.timestamp(1);
          const double amount = row.number(2);
          if (amount < 0 && !refunds_allowed) {
            row.fail(2, "expected an amount >= 0, got " + quote_for_message(row.text(2)));
          }
          if (player == KeyIndex::kAbsent) {
            ++state.unlisted;
            return;
          }
          const Days day = floor_div(time, kSecondsPerDay);
          if (day >= cutoff) {
            ++state.on_or_after_cutoff;
          } else if (day < calibration_start) {
            ++state.before_calibration;
          } else if (!(amount > 0)) {
            ++state.not_positive;
          } else {
            state.topups.push_back(
                {static_cast<std::uint32_t>(player), static_cast<std::int32_t>(day), amount});
            state.earliest = std::min(state.earliest, day);
          }
        };
      },
      read_options);

  RfmTable table;
  table.key_name = std::string(schema.columns[0]);
  table.keys = index.keys();
  table.cutoff = cutoff;
  const std::size_t n = table.keys.size();
  table.customer.assign(n, 0);
  table.frequency.assign(n, 0.0);
  table.recency.assign(n, 0.0);
  table.age.assign(n, 0.0);
  table.monetary.assign(n, 0.0);
  table.total_amount.assign(n, 0.0);

  RfmReport& report = table.report;
  report.path = path;
  report.rows = read.rows;
  report.skipped_rows = read.skipped_rows;
  report.skipped_examples = read.skipped_examples;
  Days earliest = std::numeric_limits<Days>::max();
  // Group the top-ups by player (a counting sort), then summarise players in parallel.
  std::vector<std::size_t> start(n + 1, 0);
  for (const WorkerState& state : states) {
    report.on_or_after_cutoff += state.on_or_after_cutoff;
    report.before_calibration += state.before_calibration;
    report.not_positive += state.not_positive;
    report.unlisted_players += state.unlisted;
    report.topups_used += state.topups.size();
    earliest = std::min(earliest, state.earliest);
    for (const Topup& t : state.topups) ++start[t.player + 1];
  }
  for (std::size_t p = 0; p < n; ++p) start[p + 1] += start[p];
  std::vector<Topup> grouped(start[n]);
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (WorkerState& state : states) {
      for (const Topup& t : state.topups) grouped[next[t.player]++] = t;
      state.topups = {};
    }
  }
  if (options.calibration_days > 0) {
    table.calibration_length_days = options.calibration_days;
  } else if (earliest != std::numeric_limits<Days>::max()) {
    table.calibration_length_days = static_cast<int>(cutoff - earliest);
  }
  const Days last_day = cutoff - 1;
  constexpr std::size_t kBlock = 16384;
  parallel_for((n + kBlock - 1) / kBlock, options.threads, [&](std::size_t b, unsigned) {
    for (std::size_t p = b * kBlock; p < std::min(n, (b + 1) * kBlock); ++p) {
      summarise_player(std::span<Topup>(grouped.data() + start[p], start[p + 1] - start[p]),
                       last_day, table, p);
    }
  });
  return table;
}

RfmTable select_rows(const RfmTable& table, std::span<const std::size_t> rows) {
  RfmTable out;
  out.key_name = table.key_name;
  out.cutoff = table.cutoff;
  out.calibration_length_days = table.calibration_length_days;
  out.report = table.report;
  const auto pick = [&](const auto& from, auto& into) {
    into.reserve(rows.size());
    for (std::size_t r : rows) into.push_back(from[r]);
  };
  pick(table.keys, out.keys);
  pick(table.customer, out.customer);
  pick(table.frequency, out.frequency);
  pick(table.recency, out.recency);
  pick(table.age, out.age);
  pick(table.monetary, out.monetary);
  pick(table.total_amount, out.total_amount);
  return out;
}

Table rfm_as_table(const RfmTable& table) {
  Table out;
  out.key_name = table.key_name;
  out.keys = table.keys;
  out.add_column("customer", std::vector<double>(table.customer.begin(), table.customer.end()));
  out.add_column("frequency", table.frequency);
  out.add_column("recency", table.recency);
  out.add_column("age", table.age);
  out.add_column("monetary", table.monetary);
  out.add_column("total_amount", table.total_amount);
  return out;
}

}  // namespace playsight::spend::clv
