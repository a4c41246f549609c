#pragma once
// The exact optimum of budgeted maximum coverage (coverage.h), by integer programming with GLPK
// (Debian libglpk-dev, linked through its C API: in-process, no temporary files, and the greedy
// selection can be handed to the solver as its first incumbent).
//
// The program: maximise sum_r w_r y_r subject to y_r <= sum_{s reaches r} x_s for each region,
// sum_s c_s x_s <= budget, x_s in {0, 1}, 0 <= y_r <= 1. The y_r need not be declared integer: at
// an optimum each is min(1, sum x_s), which is 0 or 1 for integer x.
//
// The solver stops at the time limit. The result then holds the best selection found (at least
// the greedy one) and the best upper bound on the optimum, and gap = (bound - value) / bound;
// optimal is true only when the search finished.
// Thread-safety: GLPK keeps per-thread environment state; call from one thread at a time.
#include <string>

#include "geo/coverage.h"
#include "geo/selection.h"

namespace playsight::geo {

struct ExactOptions {
  double time_limit_seconds = 60;
  const Selection* start = nullptr;  // a feasible selection to start from (e.g. the greedy's)
};

struct ExactResult {
  Selection selection;     // method "exact"
  bool optimal = false;    // the search finished: selection.value is the optimum
  double upper_bound = 0;  // no selection reaches more
  double gap = 0;          // (upper_bound - value) / upper_bound, 0 when optimal
  double seconds = 0;
  std::size_t variables = 0, constraints = 0;
};

// "GLPK 5.0": the solver and its version, for reports.
std::string exact_solver_name();

// REQUIRES: check_budget(problem, budget) passed. Throws Error when GLPK fails.
ExactResult exact_selection(const CoverageProblem& problem, double budget,
                            const ExactOptions& options = {});

}  // namespace playsight::geo
