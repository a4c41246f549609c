#include "spend/clv/simulation.h"

#include "core/random.h"

namespace playsight::spend::clv {

SimulatedCustomers simulate_bgnbd(const BgNbdParameters& parameters, std::span<const double> ages,
                                  double horizon, std::uint64_t seed) {
  SimulatedCustomers out;
  const std::size_t n = ages.size();
  out.frequency.resize(n);
  out.recency.resize(n);
  out.age.assign(ages.begin(), ages.end());
  out.future_purchases.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    Rng rng(seed, i, 1);
    const double rate = gamma(rng, parameters.r, 1.0 / parameters.alpha);
    const double drop = beta(rng, parameters.a, parameters.b);
    const double T = ages[i];
    double time = 0.0;
    double x = 0.0, t_x = 0.0, future = 0.0;
    while (rate > 0) {
      time += exponential(rng, rate);
      if (time > T + horizon) break;
      if (time <= T) {
        ++x;
        t_x = time;
      } else {
        ++future;
      }
      if (bernoulli(rng, drop)) break;  // drops out right after this purchase
    }
    out.frequency[i] = x;
    out.recency[i] = t_x;
    out.future_purchases[i] = future;
  }
  return out;
}

std::vector<double> simulate_gamma_gamma_means(const GammaGammaParameters& parameters,
                                               std::span<const double> frequency,
                                               std::uint64_t seed) {
  std::vector<double> means(frequency.size(), 0.0);
  for (std::size_t i = 0; i < frequency.size(); ++i) {
    const auto x = static_cast<long>(frequency[i]);
    if (x < 1) continue;
    Rng rng(seed, i, 2);
    const double nu = gamma(rng, parameters.q, 1.0 / parameters.gamma);
    double sum = 0.0;
    for (long k = 0; k < x; ++k) sum += gamma(rng, parameters.p, 1.0 / nu);
    means[i] = sum / static_cast<double>(x);
  }
  return means;
}

}  // namespace playsight::spend::clv
