// The lift and design reports: JSON, and the lift page (estimate, placebo checks, the two groups'
// daily KPI relative to their baseline).
#include <cstdio>

#include "core/html.h"
#include "geo/report.h"
#include "geo/report/style.h"

namespace playsight::geo {
namespace {

nlohmann::ordered_json estimate_json(const LiftEstimate& e) {
  return {{"treated_regions", e.treated},
          {"control_regions", e.control},
          {"lift", e.lift},
          {"lift_low", e.lift_low},
          {"lift_high", e.lift_high},
          {"log_effect", e.log_effect},
          {"standard_error", e.standard_error},
          {"degrees_of_freedom", e.degrees_of_freedom},
          {"p_value", e.p_value},
          {"significant", e.significant()}};
}

std::string percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.2f%%", 100 * value);
  return text;
}

}  // namespace

nlohmann::ordered_json lift_json(const LiftAnalysis& a, const std::string& kpi_path) {
  nlohmann::ordered_json json;
  json["kpi"] = kpi_path;
  json["method"] =
      "difference in differences of log mean KPI per region (region and period effects), Welch "
      "interval with Satterthwaite degrees of freedom";
  json["baseline_start"] = format_date(a.baseline_start);
  json["start"] = format_date(a.start);
  json["end"] = format_date(a.end - 1);
  json["estimate"] = estimate_json(a.estimate);
  json["placebo_regions"] = {{"draws", a.placebo_regions.draws},
                             {"rejected", a.placebo_regions.rejected},
                             {"rejection_rate", a.placebo_regions.rejection_rate},
                             {"nominal_rate", a.placebo_regions.nominal_rate},
                             {"permutation_p_value", a.placebo_regions.permutation_p_value}};
  json["placebo_time"] = estimate_json(a.placebo_time);
  json["treated"] = a.treated;
  json["control"] = a.control;
  json["left_out_zero_kpi"] = a.left_out;
  nlohmann::ordered_json days = nlohmann::ordered_json::array();
  for (std::size_t d = 0; d < a.treated_index.size(); ++d) {
    days.push_back({{"date", format_date(a.baseline_start + static_cast<Days>(d))},
                    {"treated", a.treated_index[d]},
                    {"control", a.control_index[d]}});
  }
  json["daily_index"] = days;
  return json;
}

std::string lift_html(const LiftAnalysis& a, const std::string& kpi_path,
                      const std::string& generated_by) {
  const nlohmann::ordered_json data = lift_json(a, kpi_path);
  std::string out = page_start("playsight geo lift: did the billboards work?");
  const LiftEstimate& e = a.estimate;
  out += "<p class=\"context\">KPI " + escape_html(kpi_path) + "; baseline " +
         format_date(a.baseline_start) + " .. " + format_date(a.start - 1) + ", campaign " +
         format_date(a.start) + " .. " + format_date(a.end - 1) + "; " + std::to_string(e.treated) +
         " treated and " + std::to_string(e.control) + " control regions.</p>\n";
  char p[32];
  out +=
      "<table><thead><tr><th class=\"text\">check</th><th>lift</th><th>interval</th>"
      "<th>p-value</th><th class=\"text\">reading</th></tr></thead><tbody>";
  std::snprintf(p, sizeof p, "%.3g", e.p_value);
  out += "<tr><td class=\"text\">campaign</td><td>" + percent(e.lift) + "</td><td>[" +
         percent(e.lift_low) + ", " + percent(e.lift_high) + "]</td><td>" + p +
         "</td><td class=\"text\">" +
         (e.significant() ? "the KPI rose more (or fell less) in treated regions"
                          : "no lift distinguishable from noise") +
         "</td></tr>";
  std::snprintf(p, sizeof p, "%.3g", a.placebo_regions.permutation_p_value);
  char rate[96];
  std::snprintf(rate, sizeof rate, "%zu of %zu placebo sets significant (%.1f%%, nominal %.1f%%)",
                a.placebo_regions.rejected, a.placebo_regions.draws,
                100 * a.placebo_regions.rejection_rate, 100 * a.placebo_regions.nominal_rate);
  out += "<tr><td class=\"text\">placebo: untreated regions</td><td></td><td></td><td>" +
         std::string(p) + "</td><td class=\"text\">" + rate + "</td></tr>";
  std::snprintf(p, sizeof p, "%.3g", a.placebo_time.p_value);
  out += "<tr><td class=\"text\">placebo: baseline halves</td><td>" + percent(a.placebo_time.lift) +
         "</td><td>[" + percent(a.placebo_time.lift_low) + ", " +
         percent(a.placebo_time.lift_high) + "]</td><td>" + p + "</td><td class=\"text\">" +
         (a.placebo_time.significant() ? "groups diverged before the campaign: distrust the lift"
                                       : "groups moved together before the campaign") +
         "</td></tr></tbody></table>\n";
  out +=
      "<h2>KPI relative to each region's baseline (group means)</h2>\n<div class=\"chart\">"
      "<canvas id=\"daily\"></canvas></div>\n";
  out += page_end(data, generated_by,
                  "const d = JSON.parse(document.getElementById('report-data').textContent);\n"
                  "new Chart(document.getElementById('daily'), {type: 'line', data: {labels: "
                  "d.daily_index.map(x => x.date), datasets: [{label: 'treated', data: "
                  "d.daily_index.map(x => x.treated), pointRadius: 0}, {label: 'control', data: "
                  "d.daily_index.map(x => x.control), pointRadius: 0}]}, options: {animation: "
                  "false, scales: {y: "
                  "{title: {display: true, text: 'KPI / baseline mean'}}}}});\n");
  return out;
}

nlohmann::ordered_json design_json(const Design& design, const DesignOptions& options) {
  nlohmann::ordered_json json;
  json["treated"] = design.treated;
  json["control"] = design.control;
  json["left_out_zero_kpi"] = design.left_out;
  json["post_days"] = options.post_days;
  json["confidence"] = options.confidence;
  json["power"] = options.power;
  json["backtests"] = design.backtests;
  json["baseline_days"] = design.baseline_days;
  json["standard_error_log"] = design.standard_error;
  json["degrees_of_freedom"] = design.degrees_of_freedom;
  json["minimum_detectable_lift"] = design.mde_lift;
  return json;
}

}  // namespace playsight::geo
