#pragma once
// The training protocol every spend model is trained and evaluated under, so that the comparison
// is fair:
//   1. players: the control group only by default (nudged players' spend is not what a model of
//      "what they would have spent anyway" should learn), from the experiment file;
//   2. split by player, deterministically from the seed: 60 % train, 20 % validation (early
//      stopping, thresholds, smearing), 20 % test (every reported metric);
//   3. outlier trimming (the team's practice) as an option: the top share of train and
//      validation players by observation-window top-ups is dropped from fitting; the test set is
//      never trimmed, so trimming cannot flatter the metrics;
//   4. no leakage: features come from before the cutoff and the label after it (features.h);
//      the label columns are never model inputs (feature_matrix.h).
#include <cstdint>
#include <string>
#include <vector>

#include "core/table.h"

namespace playsight::spend {

struct ProtocolOptions {
  std::string experiment_path;  // experiment.csv; empty: every player is used
  bool control_only = true;
  double trim_top_share = 0;  // e.g. 0.1 for the team's 10 %
  std::string trim_column = "topup_amount_last_90d";
  double train_share = 0.6;
  double validation_share = 0.2;
  std::uint64_t seed = 42;
};

struct DataSplit {
  std::vector<std::size_t> train, validation, test;  // rows of the feature table
  std::size_t players = 0;                           // rows in the table
  std::size_t control_players = 0;                   // after the control filter
  std::size_t trimmed = 0;                           // dropped from train + validation by trimming
  std::string population;  // "control group (experiment.csv)" or "all players"
};

// Throws InputError for a missing experiment file, no control players, or bad shares.
DataSplit split_players(const Table& features, const ProtocolOptions& options);

}  // namespace playsight::spend
