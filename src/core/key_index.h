#pragma once
// KeyIndex: maps text keys (player ids, item ids) to dense indices 0..n-1 in insertion order,
// so that per-key state can live in plain arrays. Built once, then looked up concurrently
// (lookups are const and thread-safe).
//
// Game logs usually number their players 1..N; while every key is a plain decimal integer in a
// compact range, keys live in a direct table instead of a hash map (several times faster, which
// matters at tens of millions of events). The first other key moves all keys to a hash map.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace playsight {

class KeyIndex {
 public:
  static constexpr std::int32_t kAbsent = -1;

  // Adds a key; returns its index, or kAbsent if it was already there (nothing changes then).
  // REQUIRES: seal() has not been called.
  std::int32_t add(std::string_view key);
  // Room for `keys` keys without reallocating (a hint).
  void reserve(std::size_t keys) { keys_.reserve(keys); }
  // Call after the last add(): no key can be added after it.
  void seal();

  std::int32_t find(std::string_view key) const;  // kAbsent if unknown
  std::size_t size() const { return keys_.size(); }
  const std::string& key(std::size_t index) const { return keys_[index]; }
  const std::vector<std::string>& keys() const { return keys_; }
  bool uses_direct_table() const { return direct_mode_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };
  std::vector<std::string> keys_;
  std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>> map_;
  std::vector<std::int32_t> direct_;  // value -> index, while all keys are compact integers
  bool direct_mode_ = true;
  bool sealed_ = false;
};

}  // namespace playsight
