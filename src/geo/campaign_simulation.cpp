#include "geo/campaign_simulation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "core/random.h"

namespace playsight::geo {
namespace {

// FNV-1a: a stable hash of a region code (std::hash differs between standard libraries).
std::uint64_t code_hash(const std::string& code) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : code) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

}  // namespace

SimulatedCampaign simulate_campaign(const std::vector<std::string>& codes,
                                    const std::vector<double>& base,
                                    const std::vector<std::string>& treated,
                                    const CampaignOptions& options) {
  if (!(options.lift > -1)) throw InputError("--lift: a relative lift above -1 was expected");
  if (options.pre_days < 2 || options.post_days < 1)
    throw InputError("--pre-days must be at least 2 and --post-days at least 1");
  if (!(options.daily_rate > 0)) throw InputError("--daily-rate: a positive rate was expected");
  if (!(options.noise_sd >= 0) || !(std::fabs(options.noise_autocorrelation) < 1))
    throw InputError("noise: sd >= 0 and autocorrelation in (-1, 1) were expected");
  const std::set<std::string> known(codes.begin(), codes.end());
  for (const std::string& code : treated) {
    if (!known.count(code))
      throw InputError("treated region " + quote_for_message(code) + " is not a known region");
  }
  const std::set<std::string> is_treated(treated.begin(), treated.end());
  const std::size_t days = options.pre_days + options.post_days;
  const Days first = options.start - static_cast<Days>(options.pre_days);

  // The national pattern every region shares.
  std::vector<double> national(days);
  Rng national_rng(options.seed, 0x6e6174696f6e);  // "nation"
  double walk = 0;
  for (std::size_t d = 0; d < days; ++d) {
    walk += normal(national_rng, 0, 0.01);
    const Days day = first + static_cast<Days>(d);
    const Days weekday = ((day % 7) + 7 + 3) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
    national[d] = std::exp(walk) * (weekday >= 5 ? 1 + options.weekly_amplitude : 1.0);
  }

  SimulatedCampaign result;
  result.true_lift = options.lift;
  result.start = options.start;
  result.end = options.start + static_cast<Days>(options.post_days);
  result.panel.first_day = first;
  result.panel.days = days;
  result.panel.path = "(simulated campaign)";
  std::map<std::string, std::size_t> order;  // the panel keeps regions sorted by code
  for (std::size_t r = 0; r < codes.size(); ++r) order.emplace(codes[r], r);
  const double rho = options.noise_autocorrelation;
  const double innovation_sd = options.noise_sd * std::sqrt(1 - rho * rho);
  for (const auto& [code, r] : order) {  // r: the region's index in codes and base
    Rng rng(options.seed, code_hash(code), 0x72656769);
    std::vector<double> values(days);
    double noise = normal(rng, 0, options.noise_sd);
    for (std::size_t d = 0; d < days; ++d) {
      if (d > 0) noise = rho * noise + normal(rng, 0, innovation_sd);
      const bool lifted = is_treated.count(code) && d >= options.pre_days;
      const double mean = options.daily_rate * std::max(base[r], 0.0) * national[d] *
                          std::exp(noise) * (lifted ? 1 + options.lift : 1.0);
      values[d] = static_cast<double>(poisson(rng, mean));
    }
    result.panel.regions.push_back(code);
    result.panel.value.push_back(std::move(values));
  }
  for (const std::string& code : is_treated) result.treated.push_back(code);
  return result;
}

}  // namespace playsight::geo
