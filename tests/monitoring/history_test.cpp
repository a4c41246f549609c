// The latency percentiles of the monitoring history's samples (history.h).
#include "monitoring/history.h"

#include <gtest/gtest.h>

#include <vector>

namespace playsight::testing {
namespace {

TEST(NearestRankQuantile, PicksTheValueAtTheRank) {
  std::vector<double> values = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
  EXPECT_EQ(monitoring::nearest_rank_quantile(values, 0.5), 5);
  EXPECT_EQ(monitoring::nearest_rank_quantile(values, 0.95), 10);
  EXPECT_EQ(monitoring::nearest_rank_quantile(values, 0.0), 1);
  std::vector<double> none;
  EXPECT_EQ(monitoring::nearest_rank_quantile(none, 0.5), 0);
}

}  // namespace
}  // namespace playsight::testing
