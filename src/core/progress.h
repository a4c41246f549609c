#pragma once
// A progress bar on stderr for steps that take more than a few seconds:
//   features  logins.csv  [##########----------]  52%  118 MB/s  eta 3s
// It draws only when stderr is a terminal (or when forced), at most 10 times a second, and
// erases itself when done, leaving one summary line. Safe to advance from several threads.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace playsight {

class Progress {
 public:
  enum class Unit { kItems, kBytes };

  // total = 0 means unknown (a spinner-like counter without a percentage).
  Progress(std::string label, std::uint64_t total, Unit unit = Unit::kItems);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(std::uint64_t amount);
  // Ends the bar; prints "label  done in 1.2s (summary)" when the bar was shown.
  void finish(const std::string& summary = "");

  // Whether bars are drawn: on a terminal by default; PLAYSIGHT_PROGRESS=0/1 overrides.
  static bool enabled();

 private:
  void draw(bool final_draw);

  std::string label_;
  std::uint64_t total_;
  Unit unit_;
  bool enabled_;
  bool finished_ = false;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::int64_t> next_draw_ns_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex draw_mutex_;
};

}  // namespace playsight
