#pragma once
// Gamma-Gamma: the model of how much a customer spends per purchase (Fader, Hardie & Lee 2005,
// "RFM and CLV: using iso-value curves for customer base analysis"; Colombo & Jiang 1999). Each
// purchase value is Gamma(shape p, rate nu) around the customer's own mean p / nu, and nu varies
// across customers as Gamma(shape q, rate gamma). A repeat customer is summarised by x (their
// number of repeat purchases, x >= 1) and m (the mean value of those purchases, m > 0); the mean
// of x values is then Gamma(p x, x nu), whose marginal likelihood is closed-form. The model
// assumes that value does not depend on frequency: check the correlation of x and m (clv_model.h
// reports it).
//
// Thread-safety: all functions are pure; fit_gamma_gamma uses `options.threads` workers.
#include <span>

#include "spend/clv/fit.h"

namespace playsight::spend::clv {

struct GammaGammaParameters {
  double p = 0;      // shape of each purchase value around the customer's mean
  double q = 0;      // shape of the customers' rate nu
  double gamma = 0;  // rate of the customers' rate nu, in money units
};

struct GammaGammaFit {
  GammaGammaParameters parameters;
  FitDiagnostics diagnostics;  // standard_errors in the order p, q, gamma
};

// ln f(m | p, q, gamma, x) of one repeat customer (the density of their mean value).
// REQUIRES: positive parameters, x >= 1, m > 0.
double gamma_gamma_log_likelihood(const GammaGammaParameters& parameters, double x, double m);

// Maximum-likelihood fit on repeat customers i (frequency[i] >= 1 and monetary[i] > 0; the
// spans have equal length). Throws InputError when the spans differ in length, when a customer
// has frequency < 1 or a mean value <= 0 (naming the index), when there are fewer than two
// customers, or when all mean values are equal (the spread of values is then not identified).
GammaGammaFit fit_gamma_gamma(std::span<const double> frequency, std::span<const double> monetary,
                              const FitOptions& options);

// E[M | x, m]: the expected value of the customer's future purchases,
//   p (gamma + x m) / (p x + q - 1),
// a weighted mean of the population mean p gamma / (q - 1) and the customer's own mean m. With
// x = 0 it is the population mean. Returns +infinity when p x + q <= 1 (the mean of the mixing
// distribution does not exist).
double gamma_gamma_expected_value(const GammaGammaParameters& parameters, double x, double m);

}  // namespace playsight::spend::clv
