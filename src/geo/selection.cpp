#include "geo/selection.h"

#include <algorithm>
#include <queue>

namespace playsight::geo {
namespace {

double marginal_gain(const CoverageProblem& problem, const std::vector<bool>& reached,
                     std::size_t site) {
  double gain = 0;
  for (std::uint32_t r : problem.sites[site].regions)
    if (!reached[r]) gain += problem.region_weight[r];
  return gain;
}

Selection lazy_ratio_greedy(const CoverageProblem& problem, double budget) {
  struct Candidate {
    double ratio;
    std::size_t site;
    std::size_t round;  // the number of sites bought when the ratio was computed
    bool operator<(const Candidate& other) const {
      return ratio != other.ratio ? ratio < other.ratio : site > other.site;
    }
  };
  Selection selection;
  selection.method = "greedy";
  std::vector<bool> reached(problem.region_weight.size(), false);
  std::priority_queue<Candidate> heap;
  for (std::size_t s = 0; s < problem.sites.size(); ++s) {
    const double gain = marginal_gain(problem, reached, s);
    ++selection.gain_evaluations;
    heap.push({gain / problem.sites[s].cost, s, 0});
  }
  while (!heap.empty()) {
    Candidate top = heap.top();
    heap.pop();
    const Site& site = problem.sites[top.site];
    if (top.round != selection.sites.size()) {  // stale: recompute and put back
      top.ratio = marginal_gain(problem, reached, top.site) / site.cost;
      ++selection.gain_evaluations;
      top.round = selection.sites.size();
      heap.push(top);
      continue;
    }
    // Up to date and at least as good as every other bound: the greedy's choice.
    if (top.ratio <= 0) break;                          // nothing left to gain
    if (selection.cost + site.cost > budget) continue;  // does not fit: dropped for good
    const double gain = top.ratio * site.cost;
    for (std::uint32_t r : site.regions) reached[r] = true;
    selection.sites.push_back(top.site);
    selection.gains.push_back(gain);
    selection.value += gain;
    selection.cost += site.cost;
  }
  return selection;
}

Selection best_single_site(const CoverageProblem& problem, double budget) {
  Selection selection;
  selection.method = "best single site";
  std::size_t best = problem.sites.size();
  double best_value = -1;
  for (std::size_t s = 0; s < problem.sites.size(); ++s) {
    if (problem.sites[s].cost > budget) continue;
    const std::size_t one[] = {s};
    const double value = problem.value(one);
    if (value > best_value) {
      best_value = value;
      best = s;
    }
  }
  if (best < problem.sites.size()) {
    selection.sites = {best};
    selection.gains = {best_value};
    selection.value = best_value;
    selection.cost = problem.sites[best].cost;
  }
  return selection;
}

}  // namespace

GreedyResult greedy_selection(const CoverageProblem& problem, double budget) {
  GreedyResult result;
  result.ratio_greedy = lazy_ratio_greedy(problem, budget);
  result.best_single = best_single_site(problem, budget);
  result.chosen = result.best_single.value > result.ratio_greedy.value ? result.best_single
                                                                       : result.ratio_greedy;
  result.guarantee =
      problem.uniform_costs() ? kGreedyGuaranteeUniformCosts : kGreedyGuaranteeAnyCosts;
  return result;
}

std::vector<CurvePoint> coverage_curve(const CoverageProblem& problem, double max_budget,
                                       std::size_t points) {
  std::vector<CurvePoint> curve;
  const double low = problem.cheapest_cost();
  for (std::size_t k = 0; k < points; ++k) {
    const double budget =
        points == 1 || k + 1 == points
            ? max_budget
            : low + (max_budget - low) * static_cast<double>(k) / static_cast<double>(points - 1);
    const Selection chosen = greedy_selection(problem, budget).chosen;
    curve.push_back({budget, chosen.value, chosen.cost, chosen.sites.size()});
  }
  return curve;
}

}  // namespace playsight::geo
