#include "core/key_index.h"

#include <algorithm>

#include "core/error.h"

namespace playsight {
namespace {

constexpr std::uint64_t kIndexLimit = 1ull << 31;
// Below this value a key always fits the direct table (16 MiB of table at most); above it, only
// while the table stays within 8 slots per key.
constexpr std::int64_t kAlwaysDirect = 1 << 22;

// The value of a canonical decimal integer ("0", "17"; not "017", "+1", "1.0"), or -1.
std::int64_t canonical_integer(std::string_view key) {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key[0] == '0')) return -1;
  std::int64_t value = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::int32_t KeyIndex::add(std::string_view key) {
  if (sealed_) throw Error("KeyIndex::add after seal");
  if (keys_.size() >= kIndexLimit - 1) throw Error("too many keys for one index");
  const auto index = static_cast<std::int32_t>(keys_.size());
  if (direct_mode_) {
    const std::int64_t value = canonical_integer(key);
    const auto bound =
        std::max<std::int64_t>(kAlwaysDirect, 8 * static_cast<std::int64_t>(keys_.size()) + 1024);
    if (value >= 0 && value < bound) {
      const auto slot = static_cast<std::size_t>(value);
      if (slot >= direct_.size()) direct_.resize(std::max(slot + 1, direct_.size() * 2), kAbsent);
      if (direct_[slot] != kAbsent) return kAbsent;
      direct_[slot] = index;
      keys_.emplace_back(key);
      return index;
    }
    // A key that is not a compact integer: from now on every key goes through the hash map.
    direct_mode_ = false;
    direct_ = {};
    for (std::size_t i = 0; i < keys_.size(); ++i)
      map_.emplace(keys_[i], static_cast<std::int32_t>(i));
  }
  const auto [where, inserted] = map_.try_emplace(std::string(key), index);
  if (!inserted) return kAbsent;
  keys_.emplace_back(key);
  return index;
}

void KeyIndex::seal() {
  sealed_ = true;
}

std::int32_t KeyIndex::find(std::string_view key) const {
  if (direct_mode_) {
    const std::int64_t value = canonical_integer(key);
    if (value < 0 || static_cast<std::uint64_t>(value) >= direct_.size()) return kAbsent;
    return direct_[static_cast<std::size_t>(value)];
  }
  const auto found = map_.find(key);
  return found == map_.end() ? kAbsent : found->second;
}

}  // namespace playsight
