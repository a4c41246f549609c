#include "core/key_index.h"

#include <algorithm>

#include "core/error.h"

namespace playsight {
namespace {

constexpr std::uint64_t kDirectLimit = 1ull << 31;

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
  if (keys_.size() >= kDirectLimit - 1) throw Error("too many keys for one index");
  const auto index = static_cast<std::int32_t>(keys_.size());
  const auto [where, inserted] = map_.try_emplace(std::string(key), index);
  if (!inserted) return kAbsent;
  keys_.emplace_back(key);
  return index;
}

void KeyIndex::seal() {
  sealed_ = true;
  std::int64_t largest = -1;
  for (const auto& key : keys_) {
    const std::int64_t value = canonical_integer(key);
    if (value < 0) return;
    largest = std::max(largest, value);
  }
  const auto span = static_cast<std::uint64_t>(largest + 1);
  if (keys_.empty() || span >= kDirectLimit || span > 8 * keys_.size() + 1024) return;
  direct_.assign(span, kAbsent);
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    direct_[static_cast<std::size_t>(canonical_integer(keys_[i]))] = static_cast<std::int32_t>(i);
  }
  map_ = {};  // the direct table answers every lookup now
}

std::int32_t KeyIndex::find(std::string_view key) const {
  if (!direct_.empty()) {
    const std::int64_t value = canonical_integer(key);
    if (value < 0 || static_cast<std::uint64_t>(value) >= direct_.size()) return kAbsent;
    return direct_[static_cast<std::size_t>(value)];
  }
  const auto found = map_.find(key);
  return found == map_.end() ? kAbsent : found->second;
}

}  // namespace playsight
