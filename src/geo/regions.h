#pragma once
// Regions: the areas billboards are bought in and players live in — South Korea's 250
// municipalities (data/korea/municipalities.csv) or any region set in the same CSV form.
//
// The CSV has a header row and the columns code, name, centroid_lon, centroid_lat, area_km2,
// population_2010 (any order, extra columns ignored). `code` is the key (text, unique, non-empty);
// centroids are decimal degrees (longitude -180..180, latitude -90..90); area is km² (> 0);
// population is a non-negative integer or empty. A region with an empty population is kept (real
// players may live there and billboards may stand there) but gets no simulated players, and is
// counted in RegionSet::without_population.
//
// Distances are great-circle distances on a sphere of radius 6371.0088 km (the mean Earth
// radius), by the haversine formula: within 0.5 % of the ellipsoidal distance.
// Thread-safety: values; read_regions is reentrant.
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace playsight::geo {

struct Region {
  std::string code;
  std::string name;
  double longitude = 0;  // centroid, degrees east
  double latitude = 0;   // centroid, degrees north
  double area_km2 = 0;
  double population = 0;  // NaN when the file has no value
  bool has_population() const { return population == population; }
  double density() const { return population / area_km2; }  // persons per km²
};

struct RegionSet {
  std::string path;
  std::vector<Region> regions;                  // in file order
  std::vector<std::string> without_population;  // codes of regions with an empty population

  std::size_t size() const { return regions.size(); }
  // Index of the region with this code, or -1.
  std::int64_t index_of(const std::string& code) const;

  std::unordered_map<std::string, std::size_t> index_by_code;
};

// Reads a region CSV. Throws InputError "FILE:LINE: column 'x': ..." for a bad value or a repeated
// code, and "FILE: no regions" for a file without data rows.
RegionSet read_regions(const std::string& path);

// Great-circle distance in km between two points given in degrees.
double haversine_km(double longitude1, double latitude1, double longitude2, double latitude2);

}  // namespace playsight::geo
