// The selection map: an SVG of the region centroids in an equirectangular projection around the
// regions' middle latitude (true to scale north-south and east-west there). Circle area follows
// population; colour follows the weight of the region's target players (square-root scale, light
// to dark blue); regions that the chosen sites reach are outlined in orange, billboard sites are
// red dots with their reach as a dashed circle. Each circle has a tooltip.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>

#include "core/html.h"
#include "geo/report.h"

namespace playsight::geo {
namespace {

constexpr double kWidth = 720;
constexpr double kMargin = 24;

std::string shade(double t) {  // t in [0, 1]: #eef3f8 to #08519c
  const auto mix = [&](int from, int to) {
    return static_cast<int>(std::lround(from + (to - from) * t));
  };
  char text[16];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", mix(0xe4, 0x08), mix(0xec, 0x51),
                mix(0xf5, 0x9c));
  return text;
}

}  // namespace

std::string selection_map_svg(const SelectionReport& report) {
  const RegionSet& regions = *report.regions;
  const CoverageProblem& problem = *report.problem;
  double lon_min = 180, lon_max = -180, lat_min = 90, lat_max = -90, max_population = 0;
  double max_weight = 0;
  for (std::size_t r = 0; r < regions.size(); ++r) {
    const Region& region = regions.regions[r];
    lon_min = std::min(lon_min, region.longitude);
    lon_max = std::max(lon_max, region.longitude);
    lat_min = std::min(lat_min, region.latitude);
    lat_max = std::max(lat_max, region.latitude);
    if (region.has_population()) max_population = std::max(max_population, region.population);
    max_weight = std::max(max_weight, problem.region_weight[r]);
  }
  const double shrink = std::cos((lat_min + lat_max) / 2 * std::numbers::pi / 180);
  const double span_x = std::max((lon_max - lon_min) * shrink, 1e-6);
  const double span_y = std::max(lat_max - lat_min, 1e-6);
  const double scale = (kWidth - 2 * kMargin) / span_x;  // pixels per degree of latitude
  const double height = span_y * scale + 2 * kMargin;
  const auto x_of = [&](double lon) { return kMargin + (lon - lon_min) * shrink * scale; };
  const auto y_of = [&](double lat) { return kMargin + (lat_max - lat) * scale; };

  const Selection& chosen = recommended(report);
  std::vector<bool> reached(regions.size(), false);
  for (std::size_t s : chosen.sites)
    for (std::uint32_t r : problem.sites[s].regions) reached[r] = true;

  char text[512];
  std::snprintf(text, sizeof text,
                "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"map of the regions\">\n",
                kWidth, height, kWidth, height);
  std::string out = text;
  // Larger circles first, so that small ones stay visible on top.
  std::vector<std::size_t> order(regions.size());
  for (std::size_t r = 0; r < order.size(); ++r) order[r] = r;
  const auto population_of = [&](std::size_t r) {
    return regions.regions[r].has_population() ? regions.regions[r].population : 0.0;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return population_of(a) > population_of(b);
  });
  for (std::size_t r : order) {
    const Region& region = regions.regions[r];
    const double radius =
        2 + (max_population > 0 ? 12 * std::sqrt(population_of(r) / max_population) : 0);
    const double t = max_weight > 0 ? std::sqrt(problem.region_weight[r] / max_weight) : 0;
    char population[32] = "no population";
    if (region.has_population())
      std::snprintf(population, sizeof population, "population %.0f", region.population);
    std::snprintf(text, sizeof text,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" fill-opacity=\"0.9\" "
                  "stroke=\"%s\" stroke-width=\"%s\"><title>",
                  x_of(region.longitude), y_of(region.latitude), radius,
                  region.has_population() ? shade(t).c_str() : "#c8c8c8",
                  reached[r] ? "#e6550d" : "#7f8c9a", reached[r] ? "2.2" : "0.4");
    out += text;
    std::snprintf(text, sizeof text, " (%s): %s, weight %.1f%s", region.code.c_str(), population,
                  problem.region_weight[r], reached[r] ? ", reached" : "");
    out += escape_html(region.name) + escape_html(text) + "</title></circle>\n";
  }
  for (std::size_t s : chosen.sites) {
    const Site& site = problem.sites[s];
    if (site.radius_km <= 0) continue;
    const double reach = site.radius_km / 111.2 * scale;  // km to degrees of latitude to pixels
    std::snprintf(text, sizeof text,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke=\"#cb181d\" "
                  "stroke-dasharray=\"4 3\" stroke-width=\"1\"/><circle cx=\"%.1f\" cy=\"%.1f\" "
                  "r=\"3\" fill=\"#cb181d\"><title>",
                  x_of(site.longitude), y_of(site.latitude), reach, x_of(site.longitude),
                  y_of(site.latitude));
    out += text;
    out += "site " + escape_html(site.id) + "</title></circle>\n";
  }
  std::snprintf(text, sizeof text,
                "<text x=\"%.0f\" y=\"%.0f\" font-size=\"11\" fill=\"#4a5868\">circle area: "
                "population; colour: weight of target players; orange ring: reached; red: "
                "billboard sites and their reach</text>\n",
                kMargin, height - 6);
  out += text;
  out += "</svg>";
  return out;
}

}  // namespace playsight::geo
