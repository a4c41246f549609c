#pragma once
// The backtest's report (backtest.h): one row per model and evaluated cutoff with normalised Gini,
// Spearman, payer AUC, decile MAPE, total error, MAE and the total with its interval; as a
// terminal table, CSV and JSON, plus, per evaluated cutoff, the comparison report of
// comparison_report.h (its HTML has the decile / lift chart of every model).
//
// Pure functions of the result; write_backtest_report throws Error when a file cannot be written.
#include <string>

#include "spend/history/backtest.h"

namespace playsight::spend::history {

std::string backtest_terminal_table(const BacktestResult& result);
std::string backtest_csv(const BacktestResult& result);
std::string backtest_json(const BacktestResult& result);

struct BacktestFiles {
  std::string csv, json;
  std::vector<std::string> html;  // one per evaluated cutoff
};

// Writes backtest.csv, backtest.json and cutoff-YYYY-MM-DD/comparison.{csv,json,html} for every
// evaluated cutoff into `folder` (created if missing).
BacktestFiles write_backtest_report(const BacktestResult& result, const std::string& folder);

}  // namespace playsight::spend::history
