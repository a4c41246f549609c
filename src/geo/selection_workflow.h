#pragma once
// The selection workflow of `playsight geo select`, from files to a finished report: read the
// regions and where the players are, weigh the players by the target (every player, a predicted
// value, or a segment of the feature table), build the sites (every region, or a sites file),
// check the budget, choose with the lazy greedy (selection.h) and, when asked, the exact solver
// (exact.h), and trace the coverage curve. The caller writes the report (report.h) and says what
// happened.
//
// Bad input throws InputError with a message naming the command-line flag concerned ("--target
// value needs --values PREDICTIONS.csv", "--budget: 2 is below the cheapest site's cost (5)"), as
// the readers of this part do.
// Thread-safety: reentrant.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "geo/coverage.h"
#include "geo/exact.h"
#include "geo/player_regions.h"
#include "geo/regions.h"
#include "geo/report.h"

namespace playsight::geo {

struct SelectionRequest {
  std::string regions_path;   // region CSV (regions.h)
  std::string players_path;   // player_id,region_code or player_id,latitude,longitude
  std::string values_path;    // player_id and a predicted value; "" for none
  std::string value_column;   // column of values_path; "": the first predicted_topup_amount_*
  std::string features_path;  // features.csv, for the segment targets; "" for none
  std::string target;         // target_name() of a Target; "": value with values_path, else players
  std::string sites_path;     // sites CSV; "": every region is a site of cost region_cost
  double budget = 0;          // in the unit of the site costs
  double region_cost = 1;     // cost of a region when there is no sites file
  bool exact = false;         // also solve the integer program
  double time_limit_seconds = ExactOptions{}.time_limit_seconds;
  double max_distance_km = LocationReadOptions{}.max_distance_km;
  std::size_t curve_points = 20;  // budgets on the coverage curve (at least 2 are drawn)
  std::string generated_by;       // "playsight 1.2.3", for the report
};

struct SelectionOutcome {
  // Held apart so that the report's pointers stay valid when the outcome moves.
  std::unique_ptr<const RegionSet> regions;
  std::unique_ptr<const CoverageProblem> problem;
  SelectionReport report;                  // points into *regions and *problem
  std::size_t sites_reaching_nothing = 0;  // billboard sites with no centroid within their radius
  // Codes of the regions reached by the recommended selection, ascending by region index.
  std::vector<std::string> reached_regions;
};

SelectionOutcome run_selection(const SelectionRequest& request);

}  // namespace playsight::geo
