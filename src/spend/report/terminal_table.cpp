// comparison_terminal_table: the comparison as aligned text for a terminal.
#include <algorithm>
#include <cmath>

#include "spend/comparison_report.h"
#include "spend/report/columns.h"

namespace playsight::spend {
namespace {

// Characters on screen: UTF-8 continuation bytes take no room (Σ, ŷ are one column each).
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void pad(std::string& out, const std::string& text, std::size_t width, bool right_aligned) {
  const std::size_t fill = width - std::min(width, display_width(text));
  if (right_aligned) out.append(fill, ' ');
  out += text;
  if (!right_aligned) out.append(fill, ' ');
}

std::string context_line(const ComparisonReport& report) {
  const ComparisonContext& context = report.context;
  std::string line = context.title;
  std::vector<std::string> parts;
  std::size_t players = context.test_players;
  if (players == 0 && !report.rows.empty()) players = report.rows[0].metrics.players;
  if (players)
    parts.push_back(report::format_amount(static_cast<double>(players)) + " test players");
  double payer_share = context.test_payer_share;
  if (std::isnan(payer_share) && !report.rows.empty() && report.rows[0].metrics.players) {
    payer_share = static_cast<double>(report.rows[0].metrics.payers) /
                  static_cast<double>(report.rows[0].metrics.players);
  }
  if (!std::isnan(payer_share)) {
    parts.push_back(report::format_cell(payer_share, report::Style::kPercent) + " payers");
  }
  if (!context.cutoff.empty()) parts.push_back("cutoff " + context.cutoff);
  if (!context.horizon.empty()) parts.push_back("horizon " + context.horizon);
  parts.push_back("amounts in " + context.currency);
  for (std::size_t i = 0; i < parts.size(); ++i) line += (i == 0 ? ": " : ", ") + parts[i];
  return line;
}

}  // namespace

std::string comparison_terminal_table(const ComparisonReport& report) {
  const auto columns = report::table_columns(report);
  std::vector<std::string> headers{"alias", "kind"};
  for (const auto& column : columns) headers.push_back(column.header);

  std::vector<std::vector<std::string>> cells;
  for (const auto& row : report.rows) {
    std::vector<std::string> line{row.alias, std::string(model_kind_name(row.kind))};
    for (const auto& column : columns) {
      line.push_back(report::format_cell(column.value(row), column.style));
    }
    cells.push_back(std::move(line));
  }
  std::vector<std::size_t> widths(headers.size());
  for (std::size_t c = 0; c < headers.size(); ++c) {
    widths[c] = display_width(headers[c]);
    for (const auto& line : cells) widths[c] = std::max(widths[c], display_width(line[c]));
  }
  std::size_t total_width = 0;
  for (std::size_t width : widths) total_width += width + 2;
  total_width -= 2;

  auto append_line = [&](const std::vector<std::string>& line, std::string& out) {
    for (std::size_t c = 0; c < line.size(); ++c) {
      if (c) out += "  ";
      pad(out, line[c], widths[c], c >= 2);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };

  std::string out = context_line(report) + "\n\n";
  append_line(headers, out);
  out.append(total_width, '-');
  out += '\n';
  for (std::size_t r = 0; r < cells.size(); ++r) {
    if (r > 0 && report.rows[r].kind != report.rows[r - 1].kind) {
      out.append(total_width, '-');
      out += '\n';
    }
    append_line(cells[r], out);
  }
  out +=
      "\nLower is better for MAE, MAPE, MAE payers and decile cal. err; higher for recall, Gini "
      "and Spearman; Σŷ/Σy is best at 1.\n" +
      columns[1].header +
      " rewards predicting 0 (about the payer share): report it, never choose a model by it. "
      "Recall columns are for classify-then-regress models.\n";
  return out;
}

}  // namespace playsight::spend
