#pragma once
// Selection by the greedy algorithm, with lazy evaluation, for budgeted maximum coverage
// (coverage.h).
//
// The cost-benefit greedy repeatedly takes, among the sites not yet considered, the one with the
// largest marginal weight per unit of cost; it buys it if it fits in what is left of the budget
// and drops it otherwise, until no site is left (Khuller, Moss & Naor 1999). Alone it can be
// arbitrarily bad (one expensive site worth everything), so the result is the better of it and
// the best single affordable site ("modified greedy").
//
// Guarantee: coverage is monotone submodular, so the modified greedy reaches at least
// (1 - 1/e) / 2 = 0.316 of the optimum for any costs (Khuller, Moss & Naor 1999; Lin & Bilmes
// 2010), and with uniform costs (a cardinality constraint: budget / cost sites) the plain greedy
// reaches at least 1 - 1/e = 0.632 (Nemhauser, Wolsey & Fisher 1978). On real instances it is
// usually within a few per cent: exact.h measures the gap.
//
// Lazy evaluation (Minoux 1978): marginal gains only shrink as sites are bought (submodularity),
// so a gain computed earlier is an upper bound. Sites wait in a max-heap by their last computed
// ratio; the top is recomputed and taken only if it still beats the next one, which saves most of
// the evaluations without changing the result.
// Thread-safety: pure functions.
#include <cstddef>
#include <string>
#include <vector>

#include "geo/coverage.h"

namespace playsight::geo {

inline constexpr double kGreedyGuaranteeAnyCosts = 0.31606027941427883;      // (1 - 1/e) / 2
inline constexpr double kGreedyGuaranteeUniformCosts = 0.63212055882855767;  // 1 - 1/e

struct Selection {
  std::vector<std::size_t> sites;  // in the order chosen
  std::vector<double> gains;       // marginal weight of each, when chosen
  double value = 0;                // weight reached
  double cost = 0;
  std::string method;                // "greedy", "best single site" or "exact"
  std::size_t gain_evaluations = 0;  // marginal gains computed (lazy greedy)
};

struct GreedyResult {
  Selection chosen;        // the better of the two below
  Selection ratio_greedy;  // cost-benefit greedy with lazy evaluation
  Selection best_single;   // the single affordable site of largest weight
  double guarantee = 0;    // the proven ratio to the optimum for this problem's costs
};

// REQUIRES: check_budget(problem, budget) passed.
GreedyResult greedy_selection(const CoverageProblem& problem, double budget);

struct CurvePoint {
  double budget = 0;
  double value = 0;  // modified greedy's weight reached at this budget
  double cost = 0;   // what it spends
  std::size_t sites = 0;
};
// The modified greedy at `points` budgets evenly spaced from the cheapest site to max_budget.
std::vector<CurvePoint> coverage_curve(const CoverageProblem& problem, double max_budget,
                                       std::size_t points);

}  // namespace playsight::geo
