#pragma once
// Seeded random numbers for everything in playsight whose output must be reproducible from a seed
// (the game-log generator, sampling, shuffles). std:: distributions are not used because their
// algorithms differ between standard libraries; these are our own and fixed.
//
//   Rng           xoshiro256** (Blackman & Vigna), its state filled by SplitMix64. Fast (about
//                 1 ns a number), 2^256 - 1 period. Rng(seed, key...) derives an independent
//                 stream per (seed, key) without any shared state, so a player's stream depends
//                 only on the seed and the player id, never on thread or block.
//   distributions free functions taking an Rng&: uniform, normal, lognormal, exponential, gamma,
//                 beta, poisson, bernoulli; AliasTable for categorical (and Zipf) sampling.
//
// The integer streams are bit-identical on every platform. Real-valued draws use std::log, exp,
// sqrt and cos, so they are identical wherever the math library is the same (every run on one
// machine, with any thread count). Each distribution consumes a documented number of uniforms
// where that matters for common random numbers (normal: exactly two).
//
// Not thread-safe: an Rng is a value; give each thread (or each player) its own.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace playsight {

// One step of SplitMix64: advances state and returns the next output.
std::uint64_t splitmix64_next(std::uint64_t& state);

// A well-mixed 64-bit hash of a and b (order matters), for deriving seeds from keys.
std::uint64_t mix_keys(std::uint64_t a, std::uint64_t b);

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  // An independent stream for (seed, key1, key2): e.g. (seed, player id, purpose).
  Rng(std::uint64_t seed, std::uint64_t key1, std::uint64_t key2 = 0);
  // REQUIRES: not all zero. For tests against the reference implementation.
  static Rng from_state(const std::array<std::uint64_t, 4>& state);

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits; one number of the stream.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, bound), without modulo bias. REQUIRES: bound > 0.
  std::uint64_t below(std::uint64_t bound);

 private:
  Rng() = default;
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

// true with probability p (p <= 0: never, p >= 1: always); consumes one uniform.
inline bool bernoulli(Rng& rng, double p) {
  return rng.uniform() < p;
}

// A standard normal from two uniforms in [0, 1) (Box-Muller, cosine branch). Monotone in
// neither argument alone, but a fixed function: the same two uniforms give the same value.
double normal_from_uniforms(double u1, double u2);
// Standard normal; consumes exactly two uniforms.
double standard_normal(Rng& rng);
inline double normal(Rng& rng, double mean, double sd) {
  return mean + sd * standard_normal(rng);
}
// exp(N(mu, sigma)): median exp(mu), mean exp(mu + sigma^2 / 2).
double lognormal(Rng& rng, double mu, double sigma);
// Exponential with the given rate (mean 1 / rate). REQUIRES: rate > 0.
double exponential(Rng& rng, double rate);
// Gamma with shape k and scale theta (mean k theta), Marsaglia-Tsang. REQUIRES: k, theta > 0.
double gamma(Rng& rng, double shape, double scale);
// Beta(a, b) on [0, 1] (mean a / (a + b)). REQUIRES: a, b > 0.
double beta(Rng& rng, double a, double b);
// Poisson with the given mean: multiplication method below 12, Hormann's transformed rejection
// (PTRS) above. REQUIRES: mean >= 0.
std::int64_t poisson(Rng& rng, double mean);

// The standard normal distribution function; for analytic expectations of sampled quantities.
double normal_cdf(double x);
// ln(k!) without global state (std::lgamma may write the global signgam).
double log_factorial(std::int64_t k);

// Samples index i with probability weights[i] / sum(weights) in O(1): Vose's alias method.
// Construction is deterministic. Immutable after construction, so one table may be shared by
// threads (each with its own Rng).
class AliasTable {
 public:
  AliasTable() = default;
  // REQUIRES: weights non-negative with a positive sum.
  explicit AliasTable(std::span<const double> weights);

  // Consumes two numbers of the stream.
  std::size_t sample(Rng& rng) const {
    const std::size_t column = static_cast<std::size_t>(rng.below(probability_.size()));
    return rng.uniform() < probability_[column] ? column : alias_[column];
  }
  std::size_t size() const { return probability_.size(); }
  // The probability of index i (weights normalised).
  double probability(std::size_t i) const { return normalised_[i]; }

 private:
  std::vector<double> probability_;  // chance of keeping the column's own index
  std::vector<std::size_t> alias_;
  std::vector<double> normalised_;
};

// Zipf weights for ranks 1..n: weight(rank) = rank^-exponent (unnormalised).
std::vector<double> zipf_weights(std::size_t n, double exponent);

}  // namespace playsight
