#pragma once
// The comparison table's columns, declared once (header, definition, which direction is better,
// how a value prints) and used by the terminal table and the HTML table alike; and the number
// formatting that both share. Detail of comparison_report.cpp; not a public header.
#include <functional>
#include <string>
#include <vector>

#include "spend/comparison_report.h"

namespace playsight::spend::report {

enum class Better { kNone, kLower, kHigher, kNearerOne };
enum class Style { kMoney, kDecimal, kPercent, kSeconds };

struct Column {
  std::string key;         // machine name (the CSV/JSON field it shows)
  std::string header;      // short, for the table head
  std::string definition;  // one sentence, for the HTML tooltip and legend
  Better better = Better::kNone;
  Style style = Style::kDecimal;
  std::function<double(const ComparisonRow&)> value;
};

// The metric columns of the table (alias and kind come before them), with headers that name the
// report's MAPE offset, small-prediction threshold and currency.
std::vector<Column> table_columns(const ComparisonReport& report);

// For each row, whether its value is the best of the column (ties all count; NaN never does).
std::vector<bool> best_rows(const Column& column, const std::vector<ComparisonRow>& rows);

// "12,056", "0.392", "90.1%", "12.4 s"; "n/a" for NaN.
std::string format_cell(double value, Style style);

// An amount with thousands separators, rounded to `decimals` places: 1234567.8 -> "1,234,568".
std::string format_amount(double value, int decimals = 0);

// The report's MAPE offset and small-prediction threshold (from the first row; defaults if none).
double report_mape_offset(const ComparisonReport& report);
double report_small_prediction(const ComparisonReport& report);

}  // namespace playsight::spend::report
