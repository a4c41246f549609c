#pragma once
// Average effect of a nudge: how much the outcome of the treatment (nudged) group differs from the
// control group's, with a confidence interval and a p-value. This is the statistics core of
// `playsight effect`; the command, the per-player response and the uplift models call it.
//
// Input, per player and in the same order: the outcome y (30-day top-up amount, a 0/1 top-up
// indicator for the top-up probability, or a top-up count: every function here applies unchanged
// to amounts, binary outcomes and counts, because all of them only use means and variances, and
// the intervals rest on the central limit theorem for the group means), the group flag (1 =
// treatment, 0 = control), and for the adjusted estimators one covariate per player.
//
//   welch_effect   difference in means, Welch's standard error and Welch-Satterthwaite degrees
//                  of freedom, Student t interval and two-sided p-value.
//   cuped_effect   CUPED: y - theta (x - mean x) with x the pre-period outcome, theta =
//                  cov(y, x) / var(x) pooled over both groups; then Welch on the adjusted outcome.
//   cupac_effect   the same machinery with x = a model's prediction of the outcome (CUPAC, i.e.
//                  regression adjustment on a prediction made without the nudge).
//   relative_effect  an estimate divided by the control mean, its interval by the delta method.
//
// theta is treated as known when the standard error is computed (standard CUPED practice; its
// estimation error is O(1/n)), and the randomisation guarantees that the covariate does not
// depend on the group, so the adjusted difference estimates the same effect as the plain one.
// variance_reduction = 1 - SE²(adjusted) / SE²(plain) on the same players: about rho² for a
// covariate correlated rho with the outcome.
//
// Errors: InputError (naming the input and the position) when a group has fewer than 2 players,
// lengths differ, a flag is not 0 or 1, a value is NaN or infinite, the covariate is constant, the
// outcome is constant in both groups, or the level is not in (0, 1).
// Thread-safe: pure functions of their arguments. Cost O(n).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace playsight::experiment {

struct EffectOptions {
  double level = 0.95;  // confidence level of the interval, in (0, 1)
};

// One estimate of the treatment - control difference (or, when relative, of that difference
// divided by the control mean).
struct EffectEstimate {
  std::string method;     // "welch", "cuped", "cupac" or "bootstrap"
  bool relative = false;  // true: estimate = (treatment - control) / control mean
  double estimate = 0;
  double standard_error = 0;
  double level = 0.95;
  double ci_low = 0;
  double ci_high = 0;
  double p_value = 1;             // two-sided, H0: no effect
  double degrees_of_freedom = 0;  // Welch-Satterthwaite; infinity for normal-theory intervals
  std::size_t treatment_players = 0;
  std::size_t control_players = 0;
  double treatment_mean = 0;  // raw (unadjusted) group means of the outcome
  double control_mean = 0;
  // Group means of the outcome the estimate was computed on (adjusted for CUPED/CUPAC, equal
  // to the raw means otherwise), and their standard errors; relative_effect uses them.
  double treatment_adjusted_mean = 0;
  double control_adjusted_mean = 0;
  double treatment_mean_standard_error = 0;
  double control_mean_standard_error = 0;
  double theta = 0;               // covariate coefficient (CUPED/CUPAC); 0 otherwise
  double variance_reduction = 0;  // 1 - SE²/SE²(welch); 0 for welch itself
};

// Plain difference in means with a Welch t interval.
EffectEstimate welch_effect(std::span<const double> outcome, std::span<const std::uint8_t> treated,
                            const EffectOptions& options = {});

// CUPED with the pre-period value of the outcome as covariate (same length as outcome).
EffectEstimate cuped_effect(std::span<const double> outcome, std::span<const std::uint8_t> treated,
                            std::span<const double> pre_period, const EffectOptions& options = {});

// CUPAC: CUPED with a model's prediction of the outcome as covariate. The model must not have
// seen the nudge (trained on control players' history, say), or the adjustment removes effect.
EffectEstimate cupac_effect(std::span<const double> outcome, std::span<const std::uint8_t> treated,
                            std::span<const double> prediction, const EffectOptions& options = {});

// The relative effect of an estimate: (treatment - control) / control, with the adjusted means of
// `absolute`, a delta-method standard error (groups independent) and a normal interval at the
// same level: SE² = se_t² / m_c² + m_t² se_c² / m_c⁴. Throws InputError when `absolute` is already
// relative or the control mean is 0.
EffectEstimate relative_effect(const EffectEstimate& absolute);

}  // namespace playsight::experiment
