// playsight geo: where should the billboards go, and did they work? Subcommands:
//   select             choose regions or billboard sites within a budget (geo/selection.h, exact.h)
//   lift               measure a campaign's lift on a daily KPI per region (geo/lift.h)
//   design             pick treated and control regions, and the smallest detectable lift
//   simulate-players   place generated players in regions (geo/player_placement.h)
//   simulate-campaign  a daily KPI per region with a known lift (geo/campaign_simulation.h)
#include <cstdio>
#include <filesystem>
#include <memory>
#include <numeric>
#include <set>

#include "cli/commands.h"
#include "core/error.h"
#include "core/random.h"
#include "core/table.h"
#include "core/time.h"
#include "geo/campaign_simulation.h"
#include "geo/coverage.h"
#include "geo/design.h"
#include "geo/exact.h"
#include "geo/kpi.h"
#include "geo/lift.h"
#include "geo/player_placement.h"
#include "geo/player_regions.h"
#include "geo/regions.h"
#include "geo/report.h"
#include "geo/selection.h"
#include "playsight/version.h"

namespace playsight::cli {
namespace {

namespace fs = std::filesystem;

std::string generated_by() {
  return std::string("playsight ") + kVersion;
}

Days date_flag(const std::string& flag, const std::string& text) {
  try {
    return parse_date(text);
  } catch (const FieldError& error) {
    throw InputError(flag + ": " + error.what());
  }
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  write_file(path, text);
}

// --- select -------------------------------------------------------------------------------

struct SelectFlags {
  std::string regions, players, values, value_column, features, target, sites, out = "geo-select";
  double budget = 0, region_cost = 1, time_limit = 60, max_distance_km = 60;
  bool exact = false;
  std::size_t curve_points = 20;
};

void run_select(const SelectFlags& flags) {
  const geo::RegionSet regions = geo::read_regions(flags.regions);
  geo::LocationReadOptions location_options;
  location_options.max_distance_km = flags.max_distance_km;
  const geo::PlayerLocations locations =
      geo::read_player_locations(flags.players, regions, location_options);
  const std::string target_text =
      flags.target.empty() ? (flags.values.empty() ? "players" : "value") : flags.target;
  const geo::Target target = geo::parse_target(target_text);
  geo::PlayerWeights weights;
  std::string target_description;
  if (target == geo::Target::kPlayers) {
    weights = geo::count_weights(locations);
    target_description = "every player counts 1";
  } else if (target == geo::Target::kValue) {
    if (flags.values.empty()) throw InputError("--target value needs --values PREDICTIONS.csv");
    weights = geo::value_weights(flags.values, flags.value_column, locations);
    target_description = "predicted value (" + weights.column + " of " + flags.values + ")";
  } else {
    if (flags.features.empty())
      throw InputError("--target " + target_text + " needs --features FEATURES.csv");
    weights = geo::segment_weights(flags.features, target, locations);
    target_description = "players of segment " + target_text + " (" + flags.features + ")";
  }

  geo::CoverageProblem problem;
  problem.region_weight = geo::weight_per_region(locations, weights, regions.size());
  std::string sites_source;
  std::size_t sites_reaching_nothing = 0;
  if (flags.sites.empty()) {
    if (!(flags.region_cost > 0)) throw InputError("--region-cost: a positive cost was expected");
    problem.sites = geo::region_sites(regions, flags.region_cost);
    char text[96];
    std::snprintf(text, sizeof text, "every region is a site of cost %g", flags.region_cost);
    sites_source = text;
  } else {
    geo::SiteFile file = geo::read_sites(flags.sites, regions);
    problem.sites = std::move(file.sites);
    sites_reaching_nothing = file.sites_reaching_nothing;
    sites_source = flags.sites;
  }
  geo::check_budget(problem, flags.budget);

  geo::SelectionReport report;
  report.regions = &regions;
  report.problem = &problem;
  report.target = target_description;
  report.sites_source = sites_source;
  report.players = locations.player_ids.size();
  report.players_missing = weights.players_missing;
  report.players_weighted = weights.players_weighted;
  report.budget = flags.budget;
  report.generated_by = generated_by();
  report.greedy = geo::greedy_selection(problem, flags.budget);
  if (flags.exact) {
    if (!(flags.time_limit > 0)) throw InputError("--time-limit: a positive number of seconds");
    geo::ExactOptions options;
    options.time_limit_seconds = flags.time_limit;
    options.start = &report.greedy.chosen;
    report.exact = geo::exact_selection(problem, flags.budget, options);
  }
  report.curve =
      geo::coverage_curve(problem, flags.budget, std::max<std::size_t>(flags.curve_points, 2));

  fs::create_directories(flags.out);
  const std::string out = flags.out + "/";
  write_file(out + "selection.csv", geo::selection_csv(report));
  write_file(out + "selection.json", geo::selection_json(report).dump(2) + "\n");
  write_file(out + "selection.html", geo::selection_html(report));
  const geo::Selection& chosen = geo::recommended(report);
  std::set<std::uint32_t> reached;
  for (std::size_t s : chosen.sites)
    for (std::uint32_t r : problem.sites[s].regions) reached.insert(r);
  std::vector<std::string> reached_codes;
  for (std::uint32_t r : reached) reached_codes.push_back(regions.regions[r].code);
  write_lines(out + "selected_regions.txt", reached_codes);

  std::printf(
      "%zu regions (%zu without population), %zu sites, %zu players located (%zu with "
      "weight; %zu missing from the weight file, counted 0)\n",
      regions.size(), regions.without_population.size(), problem.sites.size(),
      locations.player_ids.size(), weights.players_weighted, weights.players_missing);
  if (sites_reaching_nothing > 0)
    std::printf("%zu sites reach no region centroid and can add nothing\n", sites_reaching_nothing);
  const double total = problem.total_weight();
  const auto share = [&](double v) { return total > 0 ? 100 * v / total : 0.0; };
  std::printf("Target: %s; total weight %.1f; budget %g\n", target_description.c_str(), total,
              flags.budget);
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
              out.c_str(), reached_codes.size());
}

// --- lift and design ----------------------------------------------------------------------

struct LiftFlags {
  std::string kpi, treated, start, end, gaps = "error", out = "geo-lift";
  geo::LiftOptions options;
};

void run_lift(LiftFlags& flags) {
  flags.options.start = date_flag("--start", flags.start);
  if (!flags.end.empty()) flags.options.end = date_flag("--end", flags.end) + 1;
  const geo::KpiPanel panel = geo::read_kpi(flags.kpi, geo::parse_gap_handling(flags.gaps));
  const std::vector<std::string> treated = geo::read_region_list(flags.treated);
  const geo::LiftAnalysis analysis = geo::analyse_lift(panel, treated, flags.options);
  fs::create_directories(flags.out);
  write_file(flags.out + "/lift.json", geo::lift_json(analysis, flags.kpi).dump(2) + "\n");
  write_file(flags.out + "/lift.html", geo::lift_html(analysis, flags.kpi, generated_by()));
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
      100 * e.lift, 100 * e.lift_low, 100 * e.lift_high, 100 * flags.options.confidence, e.p_value,
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
  std::printf("Wrote %s/lift.json and lift.html\n", flags.out.c_str());
}

struct DesignFlags {
  std::string kpi, treated, until, gaps = "error", out = "geo-design";
  geo::DesignOptions options;
};

void run_design(const DesignFlags& flags) {
  geo::KpiPanel history = geo::read_kpi(flags.kpi, geo::parse_gap_handling(flags.gaps));
  if (!flags.until.empty()) history = geo::panel_until(history, date_flag("--until", flags.until));
  const std::vector<std::string> treated =
      flags.treated.empty() ? std::vector<std::string>{} : geo::read_region_list(flags.treated);
  const geo::Design design = geo::plan_design(history, treated, flags.options);
  fs::create_directories(flags.out);
  write_file(flags.out + "/design.json", geo::design_json(design, flags.options).dump(2) + "\n");
  write_lines(flags.out + "/treated_regions.txt", design.treated);
  write_lines(flags.out + "/control_regions.txt", design.control);
  std::printf("%zu treated, %zu control regions (%zu left out: KPI 0 in a backtest window)\n",
              design.treated.size(), design.control.size(), design.left_out.size());
  std::printf(
      "Smallest detectable lift over %zu days: %+.2f%% (%.0f%% confidence, %.0f%% power; "
      "SE %.4f on the log scale from %zu backtests of the history)\n",
      flags.options.post_days, 100 * design.mde_lift, 100 * flags.options.confidence,
      100 * flags.options.power, design.standard_error, design.backtests);
  std::printf("Wrote %s/design.json, treated_regions.txt and control_regions.txt\n",
              flags.out.c_str());
}

// --- simulations --------------------------------------------------------------------------

struct PlaceFlags {
  std::string regions, players, out = "player_regions.csv";
  std::uint64_t seed = 42;
};

void run_place(const PlaceFlags& flags) {
  const geo::RegionSet regions = geo::read_regions(flags.regions);
  const geo::PlayersToPlace players = geo::read_players_to_place(flags.players);
  const std::vector<std::uint32_t> region = geo::place_players(regions, players, flags.seed);
  geo::write_player_regions(flags.out, regions, players, region);
  std::vector<std::size_t> count(regions.size(), 0);
  for (std::uint32_t r : region) ++count[r];
  std::size_t occupied = 0;
  for (std::size_t c : count) occupied += c > 0;
  std::printf(
      "Placed %zu players in %zu of %zu regions (%zu regions without population get "
      "none); wrote %s\n",
      region.size(), occupied, regions.size(), regions.without_population.size(),
      flags.out.c_str());
}

struct CampaignFlags {
  std::string regions, players, treated, start = "2026-10-01", out = "geo-campaign";
  std::size_t treated_count = 20;
  geo::CampaignOptions options;
};

void run_campaign(CampaignFlags& flags) {
  flags.options.start = date_flag("--start", flags.start);
  const geo::RegionSet regions = geo::read_regions(flags.regions);
  std::vector<std::string> codes;
  std::vector<double> base(regions.size(), 0.0);
  for (std::size_t r = 0; r < regions.size(); ++r) {
    codes.push_back(regions.regions[r].code);
    const geo::Region& region = regions.regions[r];
    base[r] = region.has_population() ? region.population / 1000 : 0.0;
  }
  std::string base_text = "population / 1000";
  if (!flags.players.empty()) {
    const geo::PlayerLocations locations = geo::read_player_locations(flags.players, regions);
    base = geo::weight_per_region(locations, geo::count_weights(locations), regions.size());
    base_text = "players";
  }
  std::vector<std::string> treated;
  if (!flags.treated.empty()) {
    treated = geo::read_region_list(flags.treated);
  } else {
    std::vector<std::size_t> candidates;
    for (std::size_t r = 0; r < regions.size(); ++r)
      if (base[r] > 0) candidates.push_back(r);
    if (flags.treated_count < 1 || flags.treated_count >= candidates.size())
      throw InputError("--treated-count: between 1 and " + std::to_string(candidates.size() - 1) +
                       " was expected");
    Rng rng(flags.options.seed, 0x7472656174);  // "treat"
    for (std::size_t k = 0; k < flags.treated_count; ++k) {
      std::swap(candidates[k], candidates[k + rng.below(candidates.size() - k)]);
      treated.push_back(codes[candidates[k]]);
    }
  }
  const geo::SimulatedCampaign campaign =
      geo::simulate_campaign(codes, base, treated, flags.options);
  fs::create_directories(flags.out);
  geo::write_kpi(flags.out + "/kpi.csv", campaign.panel);
  write_lines(flags.out + "/treated_regions.txt", campaign.treated);
  nlohmann::ordered_json truth;
  truth["true_lift"] = campaign.true_lift;
  truth["start"] = format_date(campaign.start);
  truth["end"] = format_date(campaign.end - 1);
  truth["treated"] = campaign.treated;
  truth["base"] = base_text;
  truth["daily_rate"] = flags.options.daily_rate;
  truth["noise_sd"] = flags.options.noise_sd;
  truth["noise_autocorrelation"] = flags.options.noise_autocorrelation;
  truth["seed"] = flags.options.seed;
  write_file(flags.out + "/campaign_truth.json", truth.dump(2) + "\n");
  std::printf(
      "Simulated %zu regions x %zu days (campaign %s .. %s, true lift %+.1f%% in %zu "
      "treated regions; base: %s); wrote %s/kpi.csv, treated_regions.txt and "
      "campaign_truth.json\n",
      campaign.panel.regions.size(), campaign.panel.days, format_date(campaign.start).c_str(),
      format_date(campaign.end - 1).c_str(), 100 * campaign.true_lift, campaign.treated.size(),
      base_text.c_str(), flags.out.c_str());
}

}  // namespace

void add_geo_command(CLI::App& app) {
  CLI::App* geo = app.add_subcommand(
      "geo", "Outdoor advertising: choose regions or billboard sites, measure the lift.");
  geo->require_subcommand(1);

  auto select = std::make_shared<SelectFlags>();
  CLI::App* s = geo->add_subcommand(
      "select",
      "Choose regions or billboard sites that reach the most target players within a "
      "budget: lazy greedy with its guarantee, and the exact optimum (--exact).");
  s->add_option("--regions", select->regions, "Region CSV (code, name, centroid_lon, ...)")
      ->required();
  s->add_option("--players", select->players,
                "CSV of player_id and region_code, or player_id, latitude, longitude")
      ->required();
  s->add_option("--values", select->values, "CSV of player_id and a predicted value (predict)");
  s->add_option("--value-column", select->value_column,
                "Column of --values (default: the first predicted_topup_amount_*)");
  s->add_option("--features", select->features, "features.csv, for the segment targets");
  s->add_option("--target", select->target,
                "players, value, payer, lapsed_payer or active (default: value with --values, "
                "else players)");
  s->add_option("--budget", select->budget, "Budget, in the unit of the site costs")->required();
  s->add_option("--sites", select->sites,
                "Sites CSV: site_id, cost and region_code, or longitude, latitude, radius_km "
                "(default: every region is a site)");
  s->add_option("--region-cost", select->region_cost, "Cost of a region without --sites")
      ->capture_default_str();
  s->add_flag("--exact", select->exact, "Also solve the integer program exactly (GLPK)");
  s->add_option("--time-limit", select->time_limit, "Seconds for the exact solver")
      ->capture_default_str();
  s->add_option("--max-distance-km", select->max_distance_km,
                "Coordinates farther than this from every centroid are an error")
      ->capture_default_str();
  s->add_option("--curve-points", select->curve_points, "Budgets on the coverage curve")
      ->capture_default_str();
  s->add_option("--out", select->out, "Output folder")->capture_default_str();
  s->callback([select] { run_select(*select); });

  auto lift = std::make_shared<LiftFlags>();
  CLI::App* l = geo->add_subcommand(
      "lift",
      "Estimate a campaign's lift on a daily KPI per region, with an interval and "
      "placebo checks.");
  l->add_option("--kpi", lift->kpi, "CSV of region_code, date, value")->required();
  l->add_option("--treated", lift->treated, "File of treated region codes, one per line")
      ->required();
  l->add_option("--start", lift->start, "First campaign day, YYYY-MM-DD")->required();
  l->add_option("--end", lift->end, "Last campaign day (default: the last date of --kpi)");
  l->add_option("--pre-days", lift->options.pre_days, "Baseline days before --start (0: all)")
      ->capture_default_str();
  l->add_option("--confidence", lift->options.confidence, "Interval confidence")
      ->capture_default_str();
  l->add_option("--placebo-draws", lift->options.placebo_draws, "Placebo sets of regions")
      ->capture_default_str();
  l->add_option("--seed", lift->options.seed, "Seed of the placebo draws")->capture_default_str();
  l->add_option("--gaps", lift->gaps, "error or drop-region: what a series with gaps does")
      ->capture_default_str();
  l->add_option("--out", lift->out, "Output folder")->capture_default_str();
  l->callback([lift] { run_lift(*lift); });

  auto design = std::make_shared<DesignFlags>();
  CLI::App* d = geo->add_subcommand(
      "design",
      "Before a campaign: treated and control regions and the smallest detectable "
      "lift, from the KPI history.");
  d->add_option("--kpi", design->kpi, "KPI history: CSV of region_code, date, value")->required();
  d->add_option("--treated", design->treated, "Treated region codes (e.g. from geo select)");
  d->add_option("--until", design->until, "Last day of history to use (default: all of --kpi)");
  d->add_option("--treated-count", design->options.treated_count,
                "Without --treated: draw this many, stratified by KPI level")
      ->capture_default_str();
  d->add_option("--post-days", design->options.post_days, "Planned campaign days")
      ->capture_default_str();
  d->add_option("--confidence", design->options.confidence, "Confidence of the analysis")
      ->capture_default_str();
  d->add_option("--power", design->options.power, "Power at the detectable lift")
      ->capture_default_str();
  d->add_option("--seed", design->options.seed, "Seed of the draw")->capture_default_str();
  d->add_option("--gaps", design->gaps, "error or drop-region")->capture_default_str();
  d->add_option("--out", design->out, "Output folder")->capture_default_str();
  d->callback([design] { run_design(*design); });

  auto place = std::make_shared<PlaceFlags>();
  CLI::App* p = geo->add_subcommand(
      "simulate-players",
      "Place generated players (players.csv) in regions: by population, younger players more "
      "urban. Writes player_id,region_code.");
  p->add_option("--regions", place->regions, "Region CSV")->required();
  p->add_option("--players", place->players, "players.csv of playsight generate")->required();
  p->add_option("--seed", place->seed, "Random seed")->capture_default_str();
  p->add_option("--out", place->out, "Output CSV")->capture_default_str();
  p->callback([place] { run_place(*place); });

  auto campaign = std::make_shared<CampaignFlags>();
  CLI::App* c = geo->add_subcommand(
      "simulate-campaign",
      "Write a daily KPI per region with a known lift in treated regions, and the truth.");
  c->add_option("--regions", campaign->regions, "Region CSV")->required();
  c->add_option("--players", campaign->players,
                "player_id,region_code: KPI in proportion to players (default: population)");
  c->add_option("--treated", campaign->treated, "Treated region codes (default: a random draw)");
  c->add_option("--treated-count", campaign->treated_count, "Regions drawn without --treated")
      ->capture_default_str();
  c->add_option("--lift", campaign->options.lift, "True relative lift")->capture_default_str();
  c->add_option("--start", campaign->start, "First campaign day")->capture_default_str();
  c->add_option("--pre-days", campaign->options.pre_days, "Days before it")->capture_default_str();
  c->add_option("--post-days", campaign->options.post_days, "Campaign days")->capture_default_str();
  c->add_option("--daily-rate", campaign->options.daily_rate,
                "Expected KPI per day per player (with --players) or per 1,000 persons")
      ->capture_default_str();
  c->add_option("--noise-sd", campaign->options.noise_sd, "SD of a region's daily log noise")
      ->capture_default_str();
  c->add_option("--seed", campaign->options.seed, "Random seed")->capture_default_str();
  c->add_option("--out", campaign->out, "Output folder")->capture_default_str();
  c->callback([campaign] { run_campaign(*campaign); });
}

}  // namespace playsight::cli
