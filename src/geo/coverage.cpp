#include "geo/coverage.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "core/csv_reader.h"
#include "core/error.h"

namespace playsight::geo {

double CoverageProblem::value(std::span<const std::size_t> chosen) const {
  std::vector<bool> reached(region_weight.size(), false);
  double total = 0;
  for (std::size_t s : chosen) {
    for (std::uint32_t r : sites[s].regions) {
      if (!reached[r]) total += region_weight[r];
      reached[r] = true;
    }
  }
  return total;
}

double CoverageProblem::cost(std::span<const std::size_t> chosen) const {
  double total = 0;
  for (std::size_t s : chosen) total += sites[s].cost;
  return total;
}

double CoverageProblem::cheapest_cost() const {
  double cheapest = std::numeric_limits<double>::infinity();
  for (const Site& site : sites) cheapest = std::min(cheapest, site.cost);
  return cheapest;
}

bool CoverageProblem::uniform_costs() const {
  return std::all_of(sites.begin(), sites.end(),
                     [&](const Site& site) { return site.cost == sites.front().cost; });
}

double CoverageProblem::total_weight() const {
  double total = 0;
  for (double w : region_weight) total += w;
  return total;
}

std::vector<Site> region_sites(const RegionSet& regions, double cost) {
  std::vector<Site> sites;
  for (std::size_t r = 0; r < regions.size(); ++r) {
    const Region& region = regions.regions[r];
    sites.push_back(Site{
        region.code, cost, {static_cast<std::uint32_t>(r)}, region.longitude, region.latitude, 0});
  }
  return sites;
}

std::vector<std::uint32_t> regions_within(const RegionSet& regions, double longitude,
                                          double latitude, double radius_km) {
  std::vector<std::uint32_t> reached;
  for (std::size_t r = 0; r < regions.size(); ++r) {
    const Region& region = regions.regions[r];
    if (haversine_km(longitude, latitude, region.longitude, region.latitude) <= radius_km)
      reached.push_back(static_cast<std::uint32_t>(r));
  }
  return reached;
}

SiteFile read_sites(const std::string& path, const RegionSet& regions) {
  const CsvReader probe(path, {"site_id", "cost"});
  const auto& header = probe.header();
  const bool by_region = std::find(header.begin(), header.end(), "region_code") != header.end();
  const CsvReader reader =
      by_region ? CsvReader(path, {"site_id", "cost", "region_code"})
                : CsvReader(path, {"site_id", "cost", "longitude", "latitude", "radius_km"});
  SiteFile file;
  std::size_t unknown = 0;
  std::uint64_t line = 1, first_unknown_line = 0;
  std::string first_unknown;
  CsvReadOptions options;
  options.threads = 1;
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          ++line;
          Site site;
          site.id = std::string(row.text(0));
          if (site.id.empty()) row.fail(0, "a site id was expected, got an empty field");
          site.cost = row.number(1);
          if (!(site.cost > 0)) row.fail(1, "a positive cost was expected");
          if (by_region) {
            const std::string code(row.text(2));
            const std::int64_t r = regions.index_of(code);
            if (r < 0) {
              if (unknown++ == 0) {
                first_unknown_line = line;
                first_unknown = code;
              }
              return;
            }
            site.regions = {static_cast<std::uint32_t>(r)};
            site.longitude = regions.regions[r].longitude;
            site.latitude = regions.regions[r].latitude;
          } else {
            site.longitude = row.number(2);
            site.latitude = row.number(3);
            site.radius_km = row.number(4);
            if (site.longitude < -180 || site.longitude > 180)
              row.fail(2, "a longitude in [-180, 180] was expected");
            if (site.latitude < -90 || site.latitude > 90)
              row.fail(3, "a latitude in [-90, 90] was expected");
            if (!(site.radius_km >= 0)) row.fail(4, "a non-negative radius in km was expected");
            site.regions = regions_within(regions, site.longitude, site.latitude, site.radius_km);
            if (site.regions.empty()) ++file.sites_reaching_nothing;
          }
          file.sites.push_back(std::move(site));
        };
      },
      options);
  if (unknown > 0) {
    throw InputError(path + ": " + std::to_string(unknown) +
                     " sites have a region code that is not in " + regions.path + " (first: line " +
                     std::to_string(first_unknown_line) + ", code " +
                     quote_for_message(first_unknown) + ")");
  }
  if (file.sites.empty()) throw InputError(path + ": no sites (no data rows)");
  return file;
}

void check_budget(const CoverageProblem& problem, double budget) {
  if (!(budget > 0)) throw InputError("--budget: a positive budget was expected");
  const double cheapest = problem.cheapest_cost();
  if (budget < cheapest) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "--budget: %g is below the cheapest site's cost (%g): no site can be bought",
                  budget, cheapest);
    throw InputError(text);
  }
}

}  // namespace playsight::geo
