#pragma once
// What the two maximum-likelihood fits of the CLV models (bgnbd.h, gamma_gamma.h) share: their
// options and the diagnostics they report. The optimiser is NLopt's L-BFGS on the logarithms of
// the parameters (so they stay positive), with the analytic gradient of the log-likelihood.
#include <cstddef>
#include <string>
#include <vector>

namespace playsight::spend::clv {

enum class Optimiser {
  kLbfgs,    // NLopt LD_LBFGS with the analytic gradient (the default)
  kSubplex,  // NLopt LN_SBPLX, derivative-free: a cross-check that L-BFGS found the optimum
};

struct FitOptions {
  unsigned threads = 0;  // workers for the likelihood sums (0 = one per core)
  int max_evaluations = 5000;
  Optimiser optimiser = Optimiser::kLbfgs;
};

struct FitDiagnostics {
  double log_likelihood = 0;      // at the estimate, summed over the observations
  std::size_t observations = 0;   // customers the fit used
  std::size_t distinct_rows = 0;  // distinct summaries the likelihood was evaluated on
  int evaluations = 0;            // of the likelihood (with its gradient)
  bool converged = false;         // the optimiser met its tolerance (not stopped by a limit)
  std::string optimiser_status;   // NLopt's result, e.g. "FTOL_REACHED"
  double seconds = 0;
  // Asymptotic standard errors from the observed information (the Hessian of the
  // log-likelihood, by finite differences of its gradient), in the order of the parameters;
  // NaN when the Hessian is not negative definite.
  std::vector<double> standard_errors;
};

}  // namespace playsight::spend::clv
