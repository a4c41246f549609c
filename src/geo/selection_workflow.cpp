#include "geo/selection_workflow.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "core/error.h"
#include "geo/selection.h"

namespace playsight::geo {
namespace {

struct WeighedPlayers {
  PlayerWeights weights;
  std::string description;  // for the report: "every player counts 1", ...
};

WeighedPlayers weigh_players(const SelectionRequest& request, const PlayerLocations& locations) {
  const std::string target_text =
      request.target.empty() ? (request.values_path.empty() ? "players" : "value") : request.target;
  const Target target = parse_target(target_text);
  WeighedPlayers out;
  if (target == Target::kPlayers) {
    out.weights = count_weights(locations);
    out.description = "every player counts 1";
  } else if (target == Target::kValue) {
    if (request.values_path.empty())
      throw InputError("--target value needs --values PREDICTIONS.csv");
    out.weights = value_weights(request.values_path, request.value_column, locations);
    out.description = "predicted value (" + out.weights.column + " of " + request.values_path + ")";
  } else {
    if (request.features_path.empty())
      throw InputError("--target " + target_text + " needs --features FEATURES.csv");
    out.weights = segment_weights(request.features_path, target, locations);
    out.description = "players of segment " + target_text + " (" + request.features_path + ")";
  }
  return out;
}

}  // namespace

SelectionOutcome run_selection(const SelectionRequest& request) {
  SelectionOutcome outcome;
  auto regions = std::make_unique<RegionSet>(read_regions(request.regions_path));
  LocationReadOptions location_options;
  location_options.max_distance_km = request.max_distance_km;
  const PlayerLocations locations =
      read_player_locations(request.players_path, *regions, location_options);
  const WeighedPlayers weighed = weigh_players(request, locations);

  auto problem = std::make_unique<CoverageProblem>();
  problem->region_weight = weight_per_region(locations, weighed.weights, regions->size());
  std::string sites_source;
  if (request.sites_path.empty()) {
    if (!(request.region_cost > 0)) throw InputError("--region-cost: a positive cost was expected");
    problem->sites = region_sites(*regions, request.region_cost);
    char text[96];
    std::snprintf(text, sizeof text, "every region is a site of cost %g", request.region_cost);
    sites_source = text;
  } else {
    SiteFile file = read_sites(request.sites_path, *regions);
    problem->sites = std::move(file.sites);
    outcome.sites_reaching_nothing = file.sites_reaching_nothing;
    sites_source = request.sites_path;
  }
  check_budget(*problem, request.budget);

  SelectionReport& report = outcome.report;
  report.regions = regions.get();
  report.problem = problem.get();
  report.target = weighed.description;
  report.sites_source = sites_source;
  report.players = locations.player_ids.size();
  report.players_missing = weighed.weights.players_missing;
  report.players_weighted = weighed.weights.players_weighted;
  report.budget = request.budget;
  report.generated_by = request.generated_by;
  report.greedy = greedy_selection(*problem, request.budget);
  if (request.exact) {
    if (!(request.time_limit_seconds > 0))
      throw InputError("--time-limit: a positive number of seconds");
    ExactOptions options;
    options.time_limit_seconds = request.time_limit_seconds;
    options.start = &report.greedy.chosen;
    report.exact = exact_selection(*problem, request.budget, options);
  }
  report.curve =
      coverage_curve(*problem, request.budget, std::max<std::size_t>(request.curve_points, 2));

  std::set<std::uint32_t> reached;
  for (std::size_t s : recommended(report).sites)
    for (std::uint32_t r : problem->sites[s].regions) reached.insert(r);
  for (std::uint32_t r : reached) outcome.reached_regions.push_back(regions->regions[r].code);

  outcome.regions = std::move(regions);
  outcome.problem = std::move(problem);
  return outcome;
}

}  // namespace playsight::geo
