#include "spend/report/columns.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace playsight::spend::report {
namespace {

// snprintf with a fixed format, "-0" turned into "0".
std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string result = text;
  if (result[0] == '-' && result.find_first_not_of("-0.") == std::string::npos) result.erase(0, 1);
  return result;
}

}  // namespace

std::string format_amount(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  const std::string plain = fixed(value, decimals);
  const std::size_t sign = plain[0] == '-' ? 1 : 0;
  const std::size_t point = plain.find('.');
  const std::size_t integer_end = point == std::string::npos ? plain.size() : point;
  std::string result = plain.substr(0, sign);
  for (std::size_t i = sign; i < integer_end; ++i) {
    if (i > sign && (integer_end - i) % 3 == 0) result += ',';
    result += plain[i];
  }
  result += plain.substr(integer_end);
  return result;
}

std::string format_cell(double value, Style style) {
  if (std::isnan(value)) return "n/a";
  switch (style) {
    case Style::kMoney: {
      const double magnitude = std::fabs(value);
      return format_amount(value, magnitude < 10 ? 2 : magnitude < 100 ? 1 : 0);
    }
    case Style::kDecimal:
      return fixed(value, 3);
    case Style::kPercent:
      return fixed(value * 100, 1) + "%";
    case Style::kSeconds:
      return fixed(value, 1);
  }
  return fixed(value, 3);
}

double report_mape_offset(const ComparisonReport& report) {
  return report.rows.empty() ? MetricOptions{}.mape_offset : report.rows[0].metrics.mape_offset;
}

double report_small_prediction(const ComparisonReport& report) {
  return report.rows.empty() ? MetricOptions{}.small_prediction
                             : report.rows[0].metrics.small_prediction;
}

std::vector<Column> table_columns(const ComparisonReport& report) {
  const std::string currency = report.context.currency;
  const std::string offset = format_amount(report_mape_offset(report), 0);
  const std::string offset_plain = fixed(report_mape_offset(report), 0);
  const std::string small = format_amount(report_small_prediction(report), 0);
  auto classifier = [](double value, bool has) {
    return has ? value : std::numeric_limits<double>::quiet_NaN();
  };
  return {
      {"mae", "MAE", "Mean absolute error, " + currency + " per player.", Better::kLower,
       Style::kMoney, [](const ComparisonRow& r) { return r.metrics.mae; }},
      {"mape_after_offset", "MAPE+" + offset_plain,
       "Mean of |y - ŷ| / (y + " + offset +
           "): the team's metric. Predicting 0 for everyone scores about the payer share; never "
           "select models with it.",
       Better::kLower, Style::kDecimal,
       [](const ComparisonRow& r) { return r.metrics.mape_after_offset; }},
      {"payer_recall", "payer recall",
       "Share of payers that the classifier stage calls payers (classify-then-regress models "
       "only).",
       Better::kHigher, Style::kPercent,
       [classifier](const ComparisonRow& r) {
         return classifier(r.metrics.payer_recall, r.metrics.has_classifier);
       }},
      {"non_payer_recall", "non-payer recall",
       "Share of non-payers that the classifier stage calls non-payers.", Better::kHigher,
       Style::kPercent,
       [classifier](const ComparisonRow& r) {
         return classifier(r.metrics.non_payer_recall, r.metrics.has_classifier);
       }},
      {"share_predicted_under_threshold", "share < " + small,
       "Share of players predicted under " + small + " " + currency +
           ": near 1 means the model collapsed to predicting about 0.",
       Better::kNone, Style::kPercent,
       [](const ComparisonRow& r) { return r.metrics.share_predicted_under_small; }},
      {"normalized_gini", "norm. Gini",
       "How well the predictions order players by spend: 1 perfect, 0 random.", Better::kHigher,
       Style::kDecimal, [](const ComparisonRow& r) { return r.metrics.normalized_gini; }},
      {"spearman", "Spearman", "Rank correlation of predicted and actual amounts.", Better::kHigher,
       Style::kDecimal, [](const ComparisonRow& r) { return r.metrics.spearman; }},
      {"total_ratio", "Σŷ/Σy",
       "Total predicted over total actual: 1 means group sums (a nudge's effect) come out right.",
       Better::kNearerOne, Style::kDecimal,
       [](const ComparisonRow& r) { return r.metrics.total_ratio; }},
      {"mae_payers", "MAE payers", "Mean absolute error over players who paid, " + currency + ".",
       Better::kLower, Style::kMoney, [](const ComparisonRow& r) { return r.metrics.mae_payers; }},
      {"calibration_error", "decile cal. err",
       "Mean over deciles of predictions of |mean predicted - mean actual| / mean actual (deciles "
       "where nobody paid are left out).",
       Better::kLower, Style::kPercent,
       [](const ComparisonRow& r) { return r.metrics.calibration_error; }},
      {"training_seconds", "train s", "Wall time to train, in seconds.", Better::kNone,
       Style::kSeconds, [](const ComparisonRow& r) { return r.training_seconds; }},
  };
}

std::vector<bool> best_rows(const Column& column, const std::vector<ComparisonRow>& rows) {
  std::vector<bool> best(rows.size(), false);
  if (column.better == Better::kNone) return best;
  auto score = [&](double value) {  // lower is better
    switch (column.better) {
      case Better::kLower:
        return value;
      case Better::kHigher:
        return -value;
      case Better::kNearerOne:
        return std::fabs(value - 1);
      case Better::kNone:
        break;
    }
    return value;
  };
  double best_score = std::numeric_limits<double>::infinity();
  for (const auto& row : rows) {
    const double value = column.value(row);
    if (!std::isnan(value)) best_score = std::min(best_score, score(value));
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double value = column.value(rows[i]);
    // Equal as printed counts as a tie: compare after rounding to what the table shows.
    best[i] = !std::isnan(value) &&
              format_cell(score(value), column.style) == format_cell(best_score, column.style);
  }
  return best;
}

}  // namespace playsight::spend::report
