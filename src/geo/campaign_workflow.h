#pragma once
// The workflow of `playsight geo simulate-campaign`: read the regions, take each region's base
// (its players when a player_id,region_code file is given, else its population / 1000), take the
// treated regions from a list or draw them at random among the regions with a base, and simulate
// the campaign (campaign_simulation.h). The caller writes the KPI, the treated regions and the
// truth.
//
// Bad input throws InputError naming the command-line flag concerned ("--treated-count: between
// 1 and 244 was expected"), as the readers of this part do.
// Determinism: a function of the request and the files.
#include <cstddef>
#include <string>
#include <vector>

#include "geo/campaign_simulation.h"

namespace playsight::geo {

struct CampaignRequest {
  std::string regions_path;        // region CSV (regions.h)
  std::string players_path;        // player_id,region_code; "": the base is population / 1000
  std::string treated_path;        // treated region codes; "": a random draw
  std::size_t treated_count = 20;  // regions drawn without treated_path
  CampaignOptions options;         // options.seed also seeds the draw
};

struct CampaignOutcome {
  SimulatedCampaign campaign;
  std::string base;  // "players" or "population / 1000"
};

CampaignOutcome run_campaign_simulation(const CampaignRequest& request);

}  // namespace playsight::geo
