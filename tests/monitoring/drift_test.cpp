// The population stability index by hand, and the reference bins cut at the deciles (drift.h).
#include "monitoring/drift.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace playsight::testing {
namespace {

TEST(PopulationStabilityIndex, MatchesTheFormulaByHand) {
  const std::vector<double> reference = {0.5, 0.3, 0.2, 0.0};
  const std::vector<std::uint64_t> counts = {30, 30, 40, 0};
  const double expected = (0.3 - 0.5) * std::log(0.3 / 0.5) + (0.3 - 0.3) * std::log(1.0) +
                          (0.4 - 0.2) * std::log(0.4 / 0.2);
  EXPECT_NEAR(monitoring::population_stability_index(reference, counts), expected, 1e-12);
  // The same distribution: 0.
  EXPECT_NEAR(
      monitoring::population_stability_index(reference, std::vector<std::uint64_t>{5, 3, 2, 0}), 0,
      1e-12);
  // An empty reference bin that fills counts as share 0.0001, not infinity.
  const double filled = monitoring::population_stability_index(std::vector<double>{1.0, 0.0},
                                                               std::vector<std::uint64_t>{50, 50});
  EXPECT_NEAR(filled, (0.5 - 1) * std::log(0.5) + (0.5 - 1e-4) * std::log(0.5 / 1e-4), 1e-12);
}

TEST(PopulationStabilityIndex, BinsAreCutAtTheReferenceDecilesWithTiesMerged) {
  // 60 % zeros, then 1..40: the zeros share one bin "<= 0".
  std::vector<double> values(60, 0.0);
  for (int i = 1; i <= 40; ++i) values.push_back(i);
  values.push_back(std::nan(""));
  const monitoring::ReferenceBins bins = monitoring::reference_bins(values, 10);
  EXPECT_EQ(bins.upper_edges.front(), 0);
  EXPECT_NEAR(bins.shares[0], 60.0 / 101, 1e-12);
  EXPECT_NEAR(bins.shares.back(), 1.0 / 101, 1e-12);  // the missing bin
  EXPECT_EQ(bins.bin_of(0), 0u);
  EXPECT_EQ(bins.bin_of(-5), 0u);
  EXPECT_EQ(bins.bin_of(1e9), bins.upper_edges.size());  // above every reference value
  EXPECT_EQ(bins.bin_of(std::nan("")), bins.shares.size() - 1);
  double total = 0;
  for (double share : bins.shares) total += share;
  EXPECT_NEAR(total, 1, 1e-12);
}

}  // namespace
}  // namespace playsight::testing
