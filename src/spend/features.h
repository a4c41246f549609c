#pragma once
// Player features: turns a game log (see gamelog/schema.h) into one row per player for a cutoff
// date — activity, spend, demographics, item taste and cash-shop behaviour over an observation
// window that ends at the cutoff — plus the label, the top-up amount in the days after it.
// This is what spend models train on and what effect measurement compares against.
//
// Every feature is declared once in feature_catalog.h (name, group, definition); `playsight
// features --list` prints that list.
//
// How it is fast: each log file is parsed in parallel (core/csv_reader.h) straight into
// per-worker arrays of per-player counters (no event table is ever built), which are then summed.
// Memory is the counters, not the events.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/table.h"
#include "core/time.h"
#include "gamelog/log_folder.h"
#include "spend/item_groups.h"

namespace playsight::spend {

enum class LabelMode { kAuto, kAlways, kNever };

struct FeatureOptions {
  Days cutoff = 0;                      // features use events before this date, labels from it on
  int observation_days = 90;            // W: the window that ends at the cutoff
  std::vector<int> windows{7, 30, 90};  // sub-windows for counts and sums (each <= W)
  int label_days = 30;                  // H: the label is the top-up amount in [cutoff, cutoff+H)
  LabelMode label = LabelMode::kAuto;  // auto: only when the logs reach the end of the label window
  bool item_groups = true;             // fit (or apply) the item PCA and add its columns
  int item_components = 8;
  int top_items = 100;
  std::string item_projection_in;  // apply this saved projection instead of fitting one
  unsigned threads = 0;
  bool skip_bad_rows = false;
  bool parse_only = false;  // parse every field, aggregate nothing (benchmarks)
  bool progress = true;
  // Rows of shard `shard_index` of `shard_count` only: the players whose id's FNV-1a hash modulo
  // shard_count is shard_index (see player_shard()). Every shard reads the whole log and fits the
  // item groups on every player, so the shards' columns agree and their rows, concatenated, are
  // the rows of one run (a Kubernetes Indexed Job runs one shard per pod).
  int shard_index = 0;
  int shard_count = 1;
};

// The shard (0 .. shard_count - 1) a player id belongs to: FNV-1a 64 of its text, modulo.
int player_shard(const std::string& player_id, int shard_count);

// What happened to one input file.
struct FileReport {
  std::string path;
  std::uint64_t bytes = 0;
  std::uint64_t rows = 0;
  std::uint64_t skipped_rows = 0;
  std::vector<std::string> skipped_examples;
  std::uint64_t outside_window = 0;  // rows before the window or after the label window
  double seconds = 0;
};

struct FeatureResult {
  Table table;                               // key player_id (or user_id), one row per player
  std::optional<ItemProjection> projection;  // fitted or applied item PCA
  std::vector<FileReport> files;
  std::uint64_t players_in_file = 0;
  std::uint64_t players_signed_up_after_cutoff = 0;  // not in the table
  std::uint64_t players_in_other_shards = 0;         // not in the table (shard_count > 1)
  bool label_written = false;
  std::string label_note;  // why the label was or was not written
  Seconds latest_event = 0;
  double seconds = 0;
};

// Throws InputError for bad options or bad input (naming file, line and column).
void validate(const FeatureOptions& options);
FeatureResult build_player_features(const gamelog::LogFolder& logs, const FeatureOptions& options);

// Features from a plain transaction file (user_id,timestamp,amount): the top-up group and the
// label, with the transactions taken as top-ups. Players are the user_ids with a transaction
// before the cutoff; users first seen later are counted in players_signed_up_after_cutoff.
FeatureResult build_transaction_features(const std::string& path, const FeatureOptions& options);

}  // namespace playsight::spend
