#pragma once
// KeyFailureLimiter: per client address, counts the requests refused for a missing or unknown API
// key, limits them, and logs them without flooding the log. An address's window opens at its
// first refusal and lasts limits.window; its first limits.failures refusals in the window are
// answered 401 as usual, the later ones 429 with Retry-After (the seconds left in the window).
// Only failures are limited: a request with a valid key is served whatever its address sent
// before (the service compares the key first), so a well-configured client sharing an address
// (a NAT, a host, loopback) with a broken or hostile one goes on working. Keys are 192 random
// bits (api_keys.h), so the limit is not what keeps them from being guessed; it keeps a flood
// cheap to refuse, tells a misconfigured client to back off, and keeps the log readable.
//
// The log gets at most two lines per address and window: one when the address goes over the
// limit, and one when its window ends with the count of its refusals (401 and 429), so the sum
// of the windows' counts is every refusal. Memory is bounded: at most limits.max_addresses
// addresses are tracked; one more closes the oldest window early (its line is written then).
//
// Thread-safe. The log function is called outside the limiter's lock, one line at a time.
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace playsight::access {

struct KeyFailureLimits {
  std::size_t failures = 20;  // refusals per address and window answered 401; 0: no limit
  std::chrono::milliseconds window{60000};
  std::size_t max_addresses = 10000;
};

class KeyFailureLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  using Log = std::function<void(const std::string& line)>;

  KeyFailureLimiter(KeyFailureLimits limits, Log log);

  // Counts a request from `address` refused for its key. nullopt: answer 401; else answer 429
  // with Retry-After this many seconds (at least 1).
  std::optional<int> refuse(const std::string& address, Clock::time_point now);
  // Logs and forgets every window that has ended by `now` (the service calls it now and then, so
  // a flood that stopped is reported without waiting for the next refusal).
  void close_windows(Clock::time_point now);
  // Logs and forgets every window, ended or not (when the service stops).
  void close_all();

  // Addresses over their limit now.
  std::size_t limited_addresses(Clock::time_point now) const;
  std::size_t tracked_addresses() const;

 private:
  struct Window {
    std::string address;
    Clock::time_point start;
    std::chrono::system_clock::time_point wall_start;
    std::size_t refused = 0;  // all, 401 and 429
  };

  std::string summary(const Window& window) const;
  // Removes the oldest window, adding its line to `lines`. REQUIRES: the lock, a window.
  void close_oldest(std::vector<std::string>& lines);
  void write(const std::vector<std::string>& lines) const;

  const KeyFailureLimits limits_;
  const Log log_;
  mutable std::mutex mutex_;
  std::list<Window> windows_;  // oldest start first
  std::unordered_map<std::string, std::list<Window>::iterator> by_address_;
};

}  // namespace playsight::access
