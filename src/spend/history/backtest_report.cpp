#include "spend/history/backtest_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/table.h"

namespace playsight::spend::history {
namespace {

// The scalar columns of one (cutoff, model) row, declared once for CSV and JSON.
struct Column {
  const char* name;
  double (*value)(const ComparisonRow&, const TotalEstimate&);
};

const Column kColumns[] = {
    {"customers", [](const ComparisonRow& r,
                     const TotalEstimate&) { return static_cast<double>(r.metrics.players); }},
    {"buyers", [](const ComparisonRow& r,
                  const TotalEstimate&) { return static_cast<double>(r.metrics.payers); }},
    {"normalized_gini",
     [](const ComparisonRow& r, const TotalEstimate&) { return r.metrics.normalized_gini; }},
    {"spearman", [](const ComparisonRow& r, const TotalEstimate&) { return r.metrics.spearman; }},
    {"payer_auc", [](const ComparisonRow& r, const TotalEstimate&) { return r.metrics.payer_auc; }},
    {"decile_mape",
     [](const ComparisonRow& r, const TotalEstimate&) { return r.metrics.calibration_error; }},
    {"total_error",
     [](const ComparisonRow& r, const TotalEstimate&) { return r.metrics.aggregate_error; }},
    {"mae", [](const ComparisonRow& r, const TotalEstimate&) { return r.metrics.mae; }},
    {"total_actual",
     [](const ComparisonRow& r, const TotalEstimate&) { return r.metrics.total_actual; }},
    {"total_predicted",
     [](const ComparisonRow& r, const TotalEstimate&) { return r.metrics.total_predicted; }},
    {"total_low", [](const ComparisonRow&, const TotalEstimate& t) { return t.low; }},
    {"total_high", [](const ComparisonRow&, const TotalEstimate& t) { return t.high; }},
    {"total_before_correction",
     [](const ComparisonRow&, const TotalEstimate& t) { return t.raw_predicted; }},
    {"correction", [](const ComparisonRow&, const TotalEstimate& t) { return t.correction; }},
    {"seconds", [](const ComparisonRow& r, const TotalEstimate&) { return r.training_seconds; }},
};

std::string cell(double value, const char* format) {
  if (!std::isfinite(value)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string csv_number(double value) {
  if (!std::isfinite(value)) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

// "gini +0.012 [-0.004, +0.029] 93 %": difference, interval, share of draws the selected wins.
std::string difference_text(const char* name, const PairedDifference& d) {
  return std::string(name) + " " + cell(d.observed, "%+.3f") + " [" + cell(d.low, "%+.3f") + ", " +
         cell(d.high, "%+.3f") + "] " + cell(100 * d.share_better, "%.0f") + " %";
}

// One line: the selected row against BG/NBD x Gamma-Gamma, or empty when not computed.
std::string versus_reference_text(const CutoffResult& cutoff) {
  const VersusReference& v = cutoff.versus_reference;
  if (v.draws == 0) return "";
  return "selected vs bgnbd_gamma_gamma (difference, 95 % interval of a paired bootstrap over "
         "customers, share of its " +
         std::to_string(v.draws) + " draws the selected wins): " + difference_text("gini", v.gini) +
         "; " + difference_text("decile MAPE", v.decile_mape) + "; " +
         difference_text("|total error|", v.abs_total_error);
}

nlohmann::ordered_json difference_json(const PairedDifference& d) {
  const auto number = [](double value) {
    return std::isfinite(value) ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
  };
  return {{"difference", number(d.observed)},
          {"low", number(d.low)},
          {"high", number(d.high)},
          {"share_selected_better", number(d.share_better)}};
}

ComparisonReport with_context(const BacktestResult& result, const CutoffResult& cutoff) {
  ComparisonReport report = cutoff.report;
  ComparisonContext& c = report.context;
  c.title = "Spend backtest at " + format_date(cutoff.cutoff);
  c.data_source = result.data_source;
  c.train_players = cutoff.training_rows;
  c.test_players = report.rows.empty() ? 0 : report.rows[0].metrics.players;
  if (c.test_players)
    c.test_payer_share =
        static_cast<double>(report.rows[0].metrics.payers) / static_cast<double>(c.test_players);
  c.cutoff = format_date(cutoff.cutoff);
  c.horizon = std::to_string(result.horizon_days) + "d";
  c.currency = "the file's currency";
  std::string windows;
  for (const Days d : cutoff.training_cutoffs)
    windows += (windows.empty() ? "" : ", ") + format_date(d);
  c.protocol_notes = {
      "Customers: everyone with a purchase before the cutoff; spend is " +
          returns_mode_name(result.returns) + " (returns " +
          (result.returns == ReturnsMode::kGross ? "not subtracted" : "subtracted") + ").",
      "Learnt models are trained on the windows starting " + windows + " (" +
          std::to_string(cutoff.training_rows) +
          " customer-windows; one customer in five held out for early stopping), never on the "
          "evaluated horizon.",
      "selected: " + (cutoff.selected_alias.empty() ? std::string("none") : cutoff.selected_alias) +
          ", chosen with its total correction on earlier cutoffs by normalised Gini minus decile "
          "MAPE minus |total error|."};
  if (const std::string versus = versus_reference_text(cutoff); !versus.empty())
    c.protocol_notes.push_back(versus + ".");
  for (const std::string& note : cutoff.notes) c.protocol_notes.push_back(note);
  return report;
}

}  // namespace

std::string backtest_terminal_table(const BacktestResult& result) {
  // The model column is as wide as its longest name ("selected=hybrid_ensemble+trend-season").
  int width = 18;
  for (const CutoffResult& cutoff : result.cutoffs) {
    if (!cutoff.evaluated) continue;
    for (const ComparisonRow& row : cutoff.report.rows) {
      const std::size_t length = row.alias == "selected"
                                     ? row.alias.size() + 1 + cutoff.selected_alias.size()
                                     : row.alias.size();
      width = std::max(width, static_cast<int>(length));
    }
  }
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-11s %-*s %9s %6s %8s %6s %7s %7s %10s %s\n", "cutoff", width,
                "model", "customers", "gini", "spearman", "auc", "dec.mape", "total", "mae",
                "total interval / correction");
  out += line;
  for (const CutoffResult& cutoff : result.cutoffs) {
    if (!cutoff.evaluated) continue;
    for (std::size_t r = 0; r < cutoff.report.rows.size(); ++r) {
      const ComparisonRow& row = cutoff.report.rows[r];
      const TotalEstimate& total = cutoff.totals[r];
      const SpendMetrics& m = row.metrics;
      std::string alias = row.alias;
      if (alias == "selected") alias += "=" + cutoff.selected_alias;
      std::string extra;
      if (std::isfinite(total.low))
        extra = cell(total.low, "%.0f") + ".." + cell(total.high, "%.0f");
      if (total.correction != 1) extra += " x" + cell(total.correction, "%.3f");
      std::snprintf(line, sizeof line, "%-11s %-*s %9zu %6s %8s %6s %7s %7s %10s %s\n",
                    format_date(cutoff.cutoff).c_str(), width, alias.c_str(), m.players,
                    cell(m.normalized_gini, "%.3f").c_str(), cell(m.spearman, "%.3f").c_str(),
                    cell(m.payer_auc, "%.3f").c_str(), cell(m.calibration_error, "%.3f").c_str(),
                    cell(100 * m.aggregate_error, "%+.1f%%").c_str(), cell(m.mae, "%.1f").c_str(),
                    extra.c_str());
      out += line;
    }
    if (const std::string versus = versus_reference_text(cutoff); !versus.empty())
      out += format_date(cutoff.cutoff) + "  " + versus + "\n";
  }
  std::snprintf(line, sizeof line,
                "horizon %d days, spend %s; total = (predicted - actual) / actual; %.1f s\n",
                result.horizon_days, returns_mode_name(result.returns).c_str(), result.seconds);
  out += line;
  return out;
}

std::string backtest_csv(const BacktestResult& result) {
  std::string out = "cutoff,role,model,selected_model,correction_method";
  for (const Column& column : kColumns) out += std::string(",") + column.name;
  out += "\n";
  for (const CutoffResult& cutoff : result.cutoffs) {
    for (std::size_t r = 0; r < cutoff.report.rows.size(); ++r) {
      const ComparisonRow& row = cutoff.report.rows[r];
      out += format_date(cutoff.cutoff) + (cutoff.evaluated ? ",evaluated," : ",selection,") +
             row.alias + "," + (row.alias == "selected" ? cutoff.selected_alias : "") + "," +
             cutoff.totals[r].correction_name;
      for (const Column& column : kColumns)
        out += "," + csv_number(column.value(row, cutoff.totals[r]));
      out += "\n";
    }
  }
  return out;
}

std::string backtest_json(const BacktestResult& result) {
  nlohmann::ordered_json json;
  json["format"] = "playsight spend backtest";
  json["data_source"] = result.data_source;
  json["horizon_days"] = result.horizon_days;
  json["returns"] = returns_mode_name(result.returns);
  json["seconds"] = result.seconds;
  nlohmann::ordered_json cutoffs = nlohmann::ordered_json::array();
  for (const CutoffResult& cutoff : result.cutoffs) {
    nlohmann::ordered_json item;
    item["cutoff"] = format_date(cutoff.cutoff);
    item["role"] = cutoff.evaluated ? "evaluated" : "selection";
    item["selected_model"] = cutoff.selected_alias;
    std::vector<std::string> training;
    for (const Days d : cutoff.training_cutoffs) training.push_back(format_date(d));
    item["training_cutoffs"] = training;
    item["notes"] = cutoff.notes;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r < cutoff.report.rows.size(); ++r) {
      nlohmann::ordered_json row;
      row["model"] = cutoff.report.rows[r].alias;
      for (const Column& column : kColumns) {
        const double value = column.value(cutoff.report.rows[r], cutoff.totals[r]);
        row[column.name] = std::isfinite(value) ? nlohmann::ordered_json(value) : nullptr;
      }
      row["correction_method"] = cutoff.totals[r].correction_name;
      row["correction_note"] = cutoff.totals[r].correction_note;
      rows.push_back(std::move(row));
    }
    item["models"] = std::move(rows);
    if (cutoff.versus_reference.draws > 0) {
      const VersusReference& v = cutoff.versus_reference;
      item["selected_vs_reference"] = {{"reference", "bgnbd_gamma_gamma"},
                                       {"draws", v.draws},
                                       {"normalized_gini", difference_json(v.gini)},
                                       {"decile_mape", difference_json(v.decile_mape)},
                                       {"abs_total_error", difference_json(v.abs_total_error)}};
    }
    cutoffs.push_back(std::move(item));
  }
  json["cutoffs"] = std::move(cutoffs);
  return json.dump(2) + "\n";
}

BacktestFiles write_backtest_report(const BacktestResult& result, const std::string& folder) {
  std::filesystem::create_directories(folder);
  BacktestFiles files;
  files.csv = (std::filesystem::path(folder) / "backtest.csv").string();
  files.json = (std::filesystem::path(folder) / "backtest.json").string();
  write_file(files.csv, backtest_csv(result));
  write_file(files.json, backtest_json(result));
  for (const CutoffResult& cutoff : result.cutoffs) {
    if (!cutoff.evaluated) continue;
    const std::string sub =
        (std::filesystem::path(folder) / ("cutoff-" + format_date(cutoff.cutoff))).string();
    files.html.push_back(write_comparison_report(with_context(result, cutoff), sub).html);
  }
  return files;
}

}  // namespace playsight::spend::history
