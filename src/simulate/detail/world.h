#pragma once
// The setting every generated player lives in, shared read-only by all generator threads: the
// timeline, the item catalogue with its popularity and taste tables, the sales calendar, and when
// in the day people play. Built once from the options (and the seed) by build_world.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/random.h"
#include "core/text_buffer.h"
#include "core/time.h"
#include "simulate/generator.h"

namespace playsight::simulate::detail {

inline constexpr int kCategoryCount = 8;
inline constexpr std::array<std::string_view, kCategoryCount> kCategoryNames{
    "costume", "weapon", "mount", "consumable", "gacha", "package", "pet", "emote"};

// Taste clusters: fashion, fighter, collector, gambler, generalist. Each player belongs to one; it
// scales how much they like each category, which is what PCA on player x item counts recovers.
inline constexpr int kTasteClusterCount = 5;

// Purposes of the random streams; a stream is Rng(seed, player id, purpose). Player ids start at
// 1, so key 0 is free for the world's own streams.
enum StreamPurpose : std::uint64_t {
  kCatalogueStream = 1,
  kSalesStream = 2,
  kTraitsStream = 10,
  kLifeStream = 11,        // logins, sessions, shop visits
  kTopupStream = 12,       // a fixed count of numbers per visit (common random numbers)
  kShopStream = 13,        // item purchases
  kAssignmentStream = 14,  // experiment group and exposure time
  kNudgeStream = 100,      // + nudge group index: the player's response to that nudge
};

struct Item {
  std::int64_t id = 0;  // 1..kItemCount
  int category = 0;     // index into kCategoryNames
  std::int64_t price_krw = 0;
  bool is_main = false;
  bool is_high_value = false;  // price >= kHighValuePriceKrw
  int popularity_rank = 0;     // 1 = most popular
};

inline constexpr int kItemCount = 800;
inline constexpr std::int64_t kHighValuePriceKrw = 30'000;

// A sale on one day: discount_percent off one category or, when category < 0, everything.
struct Sale {
  int discount_percent = 0;
  int category = -1;
};

struct World {
  std::uint64_t seed = 0;
  Days log_start = 0, cutoff = 0, log_end = 0;
  std::int64_t nudge_groups = 0;
  double control_share = 0;

  std::vector<Item> items;  // by id - 1
  // Which item a player of each taste cluster picks when browsing: popularity x taste.
  std::array<AliasTable, kTasteClusterCount> item_choice;
  std::vector<Sale> sales;                        // by day - log_start
  std::vector<std::uint8_t> day_of_month;         // by day - log_start
  std::vector<std::array<char, 11>> date_prefix;  // "YYYY-MM-DD " by day - log_start
  AliasTable session_hour;                        // hour of the day a session starts
  std::array<double, 24> session_hour_share{};

  const Sale& sale_on(Days day) const { return sales[static_cast<std::size_t>(day - log_start)]; }
  int day_of_month_of(Days day) const {
    return day_of_month[static_cast<std::size_t>(day - log_start)];
  }
  // Appends the timestamp "YYYY-MM-DD HH:MM:SS" of `time`. REQUIRES: within [log_start, log_end).
  void append_timestamp(TextBuffer& text, Seconds time) const;
};

World build_world(const GeneratorOptions& options);

// How much a player of a taste cluster likes a category (1 = average).
double taste_weight(int cluster, int category);

}  // namespace playsight::simulate::detail
