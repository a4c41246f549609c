#include "geo/campaign_workflow.h"

#include <utility>

#include "core/error.h"
#include "core/random.h"
#include "geo/kpi.h"
#include "geo/player_regions.h"
#include "geo/regions.h"

namespace playsight::geo {

CampaignOutcome run_campaign_simulation(const CampaignRequest& request) {
  const RegionSet regions = read_regions(request.regions_path);
  std::vector<std::string> codes;
  std::vector<double> base(regions.size(), 0.0);
  for (std::size_t r = 0; r < regions.size(); ++r) {
    codes.push_back(regions.regions[r].code);
    const Region& region = regions.regions[r];
    base[r] = region.has_population() ? region.population / 1000 : 0.0;
  }
  CampaignOutcome outcome;
  outcome.base = "population / 1000";
  if (!request.players_path.empty()) {
    const PlayerLocations locations = read_player_locations(request.players_path, regions);
    base = weight_per_region(locations, count_weights(locations), regions.size());
    outcome.base = "players";
  }
  std::vector<std::string> treated;
  if (!request.treated_path.empty()) {
    treated = read_region_list(request.treated_path);
  } else {
    std::vector<std::size_t> candidates;
    for (std::size_t r = 0; r < regions.size(); ++r)
      if (base[r] > 0) candidates.push_back(r);
    if (request.treated_count < 1 || request.treated_count >= candidates.size())
      throw InputError("--treated-count: between 1 and " + std::to_string(candidates.size() - 1) +
                       " was expected");
    Rng rng(request.options.seed, 0x7472656174);  // "treat"
    for (std::size_t k = 0; k < request.treated_count; ++k) {
      std::swap(candidates[k], candidates[k + rng.below(candidates.size() - k)]);
      treated.push_back(codes[candidates[k]]);
    }
  }
  outcome.campaign = simulate_campaign(codes, base, treated, request.options);
  return outcome;
}

}  // namespace playsight::geo
