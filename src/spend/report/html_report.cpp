// comparison_html: the comparison as one self-contained HTML page. The table is written here (so
// it reads without scripts); the charts are drawn in the browser by Chart.js, which is embedded
// in the binary at build time (see CMakeLists.txt), from the report's JSON embedded in the page.
#include <cmath>
#include <limits>
#include <string>

#include "core/html.h"
#include "spend/comparison_report.h"
#include "spend/report/columns.h"
#include "spend/report/html_assets.h"
#include "spend/report/report_json.h"

namespace playsight::spend {
namespace {

double payer_share(const ComparisonReport& report) {
  if (!std::isnan(report.context.test_payer_share)) return report.context.test_payer_share;
  if (report.rows.empty() || report.rows[0].metrics.players == 0)
    return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(report.rows[0].metrics.payers) /
         static_cast<double>(report.rows[0].metrics.players);
}

void append_facts(const ComparisonReport& report, std::string& out) {
  const ComparisonContext& c = report.context;
  std::size_t test_players = c.test_players;
  if (test_players == 0 && !report.rows.empty()) test_players = report.rows[0].metrics.players;
  auto fact = [&](const std::string& value, const std::string& label) {
    out += "<li><b>" + escape_html(value) + "</b><span>" + escape_html(label) + "</span></li>";
  };
  out += "<ul class=\"facts\">";
  if (c.train_players)
    fact(report::format_amount(static_cast<double>(c.train_players)), "training players");
  if (c.validation_players) {
    fact(report::format_amount(static_cast<double>(c.validation_players)), "validation players");
  }
  fact(report::format_amount(static_cast<double>(test_players)), "test players (every row)");
  fact(report::format_cell(payer_share(report), report::Style::kPercent), "test players who paid");
  if (!c.cutoff.empty()) fact(c.cutoff, "cutoff");
  if (!c.horizon.empty()) fact(c.horizon, "label window");
  fact(c.currency, "currency");
  fact(std::to_string(report.rows.size()), "models");
  out += "</ul>\n";
}

void append_how_to_read(const ComparisonReport& report, const std::string& mape_header,
                        std::string& out) {
  const std::string currency = escape_html(report.context.currency);
  out +=
      "<section class=\"how\"><b>How to read this.</b><ul>"
      "<li>Every row is one model scored on the same test players; amounts are " +
      currency +
      " topped up per player in the label window. <b>Green</b> marks the best value of a "
      "column.</li>"
      "<li>Lower is better for MAE, MAPE, MAE payers and decile calibration error; higher for "
      "recall, normalised Gini and Spearman; Σŷ/Σy is best at 1 (group totals, and so a "
      "nudge's effect, come out right).</li>"
      "<li><b>" +
      escape_html(mape_header) +
      "</b> is the team's metric: predicting 0 for everyone scores about the payer share, so "
      "it is shown, never used to choose. A <b>share</b> near 100% means a model collapsed to "
      "predicting about nothing.</li>"
      "<li>Charts use log(1 + amount) axes so that non-payers, small and large spenders all "
      "show; hover for exact values, click a legend entry to hide a model, click a column "
      "head to sort.</li></ul></section>\n";
}

void append_table(const ComparisonReport& report, const std::vector<report::Column>& columns,
                  std::string& out) {
  std::vector<std::vector<bool>> best;
  for (const auto& column : columns) best.push_back(report::best_rows(column, report.rows));
  out +=
      "<div class=\"table-wrap\"><table id=\"comparison\"><thead><tr>"
      "<th class=\"text\" title=\"The model's name and what it is. team: the team's nine "
      "models; new: models that fix their failure; reference: rows that anchor the scale\">"
      "model</th>";
  for (const auto& column : columns) {
    out += "<th title=\"" + escape_html(column.definition) + "\">" + escape_html(column.header) +
           "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < report.rows.size(); ++r) {
    const ComparisonRow& row = report.rows[r];
    const std::string kind(model_kind_name(row.kind));
    const bool group_start = r > 0 && row.kind != report.rows[r - 1].kind;
    out += group_start ? "<tr class=\"group-start\">" : "<tr>";
    out += "<td class=\"text alias\" data-value=\"" + escape_html(row.alias) + "\"><b>" +
           escape_html(row.alias) + "</b><span class=\"kind kind-" + kind + "\">" + kind +
           "</span><div>" + escape_html(row.description) + "</div></td>";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double value = columns[c].value(row);
      std::string classes = best[c][r] ? "best" : std::isnan(value) ? "na" : "";
      out += "<td" + (classes.empty() ? std::string() : " class=\"" + classes + "\"") +
             " data-value=\"" + (std::isnan(value) ? std::string() : nlohmann::json(value).dump()) +
             "\">" + escape_html(report::format_cell(value, columns[c].style)) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n<dl class=\"definitions\">";
  for (const auto& column : columns) {
    out += "<dt>" + escape_html(column.header) + "</dt><dd>" + escape_html(column.definition) +
           "</dd>";
  }
  out += "</dl>\n";
}

void append_notes(const ComparisonReport& report, std::string& out) {
  out += "<h2>Protocol and notes</h2><ul class=\"notes\">";
  for (const auto& note : report.context.protocol_notes)
    out += "<li>" + escape_html(note) + "</li>";
  for (const auto& row : report.rows) {
    for (const auto& note : row.metrics.notes) {
      out += "<li><b>" + escape_html(row.alias) + "</b>: " + escape_html(note) + "</li>";
    }
  }
  if (!report.context.data_source.empty()) {
    out += "<li>Data: " + escape_html(report.context.data_source) + "</li>";
  }
  out += "</ul>\n";
}

}  // namespace

std::string comparison_html(const ComparisonReport& report) {
  const auto columns = report::table_columns(report);
  const std::string mape_header = columns[1].header;
  nlohmann::ordered_json data = report::report_json(report);
  for (std::size_t r = 0; r < report.rows.size(); ++r) {
    data["rows"][r]["sample"] = report::sample_json(report.rows[r].sample);
  }
  const std::string title = escape_html(report.context.title);
  const std::string currency = escape_html(report.context.currency);

  std::string out;
  out.reserve(chart_js_source().size() + 400000);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      title + "</title>\n<style>";
  out += report::kReportStyle;
  out += "</style>\n</head>\n<body>\n<main>\n<h1>" + title + "</h1>\n";
  out += "<p class=\"context\">Predicted vs actual top-up per player";
  if (!report.context.horizon.empty()) out += " over " + escape_html(report.context.horizon);
  if (!report.context.cutoff.empty()) out += " from " + escape_html(report.context.cutoff);
  out += ", in " + currency + ".</p>\n";
  append_facts(report, out);
  append_how_to_read(report, mape_header, out);
  out += "<h2>Comparison table</h2>\n";
  append_table(report, columns, out);

  out +=
      "<h2>Decile calibration</h2>\n<p>Each model's players are split into 10 equal groups "
      "by predicted amount (D1: lowest predictions). A calibrated model's points lie on the "
      "dashed diagonal: the group's mean prediction equals its mean actual top-up. Points "
      "below it under-predict.</p>\n<noscript>The charts need JavaScript; the table above and "
      "comparison.json hold the same numbers.</noscript>\n"
      "<div class=\"chart wide\"><div class=\"plot\"><canvas id=\"calibration-overlay\" "
      "aria-label=\"Mean predicted vs mean actual per decile, every model\"></canvas></div>"
      "</div>\n<div class=\"grid\" id=\"calibration-grid\"></div>\n";
  out +=
      "<h2>Predicted vs actual</h2>\n<p>Above: players grouped by what they actually topped "
      "up; each line is a model's mean prediction per group, against the actual mean in "
      "black. Below: one point per player, for the same sample of players in every model; "
      "points on the diagonal are exact, points at the bottom were predicted about 0.</p>\n"
      "<div class=\"chart wide\"><div class=\"plot\"><canvas id=\"by-actual-spend\" "
      "aria-label=\"Mean prediction by actual spend\"></canvas></div></div>\n"
      "<div class=\"grid\" id=\"scatter-grid\"></div>\n";
  append_notes(report, out);
  out += "<footer>" +
         escape_html(report.context.generated_by.empty() ? std::string("playsight")
                                                         : report.context.generated_by) +
         ". Charts drawn with " + escape_html(chart_js_version()) +
         " (MIT licence), embedded in this file: it opens offline.</footer>\n</main>\n";
  out += "<script>";
  out += chart_js_source();
  out += "</script>\n<script type=\"application/json\" id=\"report-data\">";
  out += script_safe_json(data);
  out += "</script>\n<script>";
  out += report::kReportScript;
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace playsight::spend
