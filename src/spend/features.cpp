#include "spend/features.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "core/csv_reader.h"
#include "core/parallel.h"
#include "core/progress.h"
#include "gamelog/players.h"
#include "gamelog/schema.h"
#include "spend/detail/player_counters.h"
#include "spend/feature_catalog.h"

namespace playsight::spend {
namespace {

using detail::EventCounters;
using detail::PlayerCounters;
using Clock = std::chrono::steady_clock;

std::vector<std::string_view> columns_of(const gamelog::FileSchema& schema) {
  return {schema.columns.begin(), schema.columns.begin() + static_cast<long>(schema.column_count)};
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Where an event falls relative to the cutoff.
struct EventClock {
  Seconds cutoff;
  Seconds window_start;
  Seconds label_end;

  EventClock(const FeatureOptions& options)
      : cutoff(options.cutoff * kSecondsPerDay),
        window_start(cutoff - Seconds{options.observation_days} * kSecondsPerDay),
        label_end(cutoff + Seconds{options.label_days} * kSecondsPerDay) {}

  bool outside(Seconds t) const { return t < window_start || t >= label_end; }
  bool in_label(Seconds t) const { return t >= cutoff; }
  // 0 = the calendar day before the cutoff. REQUIRES: window_start <= t < cutoff.
  int days_before(Seconds t) const { return static_cast<int>((cutoff - 1 - t) / kSecondsPerDay); }
};

// State each reading worker keeps while one file is read.
struct WorkerState {
  EventCounters counters;  // worker 0 writes into the final counters instead
  std::vector<double> label_amount;
  std::vector<std::uint32_t> label_count;
  std::vector<double> list_price_sum;
  std::vector<std::uint32_t> main_items;
  std::vector<std::uint32_t> high_value_items;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> player_items;  // purchases in the window
  std::uint64_t outside = 0;
  Seconds latest = std::numeric_limits<Seconds>::min();
};

template <class T>
void add_into(std::vector<T>& into, const std::vector<T>& from, std::size_t begin,
              std::size_t end) {
  for (std::size_t i = begin; i < std::min(end, from.size()); ++i) into[i] += from[i];
}

class FeatureBuilder {
 public:
  FeatureBuilder(const FeatureOptions& options, std::size_t players, const KeyIndex& index)
      : options_(options), clock_(options), players_(players), index_(index) {
    read_options_.threads = options.threads;
    read_options_.skip_bad_rows = options.skip_bad_rows;
  }

  PlayerCounters& counters() { return counters_; }

  // Transaction files: rows of users first seen on or after the cutoff are not an error; those
  // users are not in the table (they are counted as outside the windows).
  void skip_unknown_players() { skip_unknown_players_ = true; }

  std::int32_t player_of(const CsvRow& row) const {
    const std::int32_t player = index_.find(row.text(0));
    if (player == KeyIndex::kAbsent && !skip_unknown_players_) {
      row.fail(0, "unknown player id " + quote_for_message(row.text(0)) + " (not in the players)");
    }
    return player;
  }

  // Reads one event file. visit(row, state, player, time) is called for rows inside
  // [window start, label end) of known players; `amounts` and `days` say which counters to keep.
  template <class Visit>
  FileReport read_events(const std::string& path, const gamelog::FileSchema& schema,
                         EventCounters& final_counters, bool amounts, bool days, Visit visit) {
    const auto start = Clock::now();
    CsvReader reader(path, columns_of(schema));
    Progress progress("features  " + std::string(schema.file_name), reader.size_bytes(),
                      Progress::Unit::kBytes);
    if (options_.progress) read_options_.progress = &progress;
    const unsigned workers = reader.worker_count(read_options_);
    // Each worker allocates (and so zeroes) its own counters on its first row, in parallel;
    // worker 0 counts straight into the final counters.
    final_counters = EventCounters();
    const auto fresh = [this, amounts, days] {
      return EventCounters(players_, options_.windows, options_.observation_days, amounts, days);
    };
    std::vector<WorkerState> states(workers);
    const CsvReadReport read = reader.read(
        [&](unsigned worker) {
          WorkerState& state = states[worker];
          EventCounters& counters = worker == 0 ? final_counters : state.counters;
          return [this, &state, &counters, &visit, &fresh](const CsvRow& row) {
            const std::int32_t player = player_of(row);
            const Seconds time = row.timestamp(1);
            if (clock_.outside(time) || player == KeyIndex::kAbsent) {
              ++state.outside;
              return;
            }
            state.latest = std::max(state.latest, time);
            if (counters.empty() && !options_.parse_only) [[unlikely]]
              counters = fresh();
            visit(row, state, counters, static_cast<std::size_t>(player), time);
          };
        },
        read_options_);
    if (final_counters.empty()) final_counters = fresh();
    read_options_.progress = nullptr;
    if (!options_.parse_only) merge(states, final_counters);
    FileReport report{path, read.bytes, read.rows, read.skipped_rows, read.skipped_examples, 0, 0};
    for (const auto& state : states) {
      report.outside_window += state.outside;
      latest_event_ = std::max(latest_event_, state.latest);
    }
    report.rows -= report.outside_window;
    report.seconds = seconds_since(start);
    progress.finish();
    merged_states_ = std::move(states);
    return report;
  }

  // The per-worker extras of the last file read (labels, item columns), merged by the caller.
  std::vector<WorkerState>& last_states() { return merged_states_; }
  Seconds latest_event() const { return latest_event_; }
  const EventClock& clock() const { return clock_; }
  bool parse_only() const { return options_.parse_only; }

 private:
  void merge(std::vector<WorkerState>& states, EventCounters& final_counters) {
    if (states.size() < 2) return;
    constexpr std::size_t kBlock = 65536;
    const std::size_t blocks = (players_ + kBlock - 1) / kBlock;
    parallel_for(blocks, options_.threads, [&](std::size_t b, unsigned) {
      const std::size_t begin = b * kBlock;
      const std::size_t end = std::min(players_, begin + kBlock);
      for (std::size_t w = 1; w < states.size(); ++w) {
        if (!states[w].counters.empty()) final_counters.merge(states[w].counters, begin, end);
      }
    });
    for (std::size_t w = 1; w < states.size(); ++w) states[w].counters = EventCounters();
  }

  const FeatureOptions& options_;
  EventClock clock_;
  std::size_t players_;
  const KeyIndex& index_;
  CsvReadOptions read_options_;
  PlayerCounters counters_;
  Seconds latest_event_ = std::numeric_limits<Seconds>::min();
  std::vector<WorkerState> merged_states_;
  bool skip_unknown_players_ = false;
};

// Sums a per-worker vector (sized lazily by the workers) into a players-long result.
template <class T>
std::vector<T> sum_worker_vectors(std::vector<WorkerState>& states,
                                  std::vector<T> WorkerState::*member, std::size_t players) {
  std::vector<T> total(players, T{});
  for (auto& state : states) add_into(total, state.*member, 0, players);
  return total;
}

template <class T>
void ensure_size(std::vector<T>& values, std::size_t players) {
  if (values.size() != players) values.assign(players, T{});
}

// Reads top-ups (topups.csv, or a transaction file): amounts before the cutoff go to the
// windowed counters, amounts from the cutoff on to the label.
FileReport read_topups(FeatureBuilder& builder, const std::string& path,
                       const gamelog::FileSchema& schema, bool allow_negative, std::size_t n) {
  const EventClock& clock = builder.clock();
  const bool parse_only = builder.parse_only();
  PlayerCounters& counters = builder.counters();
  FileReport report = builder.read_events(
      path, schema, counters.topups, true, false,
      [&](const CsvRow& row, WorkerState& state, EventCounters& c, std::size_t player,
          Seconds time) {
        const double amount = row.number(2);
        if (amount < 0 && !allow_negative) {
          row.fail(2, "expected an amount >= 0, got " + quote_for_message(row.text(2)));
        }
        if (parse_only) return;
        if (clock.in_label(time)) {
          ensure_size(state.label_amount, n);
          ensure_size(state.label_count, n);
          state.label_amount[player] += amount;
          ++state.label_count[player];
          return;
        }
        c.add(player, clock.days_before(time), amount);
      });
  counters.label_amount = sum_worker_vectors(builder.last_states(), &WorkerState::label_amount, n);
  counters.label_count = sum_worker_vectors(builder.last_states(), &WorkerState::label_count, n);
  return report;
}

bool labels_reachable(const FeatureOptions& options, Seconds latest_event, std::string& note) {
  const Seconds label_end = (options.cutoff + options.label_days) * kSecondsPerDay;
  const Seconds last_day_start = label_end - kSecondsPerDay;
  const bool reached = latest_event >= last_day_start;
  switch (options.label) {
    case LabelMode::kAlways:
      note = "written (--label always)";
      return true;
    case LabelMode::kNever:
      note = "not written (--label never)";
      return false;
    case LabelMode::kAuto:
      if (latest_event == std::numeric_limits<Seconds>::min()) {
        note =
            "not written: no event of the logs falls in the observation or label window; "
            "use --label always to write it anyway";
        return false;
      }
      note = reached
                 ? "written: the logs reach " + format_date(options.cutoff + options.label_days - 1)
                 : "not written: the latest event is " + format_timestamp(latest_event) +
                       ", before the last day of the label window (" +
                       format_date(options.cutoff + options.label_days - 1) +
                       "); use --label always to write it anyway";
      return reached;
  }
  return false;
}

// Builds the item group inputs from the purchases (player row, catalogue item) of the window.
struct ItemGroupColumns {
  ItemProjection projection;
  std::vector<std::vector<double>> group_purchases;  // [group][output row]
  std::vector<std::vector<double>> scores;           // [component][output row]
};

ItemGroupColumns item_group_columns(const FeatureOptions& options,
                                    std::vector<std::pair<std::uint32_t, std::uint32_t>> purchases,
                                    const gamelog::ItemCatalogue& catalogue,
                                    const std::vector<std::int64_t>& output_row) {
  ItemGroupColumns result;
  const std::size_t rows = static_cast<std::size_t>(
      std::count_if(output_row.begin(), output_row.end(), [](std::int64_t r) { return r >= 0; }));
  // Which catalogue item is which column of the projection.
  std::vector<std::int32_t> column_of_item(catalogue.index.size(), -1);
  if (!options.item_projection_in.empty()) {
    result.projection = load_item_projection(options.item_projection_in);
    for (std::size_t c = 0; c < result.projection.item_ids.size(); ++c) {
      const std::int32_t item = catalogue.index.find(result.projection.item_ids[c]);
      if (item != KeyIndex::kAbsent)
        column_of_item[static_cast<std::size_t>(item)] = static_cast<std::int32_t>(c);
    }
  } else {
    std::vector<std::uint64_t> bought(catalogue.index.size(), 0);
    for (const auto& [player, item] : purchases) {
      if (output_row[player] >= 0) ++bought[item];
    }
    std::vector<std::uint32_t> order(bought.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return bought[a] > bought[b]; });
    std::vector<std::string> top_ids;
    for (std::uint32_t item : order) {
      if (top_ids.size() == static_cast<std::size_t>(options.top_items) || bought[item] == 0) break;
      column_of_item[item] = static_cast<std::int32_t>(top_ids.size());
      top_ids.push_back(catalogue.index.key(item));
    }
    result.projection.item_ids = std::move(top_ids);
  }
  // Sparse rows: (output row, column) sorted, then run-length counted.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> cells;
  cells.reserve(purchases.size());
  for (const auto& [player, item] : purchases) {
    const std::int64_t row = output_row[player];
    const std::int32_t column = column_of_item[item];
    if (row >= 0 && column >= 0)
      cells.emplace_back(static_cast<std::uint32_t>(row), static_cast<std::uint32_t>(column));
  }
  purchases = {};
  std::sort(cells.begin(), cells.end());
  SparseCounts counts;
  counts.row_start.assign(rows + 1, 0);
  for (std::size_t i = 0; i < cells.size();) {
    std::size_t j = i;
    while (j < cells.size() && cells[j] == cells[i]) ++j;
    counts.column.push_back(cells[i].second);
    counts.count.push_back(static_cast<std::uint32_t>(j - i));
    ++counts.row_start[cells[i].first + 1];
    i = j;
  }
  std::partial_sum(counts.row_start.begin(), counts.row_start.end(), counts.row_start.begin());
  if (options.item_projection_in.empty()) {
    result.projection =
        fit_item_projection(counts, std::move(result.projection.item_ids), options.item_components);
  }
  result.scores = project(result.projection, counts);
  const std::size_t groups = result.projection.component_count();
  result.group_purchases.assign(groups, std::vector<double>(rows, 0.0));
  for (std::size_t r = 0; r < rows; ++r) {
    for (auto a = counts.row_start[r]; a < counts.row_start[r + 1]; ++a) {
      const int group = result.projection.group_of_item[counts.column[a]];
      result.group_purchases[static_cast<std::size_t>(group)][r] += counts.count[a];
    }
  }
  return result;
}

// Fills the table's columns from the catalogue, rows in output order, in parallel by column.
void fill_table(Table& table, const std::vector<FeatureSpec>& specs,
                const std::vector<std::size_t>& player_of_row, unsigned threads) {
  table.column_names.clear();
  table.columns.assign(specs.size(), {});
  for (const auto& spec : specs) table.column_names.push_back(spec.name);
  parallel_for(specs.size(), threads, [&](std::size_t c, unsigned) {
    std::vector<double>& column = table.columns[c];
    column.resize(player_of_row.size());
    specs[c].fill(player_of_row, column.data());
  });
}

}  // namespace

int player_shard(const std::string& player_id, int shard_count) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : player_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return static_cast<int>(hash % static_cast<std::uint64_t>(shard_count));
}

void validate(const FeatureOptions& options) {
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count)
    throw InputError("--shard " + std::to_string(options.shard_index) + "/" +
                     std::to_string(options.shard_count) +
                     ": expected INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 0/8");
  if (options.observation_days < 1 || options.observation_days > 730) {
    throw InputError("--window-days must be between 1 and 730, got " +
                     std::to_string(options.observation_days));
  }
  if (options.windows.empty()) throw InputError("--windows needs at least one window");
  for (std::size_t i = 0; i < options.windows.size(); ++i) {
    const int w = options.windows[i];
    if (w < 1 || w > options.observation_days) {
      throw InputError("--windows: each window must be between 1 and --window-days (" +
                       std::to_string(options.observation_days) + "), got " + std::to_string(w));
    }
    if (i > 0 && w <= options.windows[i - 1]) throw InputError("--windows must be increasing");
  }
  if (options.windows.back() != options.observation_days) {
    throw InputError("--windows: the last window must equal --window-days (" +
                     std::to_string(options.observation_days) + ")");
  }
  if (options.label_days < 1 || options.label_days > 366) {
    throw InputError("--label-days must be between 1 and 366, got " +
                     std::to_string(options.label_days));
  }
  if (options.item_groups &&
      (options.item_components < 1 || options.item_components > options.top_items)) {
    throw InputError("--item-components must be between 1 and --top-items (" +
                     std::to_string(options.top_items) + ")");
  }
  if (options.top_items < 1 || options.top_items > 10000) {
    throw InputError("--top-items must be between 1 and 10000");
  }
}

FeatureResult build_player_features(const gamelog::LogFolder& logs, const FeatureOptions& options) {
  validate(options);
  const auto start = Clock::now();
  FeatureResult result;
  CsvReadOptions reference_options;
  reference_options.skip_bad_rows = options.skip_bad_rows;

  CsvReadReport players_read;
  gamelog::Players players = gamelog::read_players(logs.players, reference_options, &players_read);
  const std::size_t n = players.index.size();
  result.files.push_back({logs.players, players_read.bytes, players_read.rows,
                          players_read.skipped_rows, players_read.skipped_examples, 0,
                          seconds_since(start)});
  result.players_in_file = n;

  std::optional<gamelog::ItemCatalogue> catalogue;
  if (logs.items) {
    const auto items_start = Clock::now();
    CsvReadReport items_read;
    catalogue = gamelog::read_item_catalogue(*logs.items, reference_options, &items_read);
    result.files.push_back({*logs.items, items_read.bytes, items_read.rows, items_read.skipped_rows,
                            items_read.skipped_examples, 0, seconds_since(items_start)});
  }

  FeatureBuilder builder(options, n, players.index);
  PlayerCounters& counters = builder.counters();
  const std::vector<int>& windows = options.windows;
  const int observation = options.observation_days;
  const bool parse_only = options.parse_only;
  const EventClock& clock = builder.clock();

  const auto no_file = [&](EventCounters& counters_of_kind, bool amounts, bool days) {
    counters_of_kind = EventCounters(n, windows, observation, amounts, days);
  };

  if (logs.logins) {
    result.files.push_back(builder.read_events(
        *logs.logins, gamelog::kLogins, counters.logins, true, true,
        [&](const CsvRow& row, WorkerState&, EventCounters& c, std::size_t player, Seconds time) {
          const std::int64_t seconds = row.integer(2);
          if (seconds < 0)
            row.fail(2, "expected seconds >= 0, got " + quote_for_message(row.text(2)));
          if (parse_only || clock.in_label(time)) return;
          c.add(player, clock.days_before(time), static_cast<double>(seconds));
        }));
  } else {
    no_file(counters.logins, true, true);
  }

  if (logs.topups) {
    result.files.push_back(read_topups(builder, *logs.topups, gamelog::kTopups, false, n));
  } else {
    no_file(counters.topups, true, false);
    counters.label_amount.assign(n, 0.0);
    counters.label_count.assign(n, 0);
  }

  std::vector<std::pair<std::uint32_t, std::uint32_t>> player_items;
  if (logs.purchases) {
    const gamelog::ItemCatalogue* items = catalogue ? &*catalogue : nullptr;
    result.files.push_back(builder.read_events(
        *logs.purchases, gamelog::kPurchases, counters.purchases, true, false,
        [&](const CsvRow& row, WorkerState& state, EventCounters& c, std::size_t player,
            Seconds time) {
          const double price = row.number(3);
          if (price < 0)
            row.fail(3, "expected a price >= 0, got " + quote_for_message(row.text(3)));
          std::int32_t item = -1;
          if (items) {
            item = items->index.find(row.text(2));
            if (item == KeyIndex::kAbsent) {
              row.fail(2,
                       "unknown item id " + quote_for_message(row.text(2)) + " (not in items.csv)");
            }
          }
          if (parse_only || clock.in_label(time)) return;
          c.add(player, clock.days_before(time), price);
          if (!items) return;
          ensure_size(state.list_price_sum, n);
          ensure_size(state.main_items, n);
          ensure_size(state.high_value_items, n);
          const auto i = static_cast<std::size_t>(item);
          state.list_price_sum[player] += items->price_krw[i];
          state.main_items[player] += items->is_main[i];
          state.high_value_items[player] += items->is_high_value[i];
          state.player_items.emplace_back(static_cast<std::uint32_t>(player),
                                          static_cast<std::uint32_t>(item));
        }));
    auto& states = builder.last_states();
    counters.list_price_sum = sum_worker_vectors(states, &WorkerState::list_price_sum, n);
    counters.main_items = sum_worker_vectors(states, &WorkerState::main_items, n);
    counters.high_value_items = sum_worker_vectors(states, &WorkerState::high_value_items, n);
    for (auto& state : states) {
      player_items.insert(player_items.end(), state.player_items.begin(), state.player_items.end());
      state.player_items = {};
    }
  } else {
    no_file(counters.purchases, true, false);
  }
  ensure_size(counters.list_price_sum, n);
  ensure_size(counters.main_items, n);
  ensure_size(counters.high_value_items, n);

  if (logs.shop_visits) {
    result.files.push_back(builder.read_events(
        *logs.shop_visits, gamelog::kShopVisits, counters.shop_visits, false, true,
        [&](const CsvRow&, WorkerState&, EventCounters& c, std::size_t player, Seconds time) {
          if (parse_only || clock.in_label(time)) return;
          c.add(player, clock.days_before(time), 0.0);
        }));
  } else {
    no_file(counters.shop_visits, false, true);
  }
  result.latest_event = builder.latest_event();

  // Rows: players who signed up before the cutoff, in players.csv order.
  std::vector<std::size_t> player_of_row;
  std::vector<std::int64_t> row_of_player(n, -1);
  std::vector<double> is_female, is_male, age, days_since_signup;
  for (std::size_t p = 0; p < n; ++p) {
    if (players.signup_day[p] >= options.cutoff) {
      ++result.players_signed_up_after_cutoff;
      continue;
    }
    row_of_player[p] = static_cast<std::int64_t>(player_of_row.size());
    player_of_row.push_back(p);
  }
  is_female.resize(n);
  is_male.resize(n);
  days_since_signup.resize(n);
  for (std::size_t p = 0; p < n; ++p) {
    is_female[p] = players.gender[p] == gamelog::Gender::kFemale;
    is_male[p] = players.gender[p] == gamelog::Gender::kMale;
    days_since_signup[p] = static_cast<double>(options.cutoff - players.signup_day[p]);
  }

  CatalogShape shape;
  shape.items = catalogue.has_value() && logs.purchases.has_value();
  result.label_written = labels_reachable(options, result.latest_event, result.label_note);
  shape.label = result.label_written;

  ItemGroupColumns item_columns;
  std::vector<std::vector<double>> groups_by_player, scores_by_player;
  if (options.item_groups && shape.items && !parse_only) {
    item_columns = item_group_columns(options, std::move(player_items), *catalogue, row_of_player);
    shape.item_components = static_cast<int>(item_columns.projection.component_count());
    // The catalogue looks values up by player; spread the per-row columns back to players.
    const auto by_player = [&](const std::vector<std::vector<double>>& by_row) {
      std::vector<std::vector<double>> out(by_row.size(), std::vector<double>(n, 0.0));
      for (std::size_t k = 0; k < by_row.size(); ++k) {
        for (std::size_t r = 0; r < player_of_row.size(); ++r)
          out[k][player_of_row[r]] = by_row[k][r];
      }
      return out;
    };
    groups_by_player = by_player(item_columns.group_purchases);
    scores_by_player = by_player(item_columns.scores);
    result.projection = std::move(item_columns.projection);
  }

  CatalogData data{&counters,          &is_female,        &is_male,         &players.age,
                   &days_since_signup, &groups_by_player, &scores_by_player};
  const std::vector<FeatureSpec> specs = feature_catalog(options, shape, data);
  if (options.shard_count > 1) {  // after the item groups were fitted on every player
    const auto other_shard = [&](std::size_t p) {
      return player_shard(players.index.key(p), options.shard_count) != options.shard_index;
    };
    const auto kept = std::remove_if(player_of_row.begin(), player_of_row.end(), other_shard);
    result.players_in_other_shards = static_cast<std::uint64_t>(player_of_row.end() - kept);
    player_of_row.erase(kept, player_of_row.end());
  }
  result.table.key_name = "player_id";
  result.table.keys.reserve(player_of_row.size());
  for (std::size_t p : player_of_row) result.table.keys.push_back(players.index.key(p));
  if (!parse_only) fill_table(result.table, specs, player_of_row, options.threads);
  result.seconds = seconds_since(start);
  return result;
}

FeatureResult build_transaction_features(const std::string& path, const FeatureOptions& options) {
  validate(options);
  if (options.shard_count > 1) throw InputError("--shard works with --logs only");
  const auto start = Clock::now();
  FeatureResult result;
  // Pass 1: the players are the user_ids with a transaction before the cutoff, in order of first
  // appearance. Users whose first transaction is later are not known at the cutoff: taking them
  // in would put players into the table only because they will pay (a leak of the label).
  KeyIndex users;
  KeyIndex later_users;
  const Seconds cutoff = options.cutoff * kSecondsPerDay;
  {
    CsvReader reader(path, columns_of(gamelog::kTransactions));
    CsvReadOptions first_pass;
    first_pass.threads = 1;
    first_pass.skip_bad_rows = options.skip_bad_rows;
    reader.read(
        [&](unsigned) {
          return [&](const CsvRow& row) {
            if (row.text(0).empty()) row.fail(0, "expected a user id, got an empty field");
            if (row.timestamp(1) < cutoff) {
              users.add(row.text(0));
            } else if (users.find(row.text(0)) == KeyIndex::kAbsent) {
              later_users.add(row.text(0));
            }
          };
        },
        first_pass);
  }
  users.seal();
  const std::size_t n = users.size();
  std::size_t first_seen_later = 0;
  for (const auto& user : later_users.keys())
    first_seen_later += users.find(user) == KeyIndex::kAbsent;
  result.players_in_file = n + first_seen_later;
  result.players_signed_up_after_cutoff = first_seen_later;
  FeatureBuilder builder(options, n, users);
  builder.skip_unknown_players();
  PlayerCounters& counters = builder.counters();
  // Transactions may hold refunds: negative amounts are allowed there.
  result.files.push_back(read_topups(builder, path, gamelog::kTransactions, true, n));
  result.latest_event = builder.latest_event();

  CatalogShape shape;
  shape.game_log = false;
  shape.items = false;
  result.label_written = labels_reachable(options, result.latest_event, result.label_note);
  shape.label = result.label_written;
  const std::vector<FeatureSpec> specs = feature_catalog(options, shape, CatalogData{&counters});
  std::vector<std::size_t> player_of_row(n);
  std::iota(player_of_row.begin(), player_of_row.end(), std::size_t{0});
  result.table.key_name = "user_id";
  result.table.keys = users.keys();
  if (!options.parse_only) fill_table(result.table, specs, player_of_row, options.threads);
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace playsight::spend
