#pragma once
// Special functions that the customer-lifetime-value models need (BG/NBD, Gamma-Gamma): the log
// gamma function without global state, the digamma function, and the Gauss hypergeometric
// function 2F1 for real parameters and a real argument below 1.
//
// Thread-safety: pure functions, safe from any thread (std::lgamma may write the global
// `signgam`; log_gamma does not).
namespace playsight::spend::clv {

// ln Gamma(x). REQUIRES: x > 0.
double log_gamma(double x);

// psi(x) = d/dx ln Gamma(x), to about 1e-15 relative. REQUIRES: x > 0.
double digamma(double x);

// The Gauss hypergeometric function 2F1(a, b; c; z) = sum_k (a)_k (b)_k / ((c)_k k!) z^k, for
// real a, b, c and real z < 1 (analytically continued for z < 0 by Pfaff's transformation
// 2F1(a, b; c; z) = (1 - z)^-a 2F1(a, c - b; c; z / (z - 1)), whose argument lies in [0, 1)).
// The series is summed until the tail is provably below 1e-16 of the sum, so it is accurate
// wherever the sum is not the difference of much larger terms; near z = 1 it needs many terms
// (about 40 / (1 - z)).
// REQUIRES: z < 1 and c not 0, -1, -2, ... Throws playsight::Error if the series has not
// converged after 10 million terms (z within about 1e-6 of 1, or a divergent case c - a - b <= 0
// too close to z = 1 for a double).
double hypergeometric_2f1(double a, double b, double c, double z);

}  // namespace playsight::spend::clv
