#include "core/random.h"

#include <cmath>
#include <numbers>

namespace playsight {
namespace {

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// The SplitMix64 output function: a bijective 64-bit mixer.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += kGolden;
  return mix64(state);
}

std::uint64_t mix_keys(std::uint64_t a, std::uint64_t b) {
  return mix64(mix64(a + kGolden) ^ mix64(b + 0x632be59bd9b4e019ULL) ^ 0x2545f4914f6cdd1dULL);
}

Rng::Rng(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (auto& word : state_) word = splitmix64_next(state);
  // SplitMix64 outputs are a bijection of distinct inputs, so four zeros cannot occur in practice;
  // guard anyway since the all-zero state is a fixed point.
  if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = kGolden;
}

Rng::Rng(std::uint64_t seed, std::uint64_t key1, std::uint64_t key2)
    : Rng(mix_keys(mix_keys(seed, key1), key2)) {}

Rng Rng::from_state(const std::array<std::uint64_t, 4>& state) {
  Rng rng;
  rng.state_ = state;
  return rng;
}

std::uint64_t Rng::below(std::uint64_t bound) {
  // Rejects the lowest (2^64 mod bound) values so that every residue is equally likely.
  const std::uint64_t threshold = (0 - bound) % bound;
  while (true) {
    const std::uint64_t value = next_u64();
    if (value >= threshold) return value % bound;
  }
}

double normal_from_uniforms(double u1, double u2) {
  // 1 - u1 is in (0, 1], so the logarithm is finite.
  return std::sqrt(-2.0 * std::log(1.0 - u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double standard_normal(Rng& rng) {
  const double u1 = rng.uniform();
  const double u2 = rng.uniform();
  return normal_from_uniforms(u1, u2);
}

double lognormal(Rng& rng, double mu, double sigma) {
  return std::exp(mu + sigma * standard_normal(rng));
}

double exponential(Rng& rng, double rate) {
  return -std::log(1.0 - rng.uniform()) / rate;
}

double gamma(Rng& rng, double shape, double scale) {
  if (shape < 1.0) {
    // Gamma(k) = Gamma(k + 1) * U^(1/k) for k < 1 (Marsaglia-Tsang's boost).
    const double boosted = gamma(rng, shape + 1.0, 1.0);
    const double u = 1.0 - rng.uniform();  // (0, 1]
    return boosted * std::pow(u, 1.0 / shape) * scale;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    const double x = standard_normal(rng);
    double v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = rng.uniform();
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v * scale;
    if (u > 0.0 && std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v * scale;
  }
}

double beta(Rng& rng, double a, double b) {
  const double x = gamma(rng, a, 1.0);
  const double y = gamma(rng, b, 1.0);
  return x / (x + y);
}

double log_factorial(std::int64_t k) {
  if (k < 2) return 0.0;
  if (k < 16) {
    double sum = 0.0;
    for (std::int64_t i = 2; i <= k; ++i) sum += std::log(static_cast<double>(i));
    return sum;
  }
  // Stirling's series for ln Gamma(n), n = k + 1 >= 17: the error is below 1e-15.
  const double n = static_cast<double>(k + 1);
  const double inv = 1.0 / n;
  const double inv2 = inv * inv;
  return (n - 0.5) * std::log(n) - n + 0.5 * std::log(2.0 * std::numbers::pi) +
         inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 / 1260.0));
}

std::int64_t poisson(Rng& rng, double mean) {
  if (mean <= 0.0) return 0;
  if (mean < 12.0) {
    // Counts uniforms until their product drops below e^-mean.
    const double limit = std::exp(-mean);
    std::int64_t count = 0;
    double product = rng.uniform();
    while (product >= limit) {
      ++count;
      product *= rng.uniform();
    }
    return count;
  }
  // PTRS: W. Hormann, "The transformed rejection method for generating Poisson random
  // variables", Insurance: Mathematics and Economics 12 (1993).
  const double root = std::sqrt(mean);
  const double log_mean = std::log(mean);
  const double b = 0.931 + 2.53 * root;
  const double a = -0.059 + 0.02483 * b;
  const double inverse_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2.0);
  while (true) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) return static_cast<std::int64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (v <= 0.0) continue;
    const double lhs = std::log(v) + std::log(inverse_alpha) - std::log(a / (us * us) + b);
    const double rhs = -mean + k * log_mean - log_factorial(static_cast<std::int64_t>(k));
    if (lhs <= rhs) return static_cast<std::int64_t>(k);
  }
}

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}

AliasTable::AliasTable(std::span<const double> weights) {
  const std::size_t n = weights.size();
  double total = 0.0;
  for (double w : weights) total += w;
  normalised_.resize(n);
  probability_.assign(n, 1.0);
  alias_.resize(n);
  std::vector<double> scaled(n);
  std::vector<std::size_t> small;
  std::vector<std::size_t> large;
  for (std::size_t i = 0; i < n; ++i) {
    normalised_[i] = weights[i] / total;
    scaled[i] = normalised_[i] * static_cast<double>(n);
    alias_[i] = i;
    (scaled[i] < 1.0 ? small : large).push_back(i);
  }
  while (!small.empty() && !large.empty()) {
    const std::size_t lighter = small.back();
    small.pop_back();
    const std::size_t heavier = large.back();
    probability_[lighter] = scaled[lighter];
    alias_[lighter] = heavier;
    scaled[heavier] = (scaled[heavier] + scaled[lighter]) - 1.0;
    if (scaled[heavier] < 1.0) {
      large.pop_back();
      small.push_back(heavier);
    }
  }
  // What is left is 1 up to rounding: keep those columns whole.
  for (std::size_t i : small) probability_[i] = 1.0;
  for (std::size_t i : large) probability_[i] = 1.0;
}

std::vector<double> zipf_weights(std::size_t n, double exponent) {
  std::vector<double> weights(n);
  for (std::size_t rank = 1; rank <= n; ++rank) {
    weights[rank - 1] = std::pow(static_cast<double>(rank), -exponent);
  }
  return weights;
}

}  // namespace playsight
