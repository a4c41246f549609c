#pragma once
// Coverage: the budgeted weighted maximum-coverage problem behind `playsight geo select`.
//
// Elements are regions, each worth the summed weight of its target players (player_regions.h).
// A site has a cost and reaches a set of regions: a billboard site at a point with a reach radius
// reaches every region whose centroid lies within the radius (haversine; a region counts as
// reached whole or not at all), and in the region-level variant each region is a site that
// reaches itself. Choosing sites within a budget to maximise the weight reached is NP-hard; see
// selection.h (greedy) and exact.h (integer programming).
//
// Sites CSV (header row, any column order): site_id, cost and either region_code (a region site)
// or longitude, latitude, radius_km (a billboard site). Costs are positive numbers in the budget's
// unit. Unknown region codes are an error with their count and first line.
// Thread-safety: values and pure functions.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/regions.h"

namespace playsight::geo {

struct Site {
  std::string id;
  double cost = 1;
  std::vector<std::uint32_t> regions;  // reached regions, ascending
  double longitude = 0, latitude = 0;  // where it stands (a region site: the centroid)
  double radius_km = 0;                // 0 for a region site
};

struct CoverageProblem {
  std::vector<double> region_weight;  // per region of the region set
  std::vector<Site> sites;

  // Total weight reached by these sites (each region counted once).
  double value(std::span<const std::size_t> chosen) const;
  double cost(std::span<const std::size_t> chosen) const;
  double cheapest_cost() const;
  bool uniform_costs() const;   // every site costs the same
  double total_weight() const;  // of every region
};

// Each region is a site of this cost that reaches itself.
std::vector<Site> region_sites(const RegionSet& regions, double cost = 1);

struct SiteFile {
  std::vector<Site> sites;
  std::size_t sites_reaching_nothing = 0;  // billboard sites with no centroid within the radius
};
SiteFile read_sites(const std::string& path, const RegionSet& regions);

// The reach of a point: regions whose centroid lies within radius_km.
std::vector<std::uint32_t> regions_within(const RegionSet& regions, double longitude,
                                          double latitude, double radius_km);

// Throws InputError when the budget is not positive or below the cheapest site's cost.
void check_budget(const CoverageProblem& problem, double budget);

}  // namespace playsight::geo
