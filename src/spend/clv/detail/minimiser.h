#pragma once
// An implementation detail of the CLV fits: minimises a smooth function of a few unbounded
// variables with NLopt (L-BFGS with the caller's gradient, or the derivative-free Subplex), and
// estimates the Hessian by central differences of the gradient. Exceptions thrown by the
// objective stop the optimiser and are rethrown to the caller.
#include <chrono>
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

// The diagnostics of a maximum-likelihood fit that minimised `negative_mean_log_likelihood`
// (value and gradient of minus the mean log-likelihood over `observations` rows) to `best`:
// the log-likelihood, the optimiser's outcome, and standard errors of the parameters (which are
// exp of the optimised variables) from a finite-difference Hessian.
template <class MeanLogLikelihood>
FitDiagnostics fit_diagnostics(const MinimiseResult& best, MeanLogLikelihood& mean_log_likelihood,
                               std::size_t observations, double n,
                               std::chrono::steady_clock::time_point start_time) {
  FitDiagnostics d;
  d.log_likelihood = -best.value * n;
  d.observations = observations;
  d.distinct_rows = mean_log_likelihood.distinct_rows();
  d.evaluations = best.evaluations;
  d.converged = best.converged;
  d.optimiser_status = best.status;
  const Objective total = [&](std::span<const double> t, std::span<double> g) {
    const double value = -mean_log_likelihood(t, g);
    for (double& component : g) component = -component;
    return value;
  };
  d.standard_errors = standard_errors_of_exp(best.x, hessian_by_differences(total, best.x));
  d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  return d;
}

}  // namespace playsight::spend::clv::detail
