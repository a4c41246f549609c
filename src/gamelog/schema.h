#pragma once
// The game-log schema: one CSV file per kind of event, in one folder. This list is the single
// source of truth for the file and column names that `playsight generate` writes, that ingestion
// reads, and that docs/guides/gamelog.md documents. Files have a header row; columns may come in
// any order and extra columns are ignored; rows need not be sorted.
//
//   players.csv      player_id, gender (F/M/U), age (years), signup_date (YYYY-MM-DD)
//   items.csv        item_id, category, price_krw, is_main (0/1), is_high_value (0/1)
//   logins.csv       player_id, login_time, play_seconds
//   topups.csv       player_id, topup_time, amount_krw           cash top-ups (charges)
//   purchases.csv    player_id, purchase_time, item_id, price_krw item bought with cash
//   shop_visits.csv  player_id, visit_time                        cash-shop visits
//   experiment.csv   player_id, group, exposure_time              nudge assignment at the cutoff
//   nudge_truth.csv  generator only: the true per-player effect of the nudge (see
//   simulate/generator.h)
//
// A plain transaction file (any shop's purchase history) has user_id, timestamp, amount.
// Times are timestamps as core/time.h reads them; amounts and prices are KRW (numbers).
// player_id is any text without commas or quotes (the generator writes integers).
#include <array>
#include <string_view>

namespace playsight::gamelog {

// What `playsight generate` wrote and when (its dates.cutoff is the default cutoff of the folder).
inline constexpr std::string_view kManifestFile = "manifest.json";

struct FileSchema {
  std::string_view file_name;
  std::string_view description;
  std::array<std::string_view, 5> columns;  // unused trailing entries are empty
  std::size_t column_count;
};

inline constexpr FileSchema kPlayers{
    "players.csv", "one row per player", {"player_id", "gender", "age", "signup_date"}, 4};
inline constexpr FileSchema kItems{"items.csv",
                                   "the item catalogue",
                                   {"item_id", "category", "price_krw", "is_main", "is_high_value"},
                                   5};
inline constexpr FileSchema kLogins{
    "logins.csv", "one row per login session", {"player_id", "login_time", "play_seconds"}, 3};
inline constexpr FileSchema kTopups{
    "topups.csv", "one row per cash top-up (charge)", {"player_id", "topup_time", "amount_krw"}, 3};
inline constexpr FileSchema kPurchases{"purchases.csv",
                                       "one row per item bought with cash",
                                       {"player_id", "purchase_time", "item_id", "price_krw"},
                                       4};
inline constexpr FileSchema kShopVisits{
    "shop_visits.csv", "one row per cash-shop visit", {"player_id", "visit_time"}, 2};
inline constexpr FileSchema kExperiment{
    "experiment.csv", "nudge experiment assignment", {"player_id", "group", "exposure_time"}, 3};
inline constexpr FileSchema kTransactions{
    "transactions.csv", "plain purchase history", {"user_id", "timestamp", "amount"}, 3};

inline constexpr std::string_view kControlGroup = "control";

}  // namespace playsight::gamelog
