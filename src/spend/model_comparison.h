#pragma once
// The model comparison workflow of `playsight compare` on a game log or a transaction file: build
// the features at a cutoff (or read a table built earlier), split the players under one protocol,
// train and score every chosen model on the same test players, and fit the customer-lifetime-value
// reference (BG/NBD x Gamma-Gamma) from the raw top-ups. The report is written by
// comparison_report.h.
#include <cstdint>
#include <string>
#include <vector>

#include "spend/comparison_report.h"

namespace playsight::spend {

// The alias of the customer-lifetime-value reference, which trains on the raw top-ups rather
// than on the feature table.
inline constexpr const char* kClvReferenceAlias = "bgnbd_gamma_gamma";

struct ComparableModel {
  std::string alias, kind, description;
};
// Every model compare can train: the catalogue's (model_catalog.h) and the CLV reference.
std::vector<ComparableModel> comparable_models();

struct ComparisonRequest {
  std::string logs;          // a game-log folder, or
  std::string transactions;  // a transaction file user_id,timestamp,amount
  std::string features;      // optional, with logs: a feature table built from them earlier
  std::string cutoff;        // YYYY-MM-DD; empty: the logs' manifest.json
  int horizon_days = 30;
  std::string horizon = "30d";  // as the user wrote it (for the report)
  int window_days = 90;
  std::vector<std::string> models;  // aliases; empty: every comparable model
  bool all_players = false;
  double trim_top_share = 0;
  std::uint64_t seed = 42;
  unsigned threads = 0;
  std::string save_models_folder;  // non-empty: save each trained model in FOLDER/<alias>
};

// Throws InputError for an unknown alias, a missing cutoff, a folder without top-ups.
ComparisonReport compare_models(const ComparisonRequest& request);

}  // namespace playsight::spend
