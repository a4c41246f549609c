#pragma once
// Student's t distribution for the lift intervals (non-integer degrees of freedom, as Welch's
// Satterthwaite approximation gives). The distribution function comes from the regularized
// incomplete beta function, evaluated by its continued fraction (modified Lentz); the quantile by
// bisection on it. Accurate to about 1e-10, far more than an interval needs.
// Thread-safety: pure functions.

namespace playsight::geo::detail {

// P(T <= t) for T ~ Student t with df > 0 degrees of freedom.
double student_t_cdf(double t, double df);
// The t with P(T <= t) = p. REQUIRES: 0 < p < 1, df > 0.
double student_t_quantile(double p, double df);

}  // namespace playsight::geo::detail
