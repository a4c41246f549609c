// The selection report: JSON, CSV and the HTML page (summary, ranked list, coverage curve, map).
#include <cmath>
#include <cstdio>

#include "core/html.h"
#include "geo/report.h"
#include "geo/report/style.h"

namespace playsight::geo {
namespace {

std::string number(double value, int decimals = 0) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

nlohmann::ordered_json selection_rows(const SelectionReport& report, const Selection& selection) {
  const double total = report.problem->total_weight();
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  double reached = 0, spent = 0;
  for (std::size_t k = 0; k < selection.sites.size(); ++k) {
    const Site& site = report.problem->sites[selection.sites[k]];
    reached += selection.gains[k];
    spent += site.cost;
    nlohmann::ordered_json regions = nlohmann::ordered_json::array();
    for (std::uint32_t r : site.regions) regions.push_back(report.regions->regions[r].code);
    rows.push_back({{"rank", k + 1},
                    {"site_id", site.id},
                    {"cost", site.cost},
                    {"weight_added", selection.gains[k]},
                    {"weight_reached", reached},
                    {"cost_spent", spent},
                    {"share_of_total", total > 0 ? reached / total : 0.0},
                    {"regions", regions}});
  }
  return rows;
}

nlohmann::ordered_json summary_of(const Selection& selection) {
  return {{"method", selection.method},
          {"sites", selection.sites.size()},
          {"weight_reached", selection.value},
          {"cost", selection.cost},
          {"gain_evaluations", selection.gain_evaluations}};
}

}  // namespace

const Selection& recommended(const SelectionReport& report) {
  if (report.exact && report.exact->selection.value >= report.greedy.chosen.value)
    return report.exact->selection;
  return report.greedy.chosen;
}

nlohmann::ordered_json selection_json(const SelectionReport& report) {
  nlohmann::ordered_json json;
  json["target"] = report.target;
  json["sites"] = report.sites_source;
  json["site_count"] = report.problem->sites.size();
  json["regions"] = report.regions->path;
  json["region_count"] = report.regions->size();
  json["regions_without_population"] = report.regions->without_population;
  json["players"] = report.players;
  json["players_missing_from_weights"] = report.players_missing;
  json["players_with_weight"] = report.players_weighted;
  json["total_weight"] = report.problem->total_weight();
  json["budget"] = report.budget;
  json["uniform_costs"] = report.problem->uniform_costs();
  json["greedy"] = summary_of(report.greedy.chosen);
  json["greedy"]["ratio_greedy_weight"] = report.greedy.ratio_greedy.value;
  json["greedy"]["best_single_site_weight"] = report.greedy.best_single.value;
  json["greedy"]["guarantee"] = report.greedy.guarantee;
  if (report.exact) {
    const ExactResult& exact = *report.exact;
    json["exact"] = summary_of(exact.selection);
    json["exact"]["optimal"] = exact.optimal;
    json["exact"]["upper_bound"] = exact.upper_bound;
    json["exact"]["gap"] = exact.gap;
    json["exact"]["seconds"] = exact.seconds;
    json["exact"]["solver"] = exact_solver_name();
    json["greedy_to_optimum"] =
        exact.upper_bound > 0 ? report.greedy.chosen.value /
                                    (exact.optimal ? exact.selection.value : exact.upper_bound)
                              : 1.0;
  }
  json["recommended"] = selection_rows(report, recommended(report));
  nlohmann::ordered_json curve = nlohmann::ordered_json::array();
  for (const CurvePoint& p : report.curve)
    curve.push_back(
        {{"budget", p.budget}, {"weight_reached", p.value}, {"cost", p.cost}, {"sites", p.sites}});
  json["coverage_curve"] = curve;
  return json;
}

std::string selection_csv(const SelectionReport& report) {
  std::string out =
      "rank,site_id,cost,weight_added,weight_reached,cost_spent,share_of_total,regions\n";
  for (const auto& row : selection_rows(report, recommended(report))) {
    std::string regions;
    for (const auto& code : row["regions"]) {
      if (!regions.empty()) regions += ' ';
      regions += code.get<std::string>();
    }
    out += std::to_string(row["rank"].get<std::size_t>()) + "," +
           csv_quote(row["site_id"].get<std::string>()) + "," +
           number(row["cost"].get<double>(), 2) + "," +
           number(row["weight_added"].get<double>(), 2) + "," +
           number(row["weight_reached"].get<double>(), 2) + "," +
           number(row["cost_spent"].get<double>(), 2) + "," +
           number(row["share_of_total"].get<double>(), 4) + "," + regions + "\n";
  }
  return out;
}

std::string selection_html(const SelectionReport& report) {
  const nlohmann::ordered_json data = selection_json(report);
  const Selection& chosen = recommended(report);
  const double total = report.problem->total_weight();
  std::string out = page_start("playsight geo select: where the billboards go");
  out += "<p class=\"context\">Target: " + escape_html(report.target) +
         ". Sites: " + escape_html(report.sites_source) + ". Budget " + number(report.budget, 2) +
         ".</p>\n";
  out +=
      "<table><thead><tr><th class=\"text\">method</th><th>sites</th><th>cost</th>"
      "<th>weight reached</th><th>share of all</th><th class=\"text\">note</th></tr></thead>"
      "<tbody>";
  const auto summary_row = [&](const Selection& s, const std::string& note) {
    out += "<tr><td class=\"text\">" + escape_html(s.method) + "</td><td>" +
           std::to_string(s.sites.size()) + "</td><td>" + number(s.cost, 2) + "</td><td>" +
           number(s.value, 1) + "</td><td>" + number(total > 0 ? 100 * s.value / total : 0, 1) +
           "%</td><td class=\"text\">" + escape_html(note) + "</td></tr>";
  };
  summary_row(report.greedy.chosen,
              "guaranteed at least " + number(100 * report.greedy.guarantee, 1) +
                  "% of the optimum (" +
                  (report.problem->uniform_costs() ? "uniform costs: 1 - 1/e"
                                                   : "any costs: (1 - 1/e) / 2") +
                  "); " + std::to_string(report.greedy.chosen.gain_evaluations) +
                  " gain evaluations with lazy evaluation");
  if (report.exact) {
    const ExactResult& e = *report.exact;
    summary_row(
        e.selection,
        (e.optimal ? std::string("optimal") : "time limit, gap " + number(100 * e.gap, 2) + "%") +
            ", " + number(e.seconds, 2) + " s; greedy reaches " +
            number(100 * data["greedy_to_optimum"].get<double>(), 2) + "% of it");
  }
  out += "</tbody></table>\n<h2>Map</h2>\n" + selection_map_svg(report);
  out +=
      "\n<h2>Coverage against budget (greedy)</h2>\n<div class=\"chart\"><canvas "
      "id=\"curve\"></canvas></div>\n<h2>Ranked list (" +
      escape_html(chosen.method) +
      ")</h2>\n<table><thead><tr><th>rank</th><th class=\"text\">site</th><th>cost</th>"
      "<th>weight added</th><th>weight reached</th><th>share of all</th>"
      "<th class=\"text\">regions reached</th></tr></thead><tbody>";
  for (const auto& row : data["recommended"]) {
    std::string names;
    for (const auto& code : row["regions"]) {
      const auto r = report.regions->index_of(code.get<std::string>());
      if (!names.empty()) names += ", ";
      names += report.regions->regions[static_cast<std::size_t>(r)].name;
    }
    out += "<tr><td>" + std::to_string(row["rank"].get<std::size_t>()) +
           "</td><td class=\"text\">" + escape_html(row["site_id"].get<std::string>()) +
           "</td><td>" + number(row["cost"].get<double>(), 2) + "</td><td>" +
           number(row["weight_added"].get<double>(), 1) + "</td><td>" +
           number(row["weight_reached"].get<double>(), 1) + "</td><td>" +
           number(100 * row["share_of_total"].get<double>(), 1) + "%</td><td class=\"text\">" +
           escape_html(names) + "</td></tr>";
  }
  out += "</tbody></table>\n";
  out += page_end(data, report.generated_by,
                  "const d = JSON.parse(document.getElementById('report-data').textContent);\n"
                  "new Chart(document.getElementById('curve'), {type: 'line', data: {datasets: [{"
                  "label: 'weight reached (modified greedy)', data: d.coverage_curve.map(p => ({x: "
                  "p.budget, y: p.weight_reached})), stepped: true}]}, options: {animation: false, "
                  "scales: {x: {type: 'linear', title: {display: true, text: 'budget'}}, y: "
                  "{title: {display: true, text: 'weight reached'}}}}});\n");
  return out;
}

}  // namespace playsight::geo
