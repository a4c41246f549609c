#pragma once
// Per-player counters that features are computed from (an implementation detail of features.cpp
// and feature_catalog.cpp). One EventCounters holds, for one kind of event and every player:
// counts and amount sums per window, the calendar days with an event (a bitmap over the
// observation window) and the most recent event. Events are placed by `days_before` the cutoff:
// 0 = the day before the cutoff, W-1 = the first day of the observation window.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace playsight::spend::detail {

class EventCounters {
 public:
  static constexpr std::int32_t kNone = std::numeric_limits<std::int32_t>::max();

  EventCounters() = default;
  EventCounters(std::size_t players, const std::vector<int>& windows, int observation_days,
                bool amounts, bool days)
      : windows_(windows),
        words_(days ? static_cast<std::size_t>(observation_days + 63) / 64 : 0),
        count_(players * windows.size(), 0),
        amount_(amounts ? players * windows.size() : 0, 0.0),
        days_(players * words_, 0),
        latest_(players, kNone) {}

  [[gnu::always_inline]] inline void add(std::size_t player, int days_before, double amount) {
    const std::size_t base = player * windows_.size();
    for (std::size_t w = 0; w < windows_.size(); ++w) {
      if (days_before < windows_[w]) {
        ++count_[base + w];
        if (!amount_.empty()) amount_[base + w] += amount;
      }
    }
    if (words_)
      days_[player * words_ + static_cast<std::size_t>(days_before) / 64] |= std::uint64_t{1}
                                                                             << (days_before % 64);
    latest_[player] = std::min(latest_[player], days_before);
  }

  bool empty() const { return latest_.empty(); }  // default-constructed: no players yet

  // Adds other's counters for players [begin, end) into this.
  void merge(const EventCounters& other, std::size_t begin, std::size_t end) {
    const std::size_t n = windows_.size();
    for (std::size_t i = begin * n; i < end * n; ++i) count_[i] += other.count_[i];
    for (std::size_t i = begin * n; i < std::min(end * n, amount_.size()); ++i)
      amount_[i] += other.amount_[i];
    for (std::size_t i = begin * words_; i < end * words_; ++i) days_[i] |= other.days_[i];
    for (std::size_t p = begin; p < end; ++p) latest_[p] = std::min(latest_[p], other.latest_[p]);
  }

  double count(std::size_t player, std::size_t window) const {
    return count_[player * windows_.size() + window];
  }
  double amount(std::size_t player, std::size_t window) const {
    return amount_[player * windows_.size() + window];
  }
  // Distinct days with an event among the `window` days before the cutoff.
  double distinct_days(std::size_t player, int window) const {
    int total = 0;
    for (std::size_t word = 0; word < words_; ++word) {
      const int first_day = static_cast<int>(word) * 64;
      if (first_day >= window) break;
      std::uint64_t bits = days_[player * words_ + word];
      if (window - first_day < 64) bits &= (std::uint64_t{1} << (window - first_day)) - 1;
      total += __builtin_popcountll(bits);
    }
    return total;
  }
  std::int32_t latest_days_before(std::size_t player) const { return latest_[player]; }

 private:
  std::vector<int> windows_;
  std::size_t words_ = 0;
  std::vector<std::uint32_t> count_;
  std::vector<double> amount_;
  std::vector<std::uint64_t> days_;
  std::vector<std::int32_t> latest_;
};

// Everything features are computed from, for all players of the table.
struct PlayerCounters {
  EventCounters logins;       // amount = play seconds
  EventCounters topups;       // amount = KRW
  EventCounters purchases;    // amount = KRW paid
  EventCounters shop_visits;  // no amount
  std::vector<double> label_amount;
  std::vector<std::uint32_t> label_count;
  std::vector<double> list_price_sum;  // catalogue price of items bought in the window
  std::vector<std::uint32_t> main_items;
  std::vector<std::uint32_t> high_value_items;
};

}  // namespace playsight::spend::detail
