#include "audience/assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "../support/checks.h"
#include "core/random.h"

namespace playsight::audience {
namespace {

// The smallest total over every way to assign min(rows, columns) pairs, by trying them all.
double brute_force(const std::vector<double>& cost, std::size_t rows, std::size_t columns) {
  const bool by_rows = rows <= columns;
  const std::size_t small = by_rows ? rows : columns, large = by_rows ? columns : rows;
  std::vector<std::size_t> pick(large);
  std::iota(pick.begin(), pick.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do {
    double total = 0;
    for (std::size_t k = 0; k < small; ++k)
      total += by_rows ? cost[k * columns + pick[k]] : cost[pick[k] * columns + k];
    best = std::min(best, total);
  } while (std::next_permutation(pick.begin(), pick.end()));
  return best;
}

TEST(MinimumCostAssignment, MatchesBruteForceOnRandomMatricesOfEveryShape) {
  Rng rng(5);
  for (std::size_t rows = 1; rows <= 5; ++rows) {
    for (std::size_t columns = 1; columns <= 5; ++columns) {
      for (int trial = 0; trial < 20; ++trial) {
        std::vector<double> cost(rows * columns);
        for (double& c : cost) c = std::floor(rng.uniform() * 10) / 10;  // ties too
        const std::vector<int> match = minimum_cost_assignment(cost, rows, columns);
        ASSERT_EQ(match.size(), rows);
        double total = 0;
        std::vector<bool> used(columns, false);
        std::size_t assigned = 0;
        for (std::size_t r = 0; r < rows; ++r) {
          if (match[r] < 0) continue;
          const auto c = static_cast<std::size_t>(match[r]);
          ASSERT_FALSE(used[c]) << "column used twice";
          used[c] = true;
          total += cost[r * columns + c];
          ++assigned;
        }
        EXPECT_EQ(assigned, std::min(rows, columns));
        EXPECT_NEAR(total, brute_force(cost, rows, columns), 1e-9) << rows << "x" << columns;
      }
    }
  }
}

TEST(MinimumCostAssignment, EmptyAndBadInput) {
  EXPECT_EQ(minimum_cost_assignment({}, 3, 0), (std::vector<int>{-1, -1, -1}));
  EXPECT_EQ(testing::input_error_of([] {
              minimum_cost_assignment({1, 2}, 2, 2);
            }),
            "assignment: 2 costs for 2 x 2");
}

}  // namespace
}  // namespace playsight::audience
