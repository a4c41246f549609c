#pragma once
// The feature catalogue: every column `playsight features` writes, declared once with its group
// and definition. The same list drives the computation and `playsight features --list`, so they
// cannot disagree.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "spend/features.h"

namespace playsight::spend {

namespace detail {
struct PlayerCounters;
}

struct FeatureSpec {
  std::string name;
  std::string group;  // access, topup, purchase, cash_shop, demographics, items, label
  std::string definition;
  // Writes the feature of players[i] to out[i] for every i; empty when listing without data.
  // (A whole column per call: the per-player code is inlined into the loop.)
  std::function<void(std::span<const std::size_t> players, double* out)> fill;
};

// What the catalogue needs to compute values; all pointers null to list definitions only.
struct CatalogData {
  const detail::PlayerCounters* counters = nullptr;
  const std::vector<double>* is_female = nullptr;
  const std::vector<double>* is_male = nullptr;
  const std::vector<double>* age = nullptr;
  const std::vector<double>* days_since_signup = nullptr;
  const std::vector<std::vector<double>>* item_group_purchases = nullptr;  // [group][player]
  const std::vector<std::vector<double>>* item_scores = nullptr;           // [component][player]
};

struct CatalogShape {
  bool game_log = true;     // false: a plain transaction file (top-ups and label only)
  bool items = true;        // item price features (needs items.csv and purchases.csv)
  int item_components = 0;  // 0: no item group columns
  bool label = true;
};

std::vector<FeatureSpec> feature_catalog(const FeatureOptions& options, const CatalogShape& shape,
                                         const CatalogData& data = {});

}  // namespace playsight::spend
