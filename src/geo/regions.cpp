#include "geo/regions.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/csv_reader.h"
#include "core/error.h"

namespace playsight::geo {

std::int64_t RegionSet::index_of(const std::string& code) const {
  const auto found = index_by_code.find(code);
  return found == index_by_code.end() ? -1 : static_cast<std::int64_t>(found->second);
}

RegionSet read_regions(const std::string& path) {
  const CsvReader reader(
      path, {"code", "name", "centroid_lon", "centroid_lat", "area_km2", "population_2010"});
  RegionSet set;
  set.path = path;
  CsvReadOptions options;
  options.threads = 1;  // keeps the file order, so that repeated codes name the first line
  reader.read(
      [&](unsigned) {
        return [&](const CsvRow& row) {
          Region region;
          region.code = std::string(row.text(0));
          if (region.code.empty()) row.fail(0, "a region code was expected, got an empty field");
          region.name = std::string(row.text(1));
          region.longitude = row.number(2);
          if (region.longitude < -180 || region.longitude > 180)
            row.fail(2, "a longitude in [-180, 180] was expected");
          region.latitude = row.number(3);
          if (region.latitude < -90 || region.latitude > 90)
            row.fail(3, "a latitude in [-90, 90] was expected");
          region.area_km2 = row.number(4);
          if (!(region.area_km2 > 0)) row.fail(4, "a positive area in km² was expected");
          if (row.text(5).empty()) {
            region.population = std::numeric_limits<double>::quiet_NaN();
          } else {
            region.population = static_cast<double>(row.integer(5));
            if (region.population < 0) row.fail(5, "a non-negative population was expected");
          }
          const std::size_t index = set.regions.size();
          if (!set.index_by_code.emplace(region.code, index).second) {
            row.fail(0, "region code " + quote_for_message(region.code) +
                            " occurs twice (also on line " +
                            std::to_string(set.index_by_code.at(region.code) + 2) + ")");
          }
          if (!region.has_population()) set.without_population.push_back(region.code);
          set.regions.push_back(std::move(region));
        };
      },
      options);
  if (set.regions.empty()) throw InputError(path + ": no regions (no data rows)");
  return set;
}

double haversine_km(double longitude1, double latitude1, double longitude2, double latitude2) {
  constexpr double kEarthRadiusKm = 6371.0088;
  constexpr double kRadians = std::numbers::pi / 180;
  const double phi1 = latitude1 * kRadians, phi2 = latitude2 * kRadians;
  const double half_dphi = (phi2 - phi1) / 2;
  const double half_dlambda = (longitude2 - longitude1) * kRadians / 2;
  const double h = std::sin(half_dphi) * std::sin(half_dphi) + std::cos(phi1) * std::cos(phi2) *
                                                                   std::sin(half_dlambda) *
                                                                   std::sin(half_dlambda);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

}  // namespace playsight::geo
