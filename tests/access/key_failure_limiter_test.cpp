// The per-address limit on requests without a valid API key, its log lines and its memory bound
// (key_failure_limiter.h), on a clock the test moves.
#include "access/key_failure_limiter.h"

#include <gtest/gtest.h>

#include <regex>

namespace playsight::access {
namespace {

using namespace std::chrono_literals;
using Clock = KeyFailureLimiter::Clock;

// The counts of the summary lines, by address.
std::map<std::string, std::size_t> summarised(const std::vector<std::string>& lines) {
  static const std::regex summary(R"(^(\S+): (\d+) requests without a valid API key in the)");
  std::map<std::string, std::size_t> out;
  for (const std::string& line : lines)
    if (std::smatch match; std::regex_search(line, match, summary))
      out[match[1]] += std::stoul(match[2]);
  return out;
}

TEST(KeyFailureLimiter, AnswersFourTwentyNineAfterTheLimitUntilTheWindowEnds) {
  std::vector<std::string> lines;
  KeyFailureLimiter limiter({3, 60s, 100}, [&](const std::string& line) { lines.push_back(line); });
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.refuse("10.0.0.1", start), std::nullopt);
  EXPECT_EQ(limiter.refuse("10.0.0.1", start + 1s), 59);
  EXPECT_EQ(limiter.refuse("10.0.0.1", start + 59500ms), 1);
  EXPECT_EQ(limiter.refuse("10.0.0.2", start + 2s), std::nullopt) << "another address";
  EXPECT_EQ(limiter.limited_addresses(start + 2s), 1u);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "10.0.0.1: 3 requests without a valid API key within 60 s; its further ones get 429 "
            "for the 59 s left of the window (requests with a valid key are served)");
  // The window is over: a new one, with its own allowance, and the old one's summary.
  EXPECT_EQ(limiter.refuse("10.0.0.1", start + 60s), std::nullopt);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("10.0.0.1: 5 requests without a valid API key in the 60 s from "),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[1].find("(3 answered 401, 2 answered 429)"), std::string::npos) << lines[1];
}

TEST(KeyFailureLimiter, AFloodGivesTwoLinesPerWindowThatCountEveryRefusal) {
  std::vector<std::string> lines;
  KeyFailureLimiter limiter({20, 10s, 100},
                            [&](const std::string& line) { lines.push_back(line); });
  const Clock::time_point start = Clock::now();
  std::size_t limited = 0;
  for (int i = 0; i < 10000; ++i)  // 10,000 over 30 s: three windows
    if (limiter.refuse("10.0.0.9", start + i * 3ms)) ++limited;
  limiter.close_all();
  EXPECT_EQ(limited, 10000u - 3 * 20);
  EXPECT_EQ(lines.size(), 6u);
  EXPECT_EQ(summarised(lines)["10.0.0.9"], 10000u);
}

TEST(KeyFailureLimiter, TracksAtMostMaxAddressesAndLosesNoCount) {
  std::vector<std::string> lines;
  KeyFailureLimiter limiter({2, 60s, 1000},
                            [&](const std::string& line) { lines.push_back(line); });
  const Clock::time_point start = Clock::now();
  for (int i = 0; i < 100000; ++i) {
    limiter.refuse("10.1." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256),
                   start + std::chrono::microseconds(i));
    ASSERT_LE(limiter.tracked_addresses(), 1000u);
  }
  limiter.close_all();
  std::size_t total = 0;
  for (const auto& [address, count] : summarised(lines)) total += count;
  EXPECT_EQ(total, 100000u);
  EXPECT_EQ(limiter.tracked_addresses(), 0u);
}

TEST(KeyFailureLimiter, NoLimitWithZeroFailures) {
  KeyFailureLimiter limiter({0, 60s, 10}, nullptr);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limiter.refuse("10.0.0.1", Clock::now()), std::nullopt);
  EXPECT_EQ(limiter.limited_addresses(Clock::now()), 0u);
}

}  // namespace
}  // namespace playsight::access
