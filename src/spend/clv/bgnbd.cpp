#include "spend/clv/bgnbd.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "spend/clv/detail/minimiser.h"
#include "spend/clv/special_functions.h"

namespace playsight::spend::clv {
namespace {

constexpr std::size_t kParameters = 4;
using Gradient = std::array<double, kParameters>;  // d/d(r, alpha, a, b)

// Identical customer summaries are evaluated once, weighted by how many share them.
struct Row {
  double x;
  double t_x;
  double T;
  double weight;
  std::size_t x_slot;  // index into the per-x tables
};

// The parts of the log-likelihood that depend on x only (log-gamma ratios and their
// derivatives), computed once per distinct x for the current parameters.
struct PerX {
  double log_gamma_r;   // ln Gamma(r + x) - ln Gamma(r)
  double digamma_r;     // psi(r + x) - psi(r)
  double log_beta;      // ln B(a, b + x) - ln B(a, b)
  double d_log_beta_a;  // d/da of log_beta
  double d_log_beta_b;  // d/db of log_beta
  double log_a_over;    // ln a - ln(b + x - 1), x > 0
};

PerX per_x(const BgNbdParameters& p, double x) {
  PerX out{};
  out.log_gamma_r = x > 0 ? log_gamma(p.r + x) - log_gamma(p.r) : 0.0;
  out.digamma_r = x > 0 ? digamma(p.r + x) - digamma(p.r) : 0.0;
  const double ab = p.a + p.b;
  out.log_beta =
      x > 0 ? log_gamma(ab) - log_gamma(ab + x) + log_gamma(p.b + x) - log_gamma(p.b) : 0.0;
  out.d_log_beta_a = x > 0 ? digamma(ab) - digamma(ab + x) : 0.0;
  out.d_log_beta_b = x > 0 ? out.d_log_beta_a + digamma(p.b + x) - digamma(p.b) : 0.0;
  out.log_a_over = x > 0 ? std::log(p.a) - std::log(p.b + x - 1.0) : 0.0;
  return out;
}

// ln L of one summary and, if gradient is given, adds weight * d ln L / d(r, alpha, a, b).
//   L = B(a, b + x)/B(a, b) Gamma(r + x) alpha^r / Gamma(r)
//       * [(alpha + T)^-(r + x) + (x > 0) a/(b + x - 1) (alpha + t_x)^-(r + x)]
inline double row_log_likelihood(const BgNbdParameters& p, const PerX& t, double log_alpha,
                                 double x, double t_x, double T, double weight,
                                 Gradient* gradient) {
  const double rx = p.r + x;
  const double log_alpha_T = std::log(p.alpha + T);
  const double a3 = -rx * log_alpha_T;
  double log_sum = a3;
  double w4 = 0.0;  // the share of the "dropped out after the last purchase" term
  double log_alpha_tx = 0.0;
  if (x > 0) {
    log_alpha_tx = std::log(p.alpha + t_x);
    const double a4 = t.log_a_over - rx * log_alpha_tx;
    const double high = std::max(a3, a4);
    const double low = std::min(a3, a4);
    log_sum = high + std::log1p(std::exp(low - high));
    w4 = std::exp(a4 - log_sum);
  }
  if (gradient) {
    const double w3 = 1.0 - w4;
    Gradient& g = *gradient;
    g[0] += weight * (t.digamma_r + log_alpha - w3 * log_alpha_T - w4 * log_alpha_tx);
    g[1] +=
        weight * (p.r / p.alpha - rx * (w3 / (p.alpha + T) + (x > 0 ? w4 / (p.alpha + t_x) : 0.0)));
    g[2] += weight * (t.d_log_beta_a + (x > 0 ? w4 / p.a : 0.0));
    g[3] += weight * (t.d_log_beta_b - (x > 0 ? w4 / (p.b + x - 1.0) : 0.0));
  }
  return t.log_gamma_r + p.r * log_alpha + t.log_beta + log_sum;
}

void validate_customer(std::size_t i, double x, double t_x, double T) {
  const auto where = [&] { return "BG/NBD: customer " + std::to_string(i) + ": "; };
  if (!std::isfinite(x) || x < 0 || x != std::floor(x)) {
    throw InputError(where() + "frequency must be a whole number >= 0, got " + std::to_string(x));
  }
  if (!std::isfinite(T) || T < 0) {
    throw InputError(where() + "age T must be >= 0, got " + std::to_string(T));
  }
  if (!std::isfinite(t_x) || t_x < 0 || t_x > T) {
    throw InputError(where() + "recency must be between 0 and the age T (" + std::to_string(T) +
                     "), got " + std::to_string(t_x));
  }
  if (x == 0 && t_x != 0) {
    throw InputError(where() + "recency must be 0 when frequency is 0, got " + std::to_string(t_x));
  }
}

// The log-likelihood over distinct rows, summed in fixed blocks (deterministic for any thread
// count), with the gradient in the logarithms of the parameters.
class Likelihood {
 public:
  Likelihood(std::span<const double> frequency, std::span<const double> recency,
             std::span<const double> age, unsigned threads)
      : threads_(threads) {
    std::vector<std::array<double, 3>> all(frequency.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = {frequency[i], recency[i], age[i]};
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size();) {
      std::size_t j = i;
      while (j < all.size() && all[j] == all[i]) ++j;
      if (distinct_x_.empty() || distinct_x_.back() != all[i][0]) {
        distinct_x_.push_back(all[i][0]);
      }
      rows_.push_back(
          {all[i][0], all[i][1], all[i][2], static_cast<double>(j - i), distinct_x_.size() - 1});
      i = j;
    }
  }

  std::size_t distinct_rows() const { return rows_.size(); }

  // Total ln L at exp(theta); writes d ln L / d theta into gradient when it is not empty.
  double operator()(std::span<const double> theta, std::span<double> gradient) const {
    const BgNbdParameters p{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]),
                            std::exp(theta[3])};
    std::vector<PerX> tables(distinct_x_.size());
    for (std::size_t k = 0; k < distinct_x_.size(); ++k) tables[k] = per_x(p, distinct_x_[k]);
    const double log_alpha = std::log(p.alpha);
    constexpr std::size_t kBlock = 8192;
    const std::size_t blocks = (rows_.size() + kBlock - 1) / kBlock;
    std::vector<double> block_sum(blocks, 0.0);
    std::vector<Gradient> block_gradient(blocks, Gradient{});
    const bool want_gradient = !gradient.empty();
    parallel_for(blocks, blocks > 1 ? threads_ : 1, [&](std::size_t b, unsigned) {
      double sum = 0.0;
      Gradient g{};
      const std::size_t end = std::min(rows_.size(), (b + 1) * kBlock);
      for (std::size_t i = b * kBlock; i < end; ++i) {
        const Row& row = rows_[i];
        sum += row.weight * row_log_likelihood(p, tables[row.x_slot], log_alpha, row.x, row.t_x,
                                               row.T, row.weight, want_gradient ? &g : nullptr);
      }
      block_sum[b] = sum;
      block_gradient[b] = g;
    });
    double total = 0.0;
    Gradient g{};
    for (std::size_t b = 0; b < blocks; ++b) {
      total += block_sum[b];
      for (std::size_t k = 0; k < kParameters; ++k) g[k] += block_gradient[b][k];
    }
    if (want_gradient) {
      const std::array<double, kParameters> values{p.r, p.alpha, p.a, p.b};
      for (std::size_t k = 0; k < kParameters; ++k) gradient[k] = g[k] * values[k];
    }
    return total;
  }

 private:
  std::vector<Row> rows_;
  std::vector<double> distinct_x_;
  unsigned threads_;
};

void check_spans(std::span<const double> frequency, std::span<const double> recency,
                 std::span<const double> age) {
  if (frequency.size() != recency.size() || frequency.size() != age.size()) {
    throw InputError("BG/NBD: frequency, recency and age must have the same length (" +
                     std::to_string(frequency.size()) + ", " + std::to_string(recency.size()) +
                     ", " + std::to_string(age.size()) + ")");
  }
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    validate_customer(i, frequency[i], recency[i], age[i]);
  }
}

}  // namespace

double bgnbd_log_likelihood(const BgNbdParameters& parameters, double x, double t_x, double T) {
  return row_log_likelihood(parameters, per_x(parameters, x), std::log(parameters.alpha), x, t_x, T,
                            1.0, nullptr);
}

double bgnbd_total_log_likelihood(const BgNbdParameters& parameters,
                                  std::span<const double> frequency,
                                  std::span<const double> recency, std::span<const double> age) {
  check_spans(frequency, recency, age);
  const Likelihood likelihood(frequency, recency, age, 1);
  const std::array<double, kParameters> theta{std::log(parameters.r), std::log(parameters.alpha),
                                              std::log(parameters.a), std::log(parameters.b)};
  return likelihood(theta, {});
}

BgNbdFit fit_bgnbd(std::span<const double> frequency, std::span<const double> recency,
                   std::span<const double> age, const FitOptions& options) {
  const auto start_time = std::chrono::steady_clock::now();
  check_spans(frequency, recency, age);
  if (frequency.empty()) throw InputError("BG/NBD: no customers to fit on");
  double repeat_purchases = 0.0;
  double total_age = 0.0;
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    repeat_purchases += frequency[i];
    total_age += age[i];
  }
  if (repeat_purchases == 0) {
    throw InputError("BG/NBD: none of the " + std::to_string(frequency.size()) +
                     " customers made a repeat purchase; the purchase rate cannot be estimated");
  }
  if (total_age == 0) throw InputError("BG/NBD: every customer has age T = 0");

  const Likelihood likelihood(frequency, recency, age, options.threads);
  const double n = static_cast<double>(frequency.size());
  // Minimise the mean negative log-likelihood (a scale that suits the tolerances).
  const detail::Objective objective = [&](std::span<const double> theta, std::span<double> g) {
    const double value = -likelihood(theta, g) / n;
    for (double& component : g) component = -component / n;
    return value;
  };
  // Start: r = 1 with the mean purchase rate r / alpha matched; a = b = 1 (uniform drop-out).
  std::vector<double> theta{0.0, std::log(total_age / repeat_purchases), 0.0, 0.0};
  const std::vector<double> lower(kParameters, -25.0), upper(kParameters, 25.0);
  const detail::MinimiseResult best =
      detail::minimise(objective, theta, lower, upper, options.optimiser, options.max_evaluations);

  BgNbdFit fit;
  fit.parameters = {std::exp(best.x[0]), std::exp(best.x[1]), std::exp(best.x[2]),
                    std::exp(best.x[3])};
  fit.diagnostics = detail::fit_diagnostics(best, likelihood, frequency.size(), n, start_time);
  return fit;
}

double bgnbd_probability_alive(const BgNbdParameters& p, double x, double t_x, double T) {
  if (x <= 0) return 1.0;
  const double log_odds_dead = std::log(p.a) - std::log(p.b + x - 1.0) +
                               (p.r + x) * (std::log(p.alpha + T) - std::log(p.alpha + t_x));
  return 1.0 / (1.0 + std::exp(log_odds_dead));
}

double bgnbd_expected_purchases(const BgNbdParameters& p, double t, double x, double t_x,
                                double T) {
  if (t < 0 || !std::isfinite(t)) {
    throw InputError("BG/NBD: the horizon must be >= 0, got " + std::to_string(t));
  }
  if (t == 0) return 0.0;
  // With z = t/(alpha + T + t), L = ln(1 - z), C = a + b + x - 1 and e = a + b - 1 - r, Euler's
  // transformation 2F1(A, B; C; z) = (1 - z)^(C - A - B) 2F1(C - A, C - B; C; z) turns the
  // bracket into 1 - (1 - z)^(a - 1) 2F1(e, a - 1; C; z). Writing that 2F1 as 1 + (a - 1) G and
  // dividing by (a - 1) analytically, the expectation given alive is
  //   -C expm1((a - 1) L)/(a - 1) - (1 - z)^(a - 1) H,
  //   H = C G = sum_{k>=1} (e)_k (a)_{k-1} / ((C + 1)_{k-1} k!) z^k,
  // whose terms shrink like k^(a - 2 - r - x) z^k: no growth phase and no overflow for large x.
  const double u = t / (p.alpha + T);
  const double z = u / (1.0 + u);
  const double log_1mz = -std::log1p(u);
  const double c = p.a + p.b + x - 1.0;
  const double e = p.a + p.b - 1.0 - p.r;
  const double am1 = p.a - 1.0;
  const double first = am1 == 0.0 ? -c * log_1mz : -c * std::expm1(am1 * log_1mz) / am1;

  double term = e * z;
  double sum = term;
  constexpr long kMaxTerms = 10'000'000;
  long k = 1;
  for (; k < kMaxTerms && term != 0.0; ++k) {
    const double kk = static_cast<double>(k);
    term *= (e + kk) * (p.a + kk - 1.0) / ((c + kk) * (kk + 1.0)) * z;
    sum += term;
    // Later ratios are z (e + j)/(c + j) (a + j - 1)/(j + 1), j > k. Since e < c, the first
    // fraction stays below 1 once positive; the second moves monotonically towards 1. So the
    // tail is below a geometric series with ratio z max(1, (a + j - 1)/(j + 1)) at j = k + 1.
    const double j = kk + 1.0;
    if (j > -e) {
      const double bound = z * std::max(1.0, (p.a + j - 1.0) / (j + 1.0));
      if (bound < 1.0 && std::abs(term) * bound / (1.0 - bound) <= 1e-16 * std::abs(sum)) break;
    }
  }
  if (k == kMaxTerms) {
    throw Error("BG/NBD: the expected-purchases series did not converge (t = " + std::to_string(t) +
                ", alpha + T = " + std::to_string(p.alpha + T) + ")");
  }
  const double given_alive = first - std::exp(am1 * log_1mz) * sum;
  return std::max(0.0, given_alive) * bgnbd_probability_alive(p, x, t_x, T);
}

double bgnbd_expected_purchases_of_new_customer(const BgNbdParameters& parameters, double t) {
  return bgnbd_expected_purchases(parameters, t, 0.0, 0.0, 0.0);
}

}  // namespace playsight::spend::clv
