#include "spend/clv/gamma_gamma.h"

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

constexpr std::size_t kParameters = 3;
using Gradient = std::array<double, kParameters>;  // d/d(p, q, gamma)

struct Row {
  double x;
  double m;
  double log_m;
  double log_x;
  double weight;
  std::size_t x_slot;
};

struct PerX {
  double log_gamma_ratio;  // ln Gamma(p x + q) - ln Gamma(p x)
  double digamma_sum;      // psi(p x + q)
  double digamma_px;       // psi(p x)
};

// ln f(m | x) = ln Gamma(px + q) - ln Gamma(px) - ln Gamma(q) + q ln gamma + (px - 1) ln m
//               + px ln x - (px + q) ln(gamma + x m)
inline double row_log_likelihood(const GammaGammaParameters& par, const PerX& t, double log_gamma_q,
                                 double digamma_q, double log_gamma_rate, const Row& row,
                                 Gradient* gradient) {
  const double px = par.p * row.x;
  const double log_total = std::log(par.gamma + row.x * row.m);
  if (gradient) {
    Gradient& g = *gradient;
    g[0] += row.weight * row.x * (t.digamma_sum - t.digamma_px + row.log_m + row.log_x - log_total);
    g[1] += row.weight * (t.digamma_sum - digamma_q + log_gamma_rate - log_total);
    g[2] += row.weight * (par.q / par.gamma - (px + par.q) / (par.gamma + row.x * row.m));
  }
  return t.log_gamma_ratio - log_gamma_q + par.q * log_gamma_rate + (px - 1.0) * row.log_m +
         px * row.log_x - (px + par.q) * log_total;
}

class Likelihood {
 public:
  Likelihood(std::span<const double> frequency, std::span<const double> monetary, unsigned threads)
      : threads_(threads) {
    std::vector<std::pair<double, double>> all(frequency.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = {frequency[i], monetary[i]};
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size();) {
      std::size_t j = i;
      while (j < all.size() && all[j] == all[i]) ++j;
      if (distinct_x_.empty() || distinct_x_.back() != all[i].first) {
        distinct_x_.push_back(all[i].first);
      }
      const auto [x, m] = all[i];
      rows_.push_back(
          {x, m, std::log(m), std::log(x), static_cast<double>(j - i), distinct_x_.size() - 1});
      i = j;
    }
  }

  std::size_t distinct_rows() const { return rows_.size(); }

  double operator()(std::span<const double> theta, std::span<double> gradient) const {
    const GammaGammaParameters par{std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2])};
    std::vector<PerX> tables(distinct_x_.size());
    for (std::size_t k = 0; k < distinct_x_.size(); ++k) {
      const double px = par.p * distinct_x_[k];
      tables[k] = {log_gamma(px + par.q) - log_gamma(px), digamma(px + par.q), digamma(px)};
    }
    const double log_gamma_q = log_gamma(par.q);
    const double digamma_q = digamma(par.q);
    const double log_gamma_rate = std::log(par.gamma);
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
        sum += row.weight * row_log_likelihood(par, tables[row.x_slot], log_gamma_q, digamma_q,
                                               log_gamma_rate, row, want_gradient ? &g : nullptr);
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
      const std::array<double, kParameters> values{par.p, par.q, par.gamma};
      for (std::size_t k = 0; k < kParameters; ++k) gradient[k] = g[k] * values[k];
    }
    return total;
  }

 private:
  std::vector<Row> rows_;
  std::vector<double> distinct_x_;
  unsigned threads_;
};

}  // namespace

double gamma_gamma_log_likelihood(const GammaGammaParameters& parameters, double x, double m) {
  const double px = parameters.p * x;
  const PerX t{log_gamma(px + parameters.q) - log_gamma(px), 0.0, 0.0};
  const Row row{x, m, std::log(m), std::log(x), 1.0, 0};
  return row_log_likelihood(parameters, t, log_gamma(parameters.q), 0.0, std::log(parameters.gamma),
                            row, nullptr);
}

GammaGammaFit fit_gamma_gamma(std::span<const double> frequency, std::span<const double> monetary,
                              const FitOptions& options) {
  const auto start_time = std::chrono::steady_clock::now();
  if (frequency.size() != monetary.size()) {
    throw InputError("Gamma-Gamma: frequency and monetary value must have the same length (" +
                     std::to_string(frequency.size()) + ", " + std::to_string(monetary.size()) +
                     ")");
  }
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    const double x = frequency[i];
    if (!std::isfinite(x) || x < 1) {
      throw InputError("Gamma-Gamma: customer " + std::to_string(i) +
                       ": needs a repeat customer (frequency >= 1), got frequency " +
                       std::to_string(x));
    }
    if (!std::isfinite(monetary[i]) || monetary[i] <= 0) {
      throw InputError("Gamma-Gamma: customer " + std::to_string(i) +
                       ": the mean value of repeat purchases must be > 0, got " +
                       std::to_string(monetary[i]));
    }
  }
  if (frequency.size() < 2) {
    throw InputError("Gamma-Gamma: needs at least 2 repeat customers to fit, got " +
                     std::to_string(frequency.size()));
  }
  const auto [low, high] = std::minmax_element(monetary.begin(), monetary.end());
  if (*low == *high) {
    throw InputError("Gamma-Gamma: every repeat customer has the same mean value (" +
                     std::to_string(*low) + "); the spread of values cannot be estimated");
  }

  const Likelihood likelihood(frequency, monetary, options.threads);
  const double n = static_cast<double>(frequency.size());
  const detail::Objective objective = [&](std::span<const double> theta, std::span<double> g) {
    const double value = -likelihood(theta, g) / n;
    for (double& component : g) component = -component / n;
    return value;
  };
  // Start: p = 1, q = 2, and gamma so that the population mean p gamma / (q - 1) is the mean of m.
  double mean = 0.0;
  for (double m : monetary) mean += m / n;
  std::vector<double> theta{0.0, std::log(2.0), std::log(mean)};
  const std::vector<double> lower(kParameters, -25.0), upper(kParameters, 40.0);
  const detail::MinimiseResult best =
      detail::minimise(objective, theta, lower, upper, options.optimiser, options.max_evaluations);

  GammaGammaFit fit;
  fit.parameters = {std::exp(best.x[0]), std::exp(best.x[1]), std::exp(best.x[2])};
  fit.diagnostics = detail::fit_diagnostics(best, likelihood, frequency.size(), n, start_time);
  return fit;
}

double gamma_gamma_expected_value(const GammaGammaParameters& parameters, double x, double m) {
  const double denominator = parameters.p * x + parameters.q - 1.0;
  if (denominator <= 0) return std::numeric_limits<double>::infinity();
  return parameters.p * (parameters.gamma + x * m) / denominator;
}

}  // namespace playsight::spend::clv
