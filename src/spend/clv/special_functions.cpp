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
  // Beyond this index every factor (a + k), (b + k), (c + k) has its final sign, and the term
  // ratio moves monotonically towards z, so the tail is bounded by a geometric series.
  const double settled = std::abs(a) + std::abs(b) + std::abs(c) + 2.0;
  for (long k = 0; k < kMaxTerms; ++k) {
    const double kk = static_cast<double>(k);
    const double ratio = (a + kk) * (b + kk) / ((c + kk) * (kk + 1.0)) * z;
    term *= ratio;
    if (term == 0.0) return sum;  // a or b is a non-positive integer: a polynomial
    sum += term;
    if (kk + 1.0 > settled) {
      const double next =
          std::abs((a + kk + 1.0) * (b + kk + 1.0) / ((c + kk + 1.0) * (kk + 2.0)) * z);
      const double bound = std::max(next, z);
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
