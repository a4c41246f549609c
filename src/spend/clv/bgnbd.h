#pragma once
// BG/NBD: the beta-geometric / negative binomial model of how often customers buy and when they
// quietly stop (Fader, Hardie & Lee 2005, "Counting your customers the easy way"). While alive, a
// customer buys at a Poisson rate lambda ~ Gamma(shape r, rate alpha); after each repeat purchase
// they drop out for good with probability p ~ Beta(a, b). A customer is summarised by
//   x    the number of repeat purchases (purchases after the first),
//   t_x  the time of the last purchase, measured from the first one (0 when x = 0),
//   T    the time from the first purchase to the end of the observation (T >= t_x),
// all in one time unit (playsight's RFM summary uses days: see rfm.h). The parameters are fitted
// by maximum likelihood on the closed-form likelihood, evaluated in log space.
//
// Thread-safety: all functions are pure; fit_bgnbd uses `options.threads` workers internally.
#include <cstddef>
#include <span>

#include "spend/clv/fit.h"

namespace playsight::spend::clv {

struct BgNbdParameters {
  double r = 0;      // shape of the purchase-rate distribution
  double alpha = 0;  // rate (inverse scale) of the purchase-rate distribution, in time units
  double a = 0;      // Beta shape of the drop-out probability
  double b = 0;      // Beta shape of the drop-out probability
};

struct BgNbdFit {
  BgNbdParameters parameters;
  FitDiagnostics diagnostics;  // standard_errors in the order r, alpha, a, b
};

// ln L(r, alpha, a, b | x, t_x, T) of one customer. REQUIRES: positive parameters, x >= 0 (a
// whole number), 0 <= t_x <= T.
double bgnbd_log_likelihood(const BgNbdParameters& parameters, double x, double t_x, double T);

// Maximum-likelihood fit on customers i = 0..n-1 (the three spans have equal length).
// Throws InputError when the spans differ in length, when there are no customers or no repeat
// purchase at all (the purchase rate is then not identified), or when a summary is invalid
// (negative, x not whole, t_x > T, or t_x > 0 with x = 0), naming the customer's index.
BgNbdFit fit_bgnbd(std::span<const double> frequency, std::span<const double> recency,
                   std::span<const double> age, const FitOptions& options);

// The summed log-likelihood of those customers (what fit_bgnbd maximises).
double bgnbd_total_log_likelihood(const BgNbdParameters& parameters,
                                  std::span<const double> frequency,
                                  std::span<const double> recency, std::span<const double> age);

// P(alive at T | x, t_x, T): 1 when x = 0 (the model lets customers drop out only right after a
// repeat purchase).
double bgnbd_probability_alive(const BgNbdParameters& parameters, double x, double t_x, double T);

// E[X(T, T + t) | x, t_x, T]: the expected number of purchases in the next t time units. This is
// the paper's expression (a + b + x - 1)/(a - 1) [1 - ((alpha + T)/(alpha + T + t))^(r + x)
// 2F1(r + x, b + x; a + b + x - 1; t/(alpha + T + t))] / [1 + (x > 0) a/(b + x - 1)
// ((alpha + T)/(alpha + t_x))^(r + x)], evaluated after Euler's transformation of the 2F1 with
// the factor (a - 1) taken out analytically: no cancellation or pole at a = 1, a series of
// terms that shrink from the first, and finite for every t >= 0. REQUIRES: t >= 0.
double bgnbd_expected_purchases(const BgNbdParameters& parameters, double t, double x, double t_x,
                                double T);

// E[X(t)] for a customer who has just made their first purchase (x = 0, t_x = 0, T = 0).
double bgnbd_expected_purchases_of_new_customer(const BgNbdParameters& parameters, double t);

}  // namespace playsight::spend::clv
