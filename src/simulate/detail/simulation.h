#pragma once
// Simulates one player from signup (or the log start) to churn (or the log end), day by day,
// and appends their rows to a block's buffers:
//   a day     login or not; sessions with start times and play seconds (rates.h)
//   a session a cash-shop visit or not
//   a visit   top-ups (rates.h, the top-up stream) and then item purchases from the cash balance:
//             popular items of the player's taste, at the day's sale price, only when affordable
// Event times of one player never go back within a day's visits, so replaying a player's
// top-ups and purchases in time order never takes the balance below zero.
//
// In the label window every visit is decided in both worlds (without and with the player's
// nudge) from the same numbers; the rows follow the world the player lives in.
#include <array>
#include <cstdint>
#include <vector>

#include "core/text_buffer.h"
#include "simulate/detail/world.h"

namespace playsight::simulate::detail {

enum class OutputFile : int {
  kPlayers,
  kLogins,
  kTopups,
  kPurchases,
  kShopVisits,
  kExperiment,
  kNudgeTruth,
};
inline constexpr int kOutputFileCount = 7;

// The rows of a block of consecutive players, and what the summary needs from them.
struct BlockOutput {
  std::array<TextBuffer, kOutputFileCount> text;
  std::array<std::int64_t, kOutputFileCount> rows{};
  std::vector<double> label_topups_krw;     // per player, in the world they live in
  std::vector<std::int64_t> group_players;  // [0] control, [1 + i] nudge i
  std::int64_t churned_in_history = 0;
  std::int64_t churned_in_label = 0;

  TextBuffer& out(OutputFile file) { return text[static_cast<std::size_t>(file)]; }
  void count(OutputFile file) { ++rows[static_cast<std::size_t>(file)]; }
};

void simulate_player(const World& world, std::int64_t id, BlockOutput& out);

// The price a player pays for an item on a day: list price less the sale or coupon discount,
// rounded to 10 KRW.
std::int64_t paid_price(const Item& item, const Sale& sale, bool coupon);

}  // namespace playsight::simulate::detail
