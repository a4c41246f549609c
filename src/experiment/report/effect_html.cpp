// effect_html: the nudge analysis as one self-contained HTML page. Tables are written here (they
// read without scripts); charts are drawn in the browser by the embedded Chart.js from the same
// JSON as effect.json, embedded in the page.
#include <cmath>
#include <cstdio>
#include <string>

#include "core/html.h"
#include "experiment/effect_report.h"
#include "experiment/report/effect_assets.h"

namespace playsight::experiment {
namespace {

std::string format_value(double value, Outcome outcome, bool relative) {
  if (!std::isfinite(value)) return "n/a";
  char text[64];
  if (relative) {
    std::snprintf(text, sizeof text, "%+.1f%%", 100 * value);
  } else if (outcome == Outcome::kAmount) {
    std::snprintf(text, sizeof text, "%+.0f", value);
  } else if (outcome == Outcome::kProbability) {
    std::snprintf(text, sizeof text, "%+.2f pp", 100 * value);
  } else {
    std::snprintf(text, sizeof text, "%+.4f", value);
  }
  return text;
}

std::string cell(const std::string& text, const std::string& classes = "") {
  return "<td" + (classes.empty() ? std::string() : " class=\"" + classes + "\"") + ">" +
         escape_html(text) + "</td>";
}

void append_effects_table(const GroupAnalysis& group, std::string& out) {
  out +=
      "<div class=\"table-wrap\"><table><thead><tr><th class=\"text\">outcome</th>"
      "<th class=\"text\">method</th><th>effect</th><th>interval</th><th>relative</th>"
      "<th>relative interval</th><th>p-value</th><th title=\"1 - SE² / SE²(Welch)\">variance "
      "reduction</th><th>true effect</th></tr></thead><tbody>";
  for (const OutcomeEffects& o : group.outcomes) {
    for (std::size_t m = 0; m < o.absolute.size(); ++m) {
      const EffectEstimate& e = o.absolute[m];
      const bool has_relative = m < o.relative.size();
      const bool clear = e.ci_low > 0 || e.ci_high < 0;
      out += m == 0 ? "<tr class=\"group-start\">" : "<tr>";
      out += cell(m == 0 ? outcome_name(o.outcome) + " (" + outcome_unit(o.outcome) + ")" : "",
                  "text");
      out += cell(e.method, "text");
      out += cell(format_value(e.estimate, o.outcome, false), clear ? "clear" : "");
      out += cell("[" + format_value(e.ci_low, o.outcome, false) + ", " +
                  format_value(e.ci_high, o.outcome, false) + "]");
      out += cell(has_relative ? format_value(o.relative[m].estimate, o.outcome, true) : "");
      out += cell(has_relative ? "[" + format_value(o.relative[m].ci_low, o.outcome, true) + ", " +
                                     format_value(o.relative[m].ci_high, o.outcome, true) + "]"
                               : "");
      char p[32];
      std::snprintf(p, sizeof p, "%.3g", e.p_value);
      out += cell(p);
      char reduction[32];
      std::snprintf(reduction, sizeof reduction, "%.1f%%", 100 * e.variance_reduction);
      out += cell(e.method == "cuped" || e.method == "cupac" ? reduction : "");
      out += cell(o.true_effect && m == 0 ? format_value(*o.true_effect, o.outcome, false) : "");
      out += "</tr>";
    }
  }
  out += "</tbody></table></div>\n";
}

void append_planning_table(const GroupAnalysis& group, std::string& out) {
  out +=
      "<div class=\"table-wrap\"><table><thead><tr><th class=\"text\">outcome</th>"
      "<th>SD per player (control)</th><th>players per group</th><th>MDE plain</th>"
      "<th>MDE CUPED</th><th>MDE CUPAC</th><th>effect to detect</th><th>players needed: "
      "plain</th><th>CUPED</th><th>CUPAC</th></tr></thead><tbody>";
  for (const PlanningRow& p : group.planning) {
    char text[10][64];
    const bool amount = p.outcome == Outcome::kAmount;
    const bool share = p.outcome == Outcome::kProbability;
    const auto value = [&](char* buffer, double v) {
      std::snprintf(buffer, 64, amount ? "%.0f" : share ? "%.2f pp" : "%.4f", share ? 100 * v : v);
    };
    value(text[0], p.outcome_standard_deviation);
    std::snprintf(text[1], 64, "%.0f", p.players_per_group);
    value(text[2], p.mde_plain);
    value(text[3], p.mde_cuped);
    value(text[4], p.mde_cupac);
    value(text[5], p.target_effect);
    std::snprintf(text[6], 64, "%zu", p.players_plain);
    std::snprintf(text[7], 64, "%zu", p.players_cuped);
    std::snprintf(text[8], 64, "%zu", p.players_cupac);
    out += "<tr>" + cell(outcome_name(p.outcome), "text");
    for (int k = 0; k < 9; ++k) out += cell(text[k]);
    out += "</tr>";
  }
  out += "</tbody></table></div>\n";
}

void append_group(const NudgeAnalysis& analysis, const GroupAnalysis& group, std::size_t index,
                  std::string& out) {
  const std::string id = std::to_string(index);
  const std::string name = escape_html(group.group);
  char line[512];
  out += "<section class=\"group\"><h2>" + name + " vs " + escape_html(analysis.control_group) +
         "</h2>\n";
  std::snprintf(line, sizeof line,
                "<p class=\"context\">%zu nudged players, %zu control players. Green: the "
                "interval excludes 0.</p>\n",
                group.players, analysis.control_players);
  out += line;
  append_effects_table(group, out);
  out +=
      "<div class=\"grid two\"><div class=\"chart\"><h3>Top-up amount: every estimator "
      "(KRW per player, 95% interval)</h3><div class=\"plot\"><canvas id=\"methods-" +
      id +
      "\"></canvas></div></div><div class=\"chart\"><h3>Per-player response (KRW): nudged "
      "players against the control players' placebo</h3><div class=\"plot\"><canvas "
      "id=\"responses-" +
      id + "\"></canvas></div></div></div>\n";
  std::snprintf(line, sizeof line,
                "<p>Per player: the mean response is %.0f KRW; %.1f%% of nudged players responded "
                "clearly (their interval is above 0) against %.1f%% of control players, which is "
                "what chance alone gives.</p>\n",
                group.response.mean_response, 100 * group.response.share_clearly_positive,
                100 * analysis.control_response.share_clearly_positive);
  out += line;
  out +=
      "<div class=\"chart tall\"><h3>Effect on the top-up amount per segment (CUPAC, KRW per "
      "player, 95% interval)</h3><div class=\"plot\"><canvas id=\"segments-" +
      id + "\"></canvas></div></div>\n";
  if (group.uplift) {
    out +=
        "<div class=\"chart\"><h3>Qini curve on held-out players: extra top-ups gained by "
        "targeting the top share by predicted uplift</h3><div class=\"plot\"><canvas "
        "id=\"qini-" +
        id + "\"></canvas></div></div>\n";
  } else {
    out += "<p class=\"note\">No uplift models: " + escape_html(group.uplift_note) + "</p>\n";
  }
  out += "<h3>Planning the next experiment</h3>\n";
  append_planning_table(group, out);
  out += "</section>\n";
}

}  // namespace

std::string effect_html(const NudgeAnalysis& analysis, const EffectContext& context) {
  const nlohmann::ordered_json data = effect_json(analysis, context);
  const std::string title = escape_html(context.title);
  std::string out;
  out.reserve(chart_js_source().size() + 200000);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      title + "</title>\n<style>";
  out += kEffectStyle;
  out += "</style>\n</head>\n<body>\n<main>\n<h1>" + title + "</h1>\n";
  char line[1024];
  std::snprintf(line, sizeof line,
                "<p class=\"context\">Top-ups in the %d days from %s; CUPED uses the %d days "
                "before; CUPAC uses the prediction of %s.</p>\n",
                context.outcome_days, escape_html(context.cutoff).c_str(), context.pre_period_days,
                escape_html(context.model).c_str());
  out += line;
  out +=
      "<section class=\"how\"><b>How to read this.</b><ul>"
      "<li><b>welch</b> is the plain difference in means; <b>cuped</b> and <b>cupac</b> remove "
      "the part of each player's outcome that their history (CUPED) or the spend model (CUPAC) "
      "predicts, which shrinks the interval by the <b>variance reduction</b> without moving its "
      "centre; <b>bootstrap</b> resamples players as a check on the heavy tail of top-ups.</li>"
      "<li>A player's <b>response</b> is what they topped up minus what the model says they "
      "would have without the nudge; its interval comes from the model's errors on control "
      "players.</li><li>The <b>Qini curve</b> ranks held-out players by predicted uplift: the "
      "higher above the straight (random) line, the better the targeting.</li></ul>"
      "</section>\n<noscript>The charts need JavaScript; the tables and effect.json hold the "
      "same numbers.</noscript>\n";
  for (std::size_t g = 0; g < analysis.groups.size(); ++g)
    append_group(analysis, analysis.groups[g], g, out);
  if (!context.warnings.empty()) {
    out += "<h2>Data notes</h2><ul class=\"notes\">";
    for (const std::string& warning : context.warnings)
      out += "<li>" + escape_html(warning) + "</li>";
    out += "</ul>\n";
  }
  out += "<footer>" + escape_html(context.generated_by) + ". Charts drawn with " +
         escape_html(chart_js_version()) +
         " (MIT licence), embedded in this file: it opens offline.</footer>\n</main>\n<script>";
  out += chart_js_source();
  out += "</script>\n<script type=\"application/json\" id=\"report-data\">";
  out += script_safe_json(data);
  out += "</script>\n<script>";
  out += kEffectScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace playsight::experiment
