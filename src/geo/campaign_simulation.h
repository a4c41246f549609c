#pragma once
// Campaign simulation: a daily KPI per region with a known lift in the treated regions after a
// start date, so that `playsight geo lift` and `geo design` can be checked against the truth
// (`playsight geo simulate-campaign`).
//
// The model, for region r and day t:
//   KPI(r, t) ~ Poisson(daily_rate * base_r * national(t) * exp(noise(r, t)) * (1 + lift if r is
//               treated and t >= start))
// base_r is the region's players (or population); national(t) is a weekly cycle (weekends up by
// weekly_amplitude) times a slow national random walk that every region shares; noise(r, t) is
// the region's own AR(1) process on the log scale with stationary standard deviation noise_sd
// and day-to-day correlation noise_autocorrelation (so a region's good days come in runs, as
// with local weather or events). Without the campaign every region has the same expected change,
// the assumption that the lift analysis makes.
// Determinism: a function of the options and the inputs; each region has its own random stream.
#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"
#include "geo/kpi.h"

namespace playsight::geo {

struct CampaignOptions {
  Days start = 20727;          // first campaign day (2026-10-01)
  std::size_t pre_days = 56;   // days simulated before it
  std::size_t post_days = 28;  // campaign days
  double lift = 0.10;          // relative lift in treated regions, > -1
  double daily_rate = 1.0;     // expected KPI per day per unit of base
  double noise_sd = 0.08;
  double noise_autocorrelation = 0.6;
  double weekly_amplitude = 0.15;
  std::uint64_t seed = 42;
};

struct SimulatedCampaign {
  KpiPanel panel;
  std::vector<std::string> treated;
  double true_lift = 0;
  Days start = 0, end = 0;  // campaign days [start, end)
};

// codes and base are per region (same length; base > 0 for a region to have any KPI). Throws
// InputError for a treated code not among the codes or for options out of range.
SimulatedCampaign simulate_campaign(const std::vector<std::string>& codes,
                                    const std::vector<double>& base,
                                    const std::vector<std::string>& treated,
                                    const CampaignOptions& options);

}  // namespace playsight::geo
