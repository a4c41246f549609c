#pragma once
// Planning the next nudge experiment: how small an effect a given number of players can detect
// (minimum detectable effect, MDE), and how many players a given effect needs. Normal
// approximation for a two-sided test of a difference in means:
//
//   MDE = (z_{1 - alpha/2} + z_{power}) * sigma * sqrt(1 - r) * sqrt(1/n_control + 1/n_treatment)
//
// with sigma the outcome's standard deviation per player (the same in both groups), r the
// variance reduction of the estimator (0 for the plain difference; CUPED/CUPAC's
// variance_reduction of average_effect.h, about rho² for a covariate correlated rho with the
// outcome), and the allocation ratio k = n_treatment / n_control. Solving for n:
//
//   n_control = (z_{1 - alpha/2} + z_{power})² sigma² (1 - r) (1 + 1/k) / effect²,
//   n_treatment = k n_control.
//
// The t distribution's extra width is ignored (a fraction of a player for groups of 30 or more).
// Errors: InputError naming the option when alpha or power is not in (0, 1), sigma or the effect
// is not finite and > 0, r is not in [0, 1), k is not finite and > 0, or a group size is < 2.
// Thread-safe: pure functions.
#include <cstddef>

namespace playsight::experiment {

struct PlanningOptions {
  double alpha = 0.05;                    // two-sided significance level, in (0, 1)
  double power = 0.8;                     // chance of detecting the effect when it is there, (0, 1)
  double outcome_standard_deviation = 1;  // sigma, per player, > 0
  double variance_reduction = 0;          // r in [0, 1): from CUPED/CUPAC; 0 = plain difference
  double treatment_per_control = 1;       // k = n_treatment / n_control, > 0 (for sample_size)
};

// The smallest true difference in means (in the outcome's unit) that the test detects with the
// given power, for these group sizes (each >= 2; their ratio overrides treatment_per_control).
double minimum_detectable_effect(double control_players, double treatment_players,
                                 const PlanningOptions& options);

struct SampleSize {
  double exact_control_players = 0;  // the formula's value, not rounded
  double exact_treatment_players = 0;
  std::size_t control_players = 0;  // rounded up (at least 2)
  std::size_t treatment_players = 0;
  std::size_t total_players() const { return control_players + treatment_players; }
};

// Players per group needed to detect `effect` (> 0, in the outcome's unit) with the given power,
// at the allocation ratio treatment_per_control.
SampleSize required_sample_size(double effect, const PlanningOptions& options);

}  // namespace playsight::experiment
