#include "access/key_failure_limiter.h"

#include <algorithm>
#include <array>
#include <ctime>

namespace playsight::access {
namespace {

std::string utc_text(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text.data();
}

long long whole_seconds(std::chrono::milliseconds duration) {
  return std::max<long long>(1, (duration.count() + 999) / 1000);
}

}  // namespace

KeyFailureLimiter::KeyFailureLimiter(KeyFailureLimits limits, Log log)
    : limits_(limits), log_(std::move(log)) {}

std::optional<int> KeyFailureLimiter::refuse(const std::string& address, Clock::time_point now) {
  std::vector<std::string> lines;
  std::optional<int> retry_after;
  {
    const std::lock_guard lock(mutex_);
    while (!windows_.empty() && windows_.front().start + limits_.window <= now) close_oldest(lines);
    auto found = by_address_.find(address);
    if (found == by_address_.end()) {
      if (by_address_.size() >= limits_.max_addresses && !windows_.empty()) close_oldest(lines);
      windows_.push_back({address, now, std::chrono::system_clock::now(), 0});
      found = by_address_.emplace(address, std::prev(windows_.end())).first;
    }
    Window& window = *found->second;
    ++window.refused;
    if (limits_.failures > 0 && window.refused > limits_.failures) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(window.start + limits_.window - now);
      retry_after = static_cast<int>(whole_seconds(left));
      if (window.refused == limits_.failures + 1)
        lines.push_back(address + ": " + std::to_string(limits_.failures) +
                        " requests without a valid API key within " +
                        std::to_string(whole_seconds(limits_.window)) +
                        " s; its further ones get 429 for the " + std::to_string(*retry_after) +
                        " s left of the window (requests with a valid key are served)");
    }
  }
  write(lines);
  return retry_after;
}

void KeyFailureLimiter::close_windows(Clock::time_point now) {
  std::vector<std::string> lines;
  {
    const std::lock_guard lock(mutex_);
    while (!windows_.empty() && windows_.front().start + limits_.window <= now) close_oldest(lines);
  }
  write(lines);
}

void KeyFailureLimiter::close_all() {
  std::vector<std::string> lines;
  {
    const std::lock_guard lock(mutex_);
    while (!windows_.empty()) close_oldest(lines);
  }
  write(lines);
}

std::size_t KeyFailureLimiter::limited_addresses(Clock::time_point now) const {
  const std::lock_guard lock(mutex_);
  if (limits_.failures == 0) return 0;
  return static_cast<std::size_t>(
      std::count_if(windows_.begin(), windows_.end(), [&](const Window& w) {
        return w.refused > limits_.failures && w.start + limits_.window > now;
      }));
}

std::size_t KeyFailureLimiter::tracked_addresses() const {
  const std::lock_guard lock(mutex_);
  return windows_.size();
}

std::string KeyFailureLimiter::summary(const Window& window) const {
  const std::size_t limited =
      limits_.failures == 0 ? 0 : window.refused - std::min(window.refused, limits_.failures);
  return window.address + ": " + std::to_string(window.refused) +
         " requests without a valid API key in the " +
         std::to_string(whole_seconds(limits_.window)) + " s from " + utc_text(window.wall_start) +
         " (" + std::to_string(window.refused - limited) + " answered 401, " +
         std::to_string(limited) + " answered 429)";
}

void KeyFailureLimiter::close_oldest(std::vector<std::string>& lines) {
  lines.push_back(summary(windows_.front()));
  by_address_.erase(windows_.front().address);
  windows_.pop_front();
}

void KeyFailureLimiter::write(const std::vector<std::string>& lines) const {
  if (!log_) return;
  for (const std::string& line : lines) log_(line);
}

}  // namespace playsight::access
