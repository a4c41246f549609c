#include "spend/clv/special_functions.h"

#include <math.h>  // lgamma_r (POSIX, re-entrant)

#include <cmath>
#include <string>

#include "core/error.h"

namespace playsight::spend::clv {

double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

double digamma(double x) {
  // Recurrence psi(x) = psi(x + 1) - 1 / x up to x >= 10, then the asymptotic series
  // psi(x) ~ ln x - 1/(2x) - sum_k B_2k / (2k x^2k), truncated after B_12 (error below 1e-15).
  double result = 0.0;
  while (x < 10.0) {
    result -= 1.0 / x;
    x += 1.0;
  }
  const double inv2 = 1.0 / (x * x);
  const double series =
      inv2 *
      (1.0 / 12 - inv2 * (1.0 / 120 -
                          inv2 * (1.0 / 252 -
                                  inv2 * (1.0 / 240 - inv2 * (1.0 / 132 - inv2 * 691.0 / 32760)))));
  return result + std::log(x) - 0.5 / x - series;
}

namespace {

constexpr long kMaxTerms = 10'000'000;

// The power series for 0 <= z < 1.
double series_2f1(double a, double b, double c, double z) {
  double sum = 1.0;
  double term = 1.0;
  for (long k = 0; k < kMaxTerms; ++k) {
    const double kk = static_cast<double>(k);
    term *= (a + kk) * (b + kk) / ((c + kk) * (kk + 1.0)) * z;
    if (term == 0.0) return sum;  // a or b is a non-positive integer (a polynomial), or underflow
    sum += term;
    // Every later ratio is z (a + j)/(j + 1) (b + j)/(c + j) with j > k. Once all four factors
    // are positive, each fraction moves monotonically towards 1, so it is at most
    // max(1, its value at j = k + 1): the tail is below a geometric series with that ratio.
    const double j = kk + 1.0;
    if (j > -a && j > -b && j > -c) {
      const double bound =
          z * std::max(1.0, (a + j) / (j + 1.0)) * std::max(1.0, (b + j) / (c + j));
      if (bound < 1.0 && std::abs(term) * bound / (1.0 - bound) <= 1e-16 * std::abs(sum)) {
        return sum;
      }
    }
  }
  throw Error("2F1(" + std::to_string(a) + ", " + std::to_string(b) + "; " + std::to_string(c) +
              "; " + std::to_string(z) + "): the series did not converge");
}

}  // namespace

double hypergeometric_2f1(double a, double b, double c, double z) {
  if (!(z < 1.0)) throw Error("2F1: the argument must be below 1, got " + std::to_string(z));
  if (c <= 0.0 && c == std::floor(c)) {
    throw Error("2F1: c must not be 0 or a negative integer, got " + std::to_string(c));
  }
  if (z >= 0.0) return series_2f1(a, b, c, z);
  // Pfaff: the transformed argument z / (z - 1) lies in (0, 1).
  return std::pow(1.0 - z, -a) * series_2f1(a, c - b, c, z / (z - 1.0));
}

}  // namespace playsight::spend::clv
