#pragma once
// Customers drawn from the BG/NBD and Gamma-Gamma generative processes with known parameters:
// what the tests recover the parameters from, and what checks that the conditional expectations
// match what the model itself produces. Deterministic for a seed (core/random.h), whatever the
// thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "spend/clv/bgnbd.h"
#include "spend/clv/gamma_gamma.h"

namespace playsight::spend::clv {

struct SimulatedCustomers {
  std::vector<double> frequency;         // x: repeat purchases in (0, T]
  std::vector<double> recency;           // t_x: time of the last one (0 when x = 0)
  std::vector<double> age;               // T: as given
  std::vector<double> future_purchases;  // purchases in (T, T + horizon]
};

// One customer per entry of `ages`: first purchase at time 0, then purchases at a Poisson rate
// lambda ~ Gamma(r, rate alpha) until, after some repeat purchase, they drop out (probability
// p ~ Beta(a, b) after each). REQUIRES: ages >= 0, horizon >= 0.
SimulatedCustomers simulate_bgnbd(const BgNbdParameters& parameters, std::span<const double> ages,
                                  double horizon, std::uint64_t seed);

// The mean value of each customer's `frequency[i]` purchases under Gamma-Gamma (nu ~ Gamma(q,
// rate gamma), each value ~ Gamma(p, rate nu)); 0 where frequency is 0.
std::vector<double> simulate_gamma_gamma_means(const GammaGammaParameters& parameters,
                                               std::span<const double> frequency,
                                               std::uint64_t seed);

}  // namespace playsight::spend::clv
