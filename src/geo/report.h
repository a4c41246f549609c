#pragma once
// Reports of `playsight geo`: what was chosen and why (select), and whether it worked (lift,
// design). Each is JSON for machines and one self-contained HTML page for people: tables, a
// Chart.js chart embedded from core/html.h, and for selection an SVG map (regions drawn at their
// centroids as circles sized by population, shaded by the weight of their target players, with
// the chosen sites and the regions they reach outlined; no boundaries are needed, so any region
// set in the CSV form can be drawn).
// Thread-safety: pure functions.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "geo/coverage.h"
#include "geo/design.h"
#include "geo/exact.h"
#include "geo/lift.h"
#include "geo/player_regions.h"
#include "geo/regions.h"
#include "geo/selection.h"

namespace playsight::geo {

struct SelectionReport {
  const RegionSet* regions = nullptr;
  const CoverageProblem* problem = nullptr;
  std::string target;        // "value (predicted_topup_amount_30d of predictions.csv)", ...
  std::string sites_source;  // "every region (cost 1)" or the sites file
  std::size_t players = 0, players_missing = 0, players_weighted = 0;
  double budget = 0;
  GreedyResult greedy;
  std::optional<ExactResult> exact;
  std::vector<CurvePoint> curve;
  std::string generated_by;
};

// The selection that the report recommends: the exact one when it was solved, else the greedy.
const Selection& recommended(const SelectionReport& report);

nlohmann::ordered_json selection_json(const SelectionReport& report);
std::string selection_html(const SelectionReport& report);
// rank, site_id, cost, weight_added, weight_reached, cost_spent, share_of_total, regions
std::string selection_csv(const SelectionReport& report);
// The map alone (an <svg> element).
std::string selection_map_svg(const SelectionReport& report);

nlohmann::ordered_json lift_json(const LiftAnalysis& analysis, const std::string& kpi_path);
std::string lift_html(const LiftAnalysis& analysis, const std::string& kpi_path,
                      const std::string& generated_by);
nlohmann::ordered_json design_json(const Design& design, const DesignOptions& options);

}  // namespace playsight::geo
