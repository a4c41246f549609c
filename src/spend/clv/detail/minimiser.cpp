#include "spend/clv/detail/minimiser.h"

#include <nlopt.h>

#include <Eigen/Dense>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>

#include "core/error.h"

namespace playsight::spend::clv::detail {
namespace {

struct Call {
  const Objective* objective = nullptr;
  int evaluations = 0;
  std::exception_ptr error;
  nlopt_opt opt = nullptr;
};

double call_objective(unsigned n, const double* x, double* gradient, void* data) {
  Call& call = *static_cast<Call*>(data);
  ++call.evaluations;
  std::vector<double> scratch;
  std::span<double> g;
  if (gradient) {
    g = std::span<double>(gradient, n);
  } else {
    scratch.assign(n, 0.0);
    g = scratch;
  }
  try {
    const double value = (*call.objective)(std::span<const double>(x, n), g);
    // A non-finite value (overflow far from the optimum) reads as "much worse" to the optimiser.
    return std::isfinite(value) ? value : std::numeric_limits<double>::max();
  } catch (...) {
    // Exceptions must not cross NLopt's C frames: stop it and rethrow afterwards.
    call.error = std::current_exception();
    nlopt_force_stop(call.opt);
    return 0.0;
  }
}

std::string status_name(nlopt_result result) {
  switch (result) {
    case NLOPT_SUCCESS:
      return "SUCCESS";
    case NLOPT_STOPVAL_REACHED:
      return "STOPVAL_REACHED";
    case NLOPT_FTOL_REACHED:
      return "FTOL_REACHED";
    case NLOPT_XTOL_REACHED:
      return "XTOL_REACHED";
    case NLOPT_MAXEVAL_REACHED:
      return "MAXEVAL_REACHED";
    case NLOPT_MAXTIME_REACHED:
      return "MAXTIME_REACHED";
    case NLOPT_FAILURE:
      return "FAILURE";
    case NLOPT_INVALID_ARGS:
      return "INVALID_ARGS";
    case NLOPT_OUT_OF_MEMORY:
      return "OUT_OF_MEMORY";
    case NLOPT_ROUNDOFF_LIMITED:
      return "ROUNDOFF_LIMITED";
    case NLOPT_FORCED_STOP:
      return "FORCED_STOP";
    default:
      return "UNKNOWN";
  }
}

}  // namespace

namespace {

MinimiseResult run_nlopt(const Objective& objective, std::vector<double> start,
                         const std::vector<double>& lower, const std::vector<double>& upper,
                         Optimiser optimiser, int max_evaluations) {
  const auto n = static_cast<unsigned>(start.size());
  const nlopt_algorithm algorithm =
      optimiser == Optimiser::kLbfgs ? NLOPT_LD_LBFGS : NLOPT_LN_SBPLX;
  const std::unique_ptr<nlopt_opt_s, decltype(&nlopt_destroy)> opt(nlopt_create(algorithm, n),
                                                                   &nlopt_destroy);
  if (!opt) throw Error("NLopt: could not create the optimiser");
  Call call;
  call.objective = &objective;
  call.opt = opt.get();
  nlopt_set_min_objective(opt.get(), call_objective, &call);
  nlopt_set_lower_bounds(opt.get(), lower.data());
  nlopt_set_upper_bounds(opt.get(), upper.data());
  nlopt_set_ftol_rel(opt.get(), 1e-13);
  nlopt_set_xtol_rel(opt.get(), 1e-10);
  nlopt_set_maxeval(opt.get(), max_evaluations);
  if (optimiser == Optimiser::kLbfgs) nlopt_set_vector_storage(opt.get(), 10);
  if (optimiser == Optimiser::kSubplex) {
    const std::vector<double> steps(n, 0.5);
    nlopt_set_initial_step(opt.get(), steps.data());
  }

  MinimiseResult result;
  const nlopt_result status = nlopt_optimize(opt.get(), start.data(), &result.value);
  if (call.error) std::rethrow_exception(call.error);
  result.x = std::move(start);
  result.evaluations = call.evaluations;
  result.status = status_name(status);
  // L-BFGS often ends "roundoff limited" at the optimum: the function cannot be lowered further
  // in double precision. That is convergence too.
  result.converged = status == NLOPT_SUCCESS || status == NLOPT_FTOL_REACHED ||
                     status == NLOPT_XTOL_REACHED || status == NLOPT_ROUNDOFF_LIMITED;
  return result;
}

bool finite(const MinimiseResult& result) {
  if (!std::isfinite(result.value)) return false;
  for (double v : result.x) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

}  // namespace

MinimiseResult minimise(const Objective& objective, std::vector<double> start,
                        const std::vector<double>& lower, const std::vector<double>& upper,
                        Optimiser optimiser, int max_evaluations) {
  MinimiseResult result = run_nlopt(objective, start, lower, upper, optimiser, max_evaluations);
  if (result.converged || optimiser != Optimiser::kLbfgs) return result;
  // L-BFGS can fail its line search on a nearly flat or badly scaled likelihood (a degenerate
  // data set, an optimum at the edge). The derivative-free Subplex then takes over from the
  // best point L-BFGS reached.
  const std::vector<double> from = finite(result) ? result.x : start;
  MinimiseResult fallback =
      run_nlopt(objective, from, lower, upper, Optimiser::kSubplex, max_evaluations);
  fallback.evaluations += result.evaluations;
  fallback.status = "LBFGS_" + result.status + "_THEN_SBPLX_" + fallback.status;
  if (!finite(fallback)) {
    throw Error("NLopt failed (" + fallback.status + ") after " +
                std::to_string(fallback.evaluations) + " evaluations");
  }
  return fallback;
}

std::vector<double> hessian_by_differences(const Objective& objective, std::span<const double> x,
                                           double step) {
  const std::size_t n = x.size();
  std::vector<double> hessian(n * n, 0.0);
  std::vector<double> point(x.begin(), x.end());
  std::vector<double> plus(n), minus(n);
  for (std::size_t i = 0; i < n; ++i) {
    point[i] = x[i] + step;
    objective(point, plus);
    point[i] = x[i] - step;
    objective(point, minus);
    point[i] = x[i];
    for (std::size_t j = 0; j < n; ++j) hessian[i * n + j] = (plus[j] - minus[j]) / (2 * step);
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double mean = 0.5 * (hessian[i * n + j] + hessian[j * n + i]);
      hessian[i * n + j] = hessian[j * n + i] = mean;
    }
  }
  return hessian;
}

std::vector<double> standard_errors_of_exp(std::span<const double> x,
                                           const std::vector<double>& hessian) {
  const auto n = static_cast<Eigen::Index>(x.size());
  const Eigen::MatrixXd h = Eigen::Map<const Eigen::MatrixXd>(hessian.data(), n, n);
  const Eigen::LLT<Eigen::MatrixXd> llt(h);
  std::vector<double> errors(x.size(), std::numeric_limits<double>::quiet_NaN());
  if (llt.info() != Eigen::Success) return errors;
  const Eigen::MatrixXd covariance = llt.solve(Eigen::MatrixXd::Identity(n, n));
  for (Eigen::Index i = 0; i < n; ++i) {
    if (covariance(i, i) > 0) {
      errors[static_cast<std::size_t>(i)] =
          std::exp(x[static_cast<std::size_t>(i)]) * std::sqrt(covariance(i, i));
    }
  }
  return errors;
}

}  // namespace playsight::spend::clv::detail
