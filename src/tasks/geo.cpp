// playsight geo: where should the billboards go, and did they work? Tasks:
//   geo select             choose regions or billboard sites within a budget
//                          (geo/selection_workflow.h)
//   geo lift               measure a campaign's lift on a daily KPI per region (geo/lift.h)
//   geo design             pick treated and control regions, and the smallest detectable lift
//                          (geo/design.h)
//   geo simulate-players   place generated players in regions (geo/player_placement.h)
//   geo simulate-campaign  a daily KPI per region with a known lift (geo/campaign_workflow.h)
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "geo/campaign_workflow.h"
#include "geo/design.h"
#include "geo/exact.h"
#include "geo/kpi.h"
#include "geo/lift.h"
#include "geo/player_placement.h"
#include "geo/regions.h"
#include "geo/report.h"
#include "geo/selection_workflow.h"
#include "playsight/version.h"
#include "tasks/catalog.h"

namespace playsight::tasks {
namespace {

namespace fs = std::filesystem;

std::string generated_by() {
  return std::string("playsight ") + kVersion;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  write_file(path, text);
}

// A count (days, draws, regions): a whole number, never negative.
Option count_option(std::string name, std::string help, std::size_t default_value) {
  return Option::integer(std::move(name), std::move(help), static_cast<long long>(default_value))
      .at_least(0);
}

std::size_t size_of(const Values& values, const std::string& name) {
  return static_cast<std::size_t>(values.integer(name));
}

std::uint64_t seed_of(const Values& values) {
  return static_cast<std::uint64_t>(values.integer("seed"));
}

// --- select -------------------------------------------------------------------------------

Result run_select(const Values& values, Progress&) {
  geo::SelectionRequest request;
  request.regions_path = values.text("regions");
  request.players_path = values.text("players");
  request.values_path = values.text("values");
  request.value_column = values.text("value-column");
  request.features_path = values.text("features");
  request.target = values.text("target");
  request.sites_path = values.text("sites");
  request.budget = values.number("budget");
  request.region_cost = values.number("region-cost");
  request.exact = values.flag("exact");
  request.time_limit_seconds = values.number("time-limit");
  request.max_distance_km = values.number("max-distance-km");
  request.curve_points = size_of(values, "curve-points");
  request.generated_by = generated_by();
  const geo::SelectionOutcome outcome = geo::run_selection(request);
  const geo::SelectionReport& report = outcome.report;
  const geo::RegionSet& regions = *outcome.regions;
  const geo::CoverageProblem& problem = *outcome.problem;

  const std::string& folder = values.text("out");
  fs::create_directories(folder);
  const std::string out = folder + "/";
  write_file(out + "selection.csv", geo::selection_csv(report));
  write_file(out + "selection.json", geo::selection_json(report).dump(2) + "\n");
  write_file(out + "selection.html", geo::selection_html(report));
  write_lines(out + "selected_regions.txt", outcome.reached_regions);

  std::printf(
      "%zu regions (%zu without population), %zu sites, %zu players located (%zu with "
      "weight; %zu missing from the weight file, counted 0)\n",
      regions.size(), regions.without_population.size(), problem.sites.size(), report.players,
      report.players_weighted, report.players_missing);
  if (outcome.sites_reaching_nothing > 0)
    std::printf("%zu sites reach no region centroid and can add nothing\n",
                outcome.sites_reaching_nothing);
  const double total = problem.total_weight();
  const auto share = [&](double v) { return total > 0 ? 100 * v / total : 0.0; };
  std::printf("Target: %s; total weight %.1f; budget %g\n", report.target.c_str(), total,
              report.budget);
  const geo::Selection& g = report.greedy.chosen;
  std::printf(
      "greedy (%s, lazy: %zu gain evaluations): %zu sites, cost %g, weight %.1f (%.1f%%); "
      "guarantee >= %.3f of the optimum\n",
      g.method.c_str(), report.greedy.ratio_greedy.gain_evaluations, g.sites.size(), g.cost,
      g.value, share(g.value), report.greedy.guarantee);
  if (report.exact) {
    const geo::ExactResult& e = *report.exact;
    std::printf(
        "exact (%s, %.2f s, %s): %zu sites, cost %g, weight %.1f (%.1f%%), bound %.1f, "
        "gap %.2f%%; greedy / optimum = %.4f\n",
        geo::exact_solver_name().c_str(), e.seconds, e.optimal ? "optimal" : "time limit",
        e.selection.sites.size(), e.selection.cost, e.selection.value, share(e.selection.value),
        e.upper_bound, 100 * e.gap,
        e.upper_bound > 0 ? g.value / (e.optimal ? e.selection.value : e.upper_bound) : 1.0);
  }
  std::printf("Wrote %sselection.{csv,json,html} and selected_regions.txt (%zu regions reached)\n",
              out.c_str(), outcome.reached_regions.size());
  return {{{"csv", out + "selection.csv"},
           {"report", out + "selection.json"},
           {"html", out + "selection.html"},
           {"regions", out + "selected_regions.txt"}}};
}

// --- lift and design ----------------------------------------------------------------------

Result run_lift(const Values& values, Progress&) {
  geo::LiftOptions options;
  options.start = parse_date(values.text("start"));
  if (values.has("end")) options.end = parse_date(values.text("end")) + 1;
  options.pre_days = size_of(values, "pre-days");
  options.confidence = values.number("confidence");
  options.placebo_draws = size_of(values, "placebo-draws");
  options.seed = seed_of(values);
  const std::string& kpi = values.text("kpi");
  const std::string& out = values.text("out");
  const geo::KpiPanel panel = geo::read_kpi(kpi, geo::parse_gap_handling(values.text("gaps")));
  const std::vector<std::string> treated = geo::read_region_list(values.text("treated"));
  const geo::LiftAnalysis analysis = geo::analyse_lift(panel, treated, options);
  fs::create_directories(out);
  write_file(out + "/lift.json", geo::lift_json(analysis, kpi).dump(2) + "\n");
  write_file(out + "/lift.html", geo::lift_html(analysis, kpi, generated_by()));
  if (!panel.dropped_regions.empty()) {
    std::printf("%zu regions left out for gaps in their series (%zu values; first %s)\n",
                panel.dropped_regions.size(), panel.dropped_values,
                panel.dropped_regions.front().c_str());
  }
  if (!analysis.left_out.empty())
    std::printf("%zu regions left out: KPI 0 in the baseline or the campaign window\n",
                analysis.left_out.size());
  const geo::LiftEstimate& e = analysis.estimate;
  std::printf(
      "Lift %+.2f%% [%+.2f%%, %+.2f%%] (%.0f%% interval), p = %.3g; %zu treated, %zu "
      "control regions; baseline %s .. %s, campaign %s .. %s\n",
      100 * e.lift, 100 * e.lift_low, 100 * e.lift_high, 100 * options.confidence, e.p_value,
      e.treated, e.control, format_date(analysis.baseline_start).c_str(),
      format_date(analysis.start - 1).c_str(), format_date(analysis.start).c_str(),
      format_date(analysis.end - 1).c_str());
  const geo::PlaceboCheck& p = analysis.placebo_regions;
  std::printf(
      "Placebo, untreated regions: %zu of %zu significant (%.1f%%, nominal %.1f%%); "
      "permutation p = %.3g\n",
      p.rejected, p.draws, 100 * p.rejection_rate, 100 * p.nominal_rate, p.permutation_p_value);
  std::printf("Placebo, baseline halves: %+.2f%% [%+.2f%%, %+.2f%%], p = %.3g\n",
              100 * analysis.placebo_time.lift, 100 * analysis.placebo_time.lift_low,
              100 * analysis.placebo_time.lift_high, analysis.placebo_time.p_value);
  std::printf("Wrote %s/lift.json and lift.html\n", out.c_str());
  return {{{"report", out + "/lift.json"}, {"html", out + "/lift.html"}}};
}

Result run_design(const Values& values, Progress&) {
  geo::DesignOptions options;
  options.treated_count = size_of(values, "treated-count");
  options.post_days = size_of(values, "post-days");
  options.confidence = values.number("confidence");
  options.power = values.number("power");
  options.seed = seed_of(values);
  const std::string& out = values.text("out");
  geo::KpiPanel history =
      geo::read_kpi(values.text("kpi"), geo::parse_gap_handling(values.text("gaps")));
  if (values.has("until")) history = geo::panel_until(history, parse_date(values.text("until")));
  const std::vector<std::string> treated = values.has("treated")
                                               ? geo::read_region_list(values.text("treated"))
                                               : std::vector<std::string>{};
  const geo::Design design = geo::plan_design(history, treated, options);
  fs::create_directories(out);
  write_file(out + "/design.json", geo::design_json(design, options).dump(2) + "\n");
  write_lines(out + "/treated_regions.txt", design.treated);
  write_lines(out + "/control_regions.txt", design.control);
  std::printf("%zu treated, %zu control regions (%zu left out: KPI 0 in a backtest window)\n",
              design.treated.size(), design.control.size(), design.left_out.size());
  std::printf(
      "Smallest detectable lift over %zu days: %+.2f%% (%.0f%% confidence, %.0f%% power; "
      "SE %.4f on the log scale from %zu backtests of the history)\n",
      options.post_days, 100 * design.mde_lift, 100 * options.confidence, 100 * options.power,
      design.standard_error, design.backtests);
  std::printf("Wrote %s/design.json, treated_regions.txt and control_regions.txt\n", out.c_str());
  return {{{"report", out + "/design.json"},
           {"treated", out + "/treated_regions.txt"},
           {"control", out + "/control_regions.txt"}}};
}

// --- simulations --------------------------------------------------------------------------

Result run_place(const Values& values, Progress&) {
  const std::string& out = values.text("out");
  const geo::RegionSet regions = geo::read_regions(values.text("regions"));
  const geo::PlayersToPlace players = geo::read_players_to_place(values.text("players"));
  const std::vector<std::uint32_t> region = geo::place_players(regions, players, seed_of(values));
  geo::write_player_regions(out, regions, players, region);
  std::vector<std::size_t> count(regions.size(), 0);
  for (std::uint32_t r : region) ++count[r];
  std::size_t occupied = 0;
  for (std::size_t c : count) occupied += c > 0;
  std::printf(
      "Placed %zu players in %zu of %zu regions (%zu regions without population get "
      "none); wrote %s\n",
      region.size(), occupied, regions.size(), regions.without_population.size(), out.c_str());
  return {{{"player_regions", out}}};
}

Result run_campaign(const Values& values, Progress&) {
  geo::CampaignRequest request;
  request.regions_path = values.text("regions");
  request.players_path = values.text("players");
  request.treated_path = values.text("treated");
  request.treated_count = size_of(values, "treated-count");
  geo::CampaignOptions& options = request.options;
  options.lift = values.number("lift");
  options.start = parse_date(values.text("start"));
  options.pre_days = size_of(values, "pre-days");
  options.post_days = size_of(values, "post-days");
  options.daily_rate = values.number("daily-rate");
  options.noise_sd = values.number("noise-sd");
  options.seed = seed_of(values);
  const std::string& out = values.text("out");
  const geo::CampaignOutcome outcome = geo::run_campaign_simulation(request);
  const geo::SimulatedCampaign& campaign = outcome.campaign;
  fs::create_directories(out);
  geo::write_kpi(out + "/kpi.csv", campaign.panel);
  write_lines(out + "/treated_regions.txt", campaign.treated);
  nlohmann::ordered_json truth;
  truth["true_lift"] = campaign.true_lift;
  truth["start"] = format_date(campaign.start);
  truth["end"] = format_date(campaign.end - 1);
  truth["treated"] = campaign.treated;
  truth["base"] = outcome.base;
  truth["daily_rate"] = options.daily_rate;
  truth["noise_sd"] = options.noise_sd;
  truth["noise_autocorrelation"] = options.noise_autocorrelation;
  truth["seed"] = options.seed;
  write_file(out + "/campaign_truth.json", truth.dump(2) + "\n");
  std::printf(
      "Simulated %zu regions x %zu days (campaign %s .. %s, true lift %+.1f%% in %zu "
      "treated regions; base: %s); wrote %s/kpi.csv, treated_regions.txt and "
      "campaign_truth.json\n",
      campaign.panel.regions.size(), campaign.panel.days, format_date(campaign.start).c_str(),
      format_date(campaign.end - 1).c_str(), 100 * campaign.true_lift, campaign.treated.size(),
      outcome.base.c_str(), out.c_str());
  return {{{"kpi", out + "/kpi.csv"},
           {"treated", out + "/treated_regions.txt"},
           {"truth", out + "/campaign_truth.json"}}};
}

}  // namespace

std::vector<Task> geo_tasks() {
  const geo::SelectionRequest select_defaults;
  const geo::LiftOptions lift_defaults;
  const geo::DesignOptions design_defaults;
  const geo::CampaignRequest campaign_defaults;
  const geo::CampaignOptions& simulation_defaults = campaign_defaults.options;
  return {
      {.name = "geo select",
       .part = "geo",
       .summary = "Choose regions or billboard sites that reach the most target players within a "
                  "budget: lazy greedy with its guarantee, and the exact optimum (--exact).",
       .options = {Option::path("regions", "Region CSV (code, name, centroid_lon, ...)").needed(),
                   Option::path(
                       "players",
                       "CSV of player_id and region_code, or player_id, latitude, longitude")
                       .needed(),
                   Option::path("values", "CSV of player_id and a predicted value (predict)"),
                   Option::text("value-column",
                                "Column of --values (default: the first predicted_topup_amount_*)"),
                   Option::path("features", "features.csv, for the segment targets"),
                   Option::text(
                       "target",
                       "players, value, payer, lapsed_payer or active (default: value with "
                       "--values, else players)"),
                   Option::number("budget", "Budget, in the unit of the site costs", 0)
                       .without_default()
                       .needed(),
                   Option::path("sites",
                                "Sites CSV: site_id, cost and region_code, or longitude, latitude, "
                                "radius_km (default: every region is a site)"),
                   Option::number("region-cost", "Cost of a region without --sites",
                                  select_defaults.region_cost),
                   Option::flag("exact", "Also solve the integer program exactly (GLPK)"),
                   Option::number("time-limit", "Seconds for the exact solver",
                                  select_defaults.time_limit_seconds),
                   Option::number("max-distance-km",
                                  "Coordinates farther than this from every centroid are an error",
                                  select_defaults.max_distance_km),
                   count_option("curve-points", "Budgets on the coverage curve",
                                select_defaults.curve_points),
                   shared::out("Output folder", "geo-select")},
       .run = run_select,
       .outputs = {{"csv", "selection.csv", "",
                    "the ranked list: rank, site_id, cost, weight_added, weight_reached, "
                    "cost_spent, share_of_total, regions"},
                   {"report", "selection.json", "",
                    "the selection: greedy, exact (with --exact), the recommended sites and the "
                    "coverage curve"},
                   {"html", "selection.html", "",
                    "the report: summary, map, coverage curve against budget, ranked list"},
                   {"regions", "selected_regions.txt", "",
                    "codes of the regions the recommended sites reach, one per line"}},
       .examples = {{"playsight geo select --regions data/korea/municipalities.csv --players "
                     "/tmp/player_regions.csv --features /tmp/features.csv --target payer "
                     "--budget 20 --exact --out /tmp/geo-select",
                     "chooses 20 regions (every region a site of cost 1) for the most payers, "
                     "greedy and exact"},
                    {"playsight geo select --regions data/korea/municipalities.csv --players "
                     "/tmp/player_regions.csv --values /tmp/predictions.csv --budget 20 --exact "
                     "--out /tmp/geo-value",
                     "... or for the most predicted value (predictions.csv of playsight "
                     "predict)"}},
       .details =
           "The weight of a region is the summed weight of its target players; choosing sites "
           "within a budget to maximise the weight reached is budgeted maximum coverage. The "
           "greedy takes the site with the most new weight per unit of cost while it fits (lazy "
           "evaluation) and returns the better of that and the best single site: at least (1 - "
           "1/e)/2 of the optimum for any costs, 1 - 1/e with uniform costs. --exact solves the "
           "integer program with GLPK, starting from the greedy, within --time-limit; at the limit "
           "it reports its best selection, the bound and the gap.",
       .job = true},
      {.name = "geo lift",
       .part = "geo",
       .summary = "Estimate a campaign's lift on a daily KPI per region, with an interval and "
                  "placebo checks.",
       .options =
           {Option::path("kpi", "CSV of region_code, date, value").needed(),
            Option::path("treated", "File of treated region codes, one per line").needed(),
            Option::date("start", "First campaign day, YYYY-MM-DD").needed(),
            Option::date("end", "Last campaign day (default: the last date of --kpi)"),
            count_option("pre-days", "Baseline days before --start (0: all)",
                         lift_defaults.pre_days),
            Option::number("confidence", "Interval confidence", lift_defaults.confidence),
            count_option("placebo-draws", "Placebo sets of regions", lift_defaults.placebo_draws),
            shared::seed("Seed of the placebo draws", static_cast<long long>(lift_defaults.seed)),
            Option::text("gaps", "error or drop-region: what a series with gaps does", "error"),
            shared::out("Output folder", "geo-lift")},
       .run = run_lift,
       .outputs = {{"report", "lift.json", "",
                    "the estimate with its interval and both placebo checks"},
                   {"html", "lift.html", "",
                    "the report: the estimate, the placebo checks, each group's daily KPI "
                    "relative to its baseline"}},
       .examples = {{"playsight geo lift --kpi /tmp/geo-campaign/kpi.csv --treated "
                     "/tmp/geo-select/selected_regions.txt --start 2026-10-01 --out /tmp/geo-lift",
                     "after a campaign: the lift with its interval and the placebo checks"}},
       .details =
           "Difference in differences on the log scale with regions as the unit: for each region, "
           "the log of its mean KPI in the campaign window over its mean before; the lift is "
           "exp(mean over treated - mean over control) - 1, with Welch's interval. Placebo checks: "
           "random sets of untreated regions analysed as if treated, and the baseline split in two "
           "halves. Regions whose mean KPI is 0 in a period are left out and counted.",
       .job = true},
      {.name = "geo design",
       .part = "geo",
       .summary = "Before a campaign: treated and control regions and the smallest detectable "
                  "lift, from the KPI history.",
       .options = {Option::path("kpi", "KPI history: CSV of region_code, date, value").needed(),
                   Option::path("treated", "Treated region codes (e.g. from geo select)"),
                   Option::date("until", "Last day of history to use (default: all of --kpi)"),
                   count_option("treated-count",
                                "Without --treated: draw this many, stratified by KPI level",
                                design_defaults.treated_count),
                   count_option("post-days", "Planned campaign days", design_defaults.post_days),
                   Option::number("confidence", "Confidence of the analysis",
                                  design_defaults.confidence),
                   Option::number("power", "Power at the detectable lift", design_defaults.power),
                   shared::seed("Seed of the draw", static_cast<long long>(design_defaults.seed)),
                   Option::text("gaps", "error or drop-region", "error"),
                   shared::out("Output folder", "geo-design")},
       .run = run_design,
       .outputs = {{"report", "design.json", "",
                    "the design: groups, standard error, smallest detectable lift"},
                   {"treated", "treated_regions.txt", "", "treated region codes, one per line"},
                   {"control", "control_regions.txt", "", "control region codes, one per line"}},
       .examples = {{"playsight geo design --kpi /tmp/geo-campaign/kpi.csv --until 2026-09-30 "
                     "--treated /tmp/geo-select/selected_regions.txt --post-days 28 --out "
                     "/tmp/geo-design",
                     "before a campaign: controls and the smallest detectable lift, from the "
                     "history up to the day before"}},
       .details =
           "Takes the treated regions (or draws --treated-count, one from each stratum of regions "
           "of similar KPI level), uses every other region as control, and predicts the lift "
           "analysis's standard error from backtests on the history: windows of --post-days at its "
           "end analysed as if a campaign had run. The smallest detectable lift is (t quantile of "
           "the confidence + t quantile of the power) x SE on the log scale.",
       .job = true},
      {.name = "geo simulate-players",
       .part = "geo",
       .summary = "Place generated players (players.csv) in regions: by population, younger "
                  "players more urban. Writes player_id,region_code.",
       .options = {Option::path("regions", "Region CSV").needed(),
                   Option::path("players", "players.csv of playsight generate").needed(),
                   shared::seed("Random seed", 42),
                   shared::out("Output CSV", "player_regions.csv")},
       .run = run_place,
       .outputs = {{"player_regions", "player_regions.csv", "",
                    "player_id,region_code (--out is this file)"}},
       .examples = {{"playsight geo simulate-players --regions data/korea/municipalities.csv "
                     "--players /tmp/logs/players.csv --out /tmp/player_regions.csv",
                     "places the players of generated logs in South Korea's municipalities"}},
       .details = "Each player goes to a region drawn by population, younger players more often to "
                  "dense regions; regions without population get none.",
       .job = false},
      {.name = "geo simulate-campaign",
       .part = "geo",
       .summary =
           "Write a daily KPI per region with a known lift in treated regions, and the truth.",
       .options = {Option::path("regions", "Region CSV").needed(),
                   Option::path("players",
                                "player_id,region_code: KPI in proportion to players (default: "
                                "population)"),
                   Option::path("treated", "Treated region codes (default: a random draw)"),
                   count_option("treated-count", "Regions drawn without --treated",
                                campaign_defaults.treated_count),
                   Option::number("lift", "True relative lift", simulation_defaults.lift),
                   Option::date("start", "First campaign day",
                                format_date(simulation_defaults.start)),
                   count_option("pre-days", "Days before it", simulation_defaults.pre_days),
                   count_option("post-days", "Campaign days", simulation_defaults.post_days),
                   Option::number("daily-rate",
                                  "Expected KPI per day per player (with --players) or per 1,000 "
                                  "persons",
                                  simulation_defaults.daily_rate),
                   Option::number("noise-sd", "SD of a region's daily log noise",
                                  simulation_defaults.noise_sd),
                   shared::seed("Random seed", static_cast<long long>(simulation_defaults.seed)),
                   shared::out("Output folder", "geo-campaign")},
       .run = run_campaign,
       .outputs = {{"kpi", "kpi.csv", "", "region_code,date,value: the daily KPI per region"},
                   {"treated", "treated_regions.txt", "", "treated region codes, one per line"},
                   {"truth", "campaign_truth.json", "",
                    "the true lift, the campaign window, the treated regions and the "
                    "simulation's settings"}},
       .examples = {{"playsight geo simulate-campaign --regions data/korea/municipalities.csv "
                     "--players /tmp/player_regions.csv --treated "
                     "/tmp/geo-select/selected_regions.txt --lift 0.05 --daily-rate 0.05 --out "
                     "/tmp/geo-campaign",
                     "a campaign in the chosen regions with a known lift (+5 %): a daily KPI per "
                     "region and the truth"}},
       .details = "KPI(region, day) is Poisson around daily rate x base x a weekly cycle and a "
                  "shared national drift x the region's AR(1) log noise, times (1 + lift) in "
                  "treated regions from --start. The base is the region's players (with --players) "
                  "or its population / 1000. Writes the truth beside the KPI so that geo lift and "
                  "geo design can be checked against it.",
       .job = false},
  };
}

}  // namespace playsight::tasks
