#pragma once
// An implementation detail of the CLV fits: minimises a smooth function of a few unbounded
// variables with NLopt (L-BFGS with the caller's gradient, or the derivative-free Subplex), and
// estimates the Hessian by central differences of the gradient. Exceptions thrown by the
// objective stop the optimiser and are rethrown to the caller.
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "spend/clv/fit.h"

namespace playsight::spend::clv::detail {

// Returns f(x) and writes its gradient into `gradient` (same size as x).
using Objective = std::function<double(std::span<const double> x, std::span<double> gradient)>;

struct MinimiseResult {
  std::vector<double> x;
  double value = 0;
  int evaluations = 0;
  bool converged = false;
  std::string status;
};

// Minimises `objective` from `start` within [lower, upper] (per variable).
MinimiseResult minimise(const Objective& objective, std::vector<double> start,
                        const std::vector<double>& lower, const std::vector<double>& upper,
                        Optimiser optimiser, int max_evaluations);

// The Hessian of the function whose gradient `objective` gives, at x, by central differences
// with step `step` (row-major, x.size() squared, symmetrised).
std::vector<double> hessian_by_differences(const Objective& objective, std::span<const double> x,
                                           double step = 1e-5);

// Standard errors of exp(x_i) when x minimises a negative log-likelihood with Hessian `hessian`
// (in x): exp(x_i) * sqrt((H^-1)_ii), the delta method. NaN for all when H is not positive
// definite.
std::vector<double> standard_errors_of_exp(std::span<const double> x,
                                           const std::vector<double>& hessian);

}  // namespace playsight::spend::clv::detail
