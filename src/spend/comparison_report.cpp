#include "spend/comparison_report.h"

#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "core/table.h"
#include "core/text_buffer.h"
#include "spend/report/report_json.h"

namespace playsight::spend {
namespace {

using nlohmann::ordered_json;

ordered_json number(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

ordered_json count(std::size_t value) {
  return static_cast<std::uint64_t>(value);
}

double rounded_cents(double value) {
  return std::round(value * 100) / 100;
}

// The CSV's scalar columns, declared once: the header is the list of names.
struct CsvColumn {
  const char* name;
  double (*value)(const ComparisonRow&);
};

double classifier_value(const ComparisonRow& row, double value) {
  return row.metrics.has_classifier ? value : std::numeric_limits<double>::quiet_NaN();
}

const CsvColumn kCsvColumns[] = {
    {"players", [](const ComparisonRow& r) { return static_cast<double>(r.metrics.players); }},
    {"payers", [](const ComparisonRow& r) { return static_cast<double>(r.metrics.payers); }},
    {"mae", [](const ComparisonRow& r) { return r.metrics.mae; }},
    {"rmse", [](const ComparisonRow& r) { return r.metrics.rmse; }},
    {"mape_offset", [](const ComparisonRow& r) { return r.metrics.mape_offset; }},
    {"mape_after_offset", [](const ComparisonRow& r) { return r.metrics.mape_after_offset; }},
    {"payer_recall",
     [](const ComparisonRow& r) { return classifier_value(r, r.metrics.payer_recall); }},
    {"non_payer_recall",
     [](const ComparisonRow& r) { return classifier_value(r, r.metrics.non_payer_recall); }},
    {"small_prediction_threshold",
     [](const ComparisonRow& r) { return r.metrics.small_prediction; }},
    {"share_predicted_under_threshold",
     [](const ComparisonRow& r) { return r.metrics.share_predicted_under_small; }},
    {"normalized_gini", [](const ComparisonRow& r) { return r.metrics.normalized_gini; }},
    {"spearman", [](const ComparisonRow& r) { return r.metrics.spearman; }},
    {"total_actual", [](const ComparisonRow& r) { return r.metrics.total_actual; }},
    {"total_predicted", [](const ComparisonRow& r) { return r.metrics.total_predicted; }},
    {"total_ratio", [](const ComparisonRow& r) { return r.metrics.total_ratio; }},
    {"aggregate_error", [](const ComparisonRow& r) { return r.metrics.aggregate_error; }},
    {"payer_auc", [](const ComparisonRow& r) { return r.metrics.payer_auc; }},
    {"mae_payers", [](const ComparisonRow& r) { return r.metrics.mae_payers; }},
    {"mean_predicted_non_payers",
     [](const ComparisonRow& r) { return r.metrics.mean_predicted_non_payers; }},
    {"calibration_error", [](const ComparisonRow& r) { return r.metrics.calibration_error; }},
    {"zero_actual_buckets",
     [](const ComparisonRow& r) { return static_cast<double>(r.metrics.zero_actual_buckets); }},
    {"training_seconds", [](const ComparisonRow& r) { return r.training_seconds; }},
};

ordered_json metrics_json(const SpendMetrics& m) {
  ordered_json json;
  json["players"] = count(m.players);
  json["payers"] = count(m.payers);
  json["mae"] = number(m.mae);
  json["rmse"] = number(m.rmse);
  json["mape_offset"] = number(m.mape_offset);
  json["mape_after_offset"] = number(m.mape_after_offset);
  json["payer_recall"] = m.has_classifier ? number(m.payer_recall) : nullptr;
  json["non_payer_recall"] = m.has_classifier ? number(m.non_payer_recall) : nullptr;
  json["small_prediction_threshold"] = number(m.small_prediction);
  json["share_predicted_under_threshold"] = number(m.share_predicted_under_small);
  json["normalized_gini"] = number(m.normalized_gini);
  json["spearman"] = number(m.spearman);
  json["total_actual"] = number(m.total_actual);
  json["total_predicted"] = number(m.total_predicted);
  json["total_ratio"] = number(m.total_ratio);
  json["aggregate_error"] = number(m.aggregate_error);
  json["payer_auc"] = number(m.payer_auc);
  json["mae_payers"] = number(m.mae_payers);
  json["mean_predicted_non_payers"] = number(m.mean_predicted_non_payers);
  json["calibration_error"] = number(m.calibration_error);
  json["zero_actual_buckets"] = count(m.zero_actual_buckets);
  ordered_json deciles = ordered_json::array();
  for (std::size_t b = 0; b < m.calibration.size(); ++b) {
    const CalibrationBucket& bucket = m.calibration[b];
    deciles.push_back({{"bucket", b + 1},
                       {"players", count(bucket.players)},
                       {"min_predicted", number(bucket.min_predicted)},
                       {"max_predicted", number(bucket.max_predicted)},
                       {"mean_predicted", number(bucket.mean_predicted)},
                       {"mean_actual", number(bucket.mean_actual)},
                       {"relative_error", number(bucket.relative_error)}});
  }
  json["calibration"] = std::move(deciles);
  ordered_json by_actual = ordered_json::array();
  for (const ActualSpendBucket& bucket : m.by_actual_spend) {
    by_actual.push_back({{"lower", number(bucket.lower)},
                         {"upper", number(bucket.upper)},  // null: no upper bound
                         {"players", count(bucket.players)},
                         {"mean_actual", number(bucket.mean_actual)},
                         {"mean_predicted", number(bucket.mean_predicted)}});
  }
  json["by_actual_spend"] = std::move(by_actual);
  json["notes"] = m.notes;
  return json;
}

}  // namespace

namespace report {

ordered_json report_json(const ComparisonReport& report) {
  const ComparisonContext& c = report.context;
  ordered_json json;
  json["format"] = "playsight spend comparison";
  json["format_version"] = 1;
  json["context"] = {{"title", c.title},
                     {"data_source", c.data_source},
                     {"train_players", count(c.train_players)},
                     {"validation_players", count(c.validation_players)},
                     {"test_players", count(c.test_players)},
                     {"test_payer_share", number(c.test_payer_share)},
                     {"cutoff", c.cutoff},
                     {"horizon", c.horizon},
                     {"currency", c.currency},
                     {"protocol_notes", c.protocol_notes},
                     {"generated_by", c.generated_by}};
  ordered_json rows = ordered_json::array();
  for (const ComparisonRow& row : report.rows) {
    rows.push_back({{"alias", row.alias},
                    {"description", row.description},
                    {"kind", model_kind_name(row.kind)},
                    {"training_seconds", number(row.training_seconds)},
                    {"metrics", metrics_json(row.metrics)}});
  }
  json["rows"] = std::move(rows);
  return json;
}

ordered_json sample_json(const std::vector<PredictionPair>& sample) {
  ordered_json actual = ordered_json::array(), predicted = ordered_json::array();
  for (const PredictionPair& pair : sample) {
    actual.push_back(rounded_cents(pair.actual));
    predicted.push_back(rounded_cents(pair.predicted));
  }
  return {{"actual", std::move(actual)}, {"predicted", std::move(predicted)}};
}

}  // namespace report

std::string_view model_kind_name(ModelKind kind) {
  switch (kind) {
    case ModelKind::kTeam:
      return "team";
    case ModelKind::kNew:
      return "new";
    case ModelKind::kReference:
      return "reference";
  }
  return "unknown";
}

std::vector<PredictionPair> sample_prediction_pairs(std::span<const double> actual,
                                                    std::span<const double> predicted,
                                                    std::size_t max_pairs) {
  const std::size_t n = std::min(actual.size(), predicted.size());
  const std::size_t m = std::min(n, max_pairs);
  std::vector<PredictionPair> sample(m);
  for (std::size_t k = 0; k < m; ++k) {
    const std::size_t i = k * n / m;
    sample[k] = {actual[i], predicted[i]};
  }
  return sample;
}

ComparisonRow score_model(const ModelPredictions& model, std::span<const double> actual,
                          const MetricOptions& options, std::size_t sample_size) {
  ComparisonRow row;
  row.alias = model.alias;
  row.description = model.description;
  row.kind = model.kind;
  row.training_seconds = model.training_seconds;
  try {
    row.metrics =
        model.predicted_payer.empty()
            ? compute_spend_metrics(actual, model.predicted, options)
            : compute_spend_metrics(actual, model.predicted, model.predicted_payer, options);
  } catch (const InputError& error) {
    throw InputError("model " + quote_for_message(model.alias) + ": " + error.what());
  }
  row.sample = sample_prediction_pairs(actual, model.predicted, sample_size);
  return row;
}

std::string comparison_csv(const ComparisonReport& report) {
  std::size_t buckets = 0;
  for (const auto& row : report.rows) buckets = std::max(buckets, row.metrics.calibration.size());
  TextBuffer out;
  out.append("alias,description,kind");
  for (const CsvColumn& column : kCsvColumns) {
    out.append(',');
    out.append(column.name);
  }
  for (std::size_t b = 1; b <= buckets; ++b) {
    const std::string prefix = ",decile_" + std::to_string(b);
    out.append(prefix + "_mean_predicted" + prefix + "_mean_actual");
  }
  out.append('\n');
  for (const auto& row : report.rows) {
    out.append_csv_field(row.alias);
    out.append(',');
    out.append_csv_field(row.description);
    out.append(',');
    out.append(model_kind_name(row.kind));
    for (const CsvColumn& column : kCsvColumns) {
      out.append(',');
      out.append_fixed(column.value(row), 6);
    }
    for (std::size_t b = 0; b < buckets; ++b) {
      const bool present = b < row.metrics.calibration.size();
      out.append(',');
      if (present) out.append_fixed(row.metrics.calibration[b].mean_predicted, 6);
      out.append(',');
      if (present) out.append_fixed(row.metrics.calibration[b].mean_actual, 6);
    }
    out.append('\n');
  }
  return out.str();
}

std::string comparison_json(const ComparisonReport& report) {
  // Each row's sample is a placeholder while the document is pretty-printed, then replaced by the
  // sample printed on one line: thousands of numbers one per line would bury the metrics.
  ordered_json json = report::report_json(report);
  std::vector<std::string> samples;
  for (std::size_t r = 0; r < report.rows.size(); ++r) {
    const std::string marker = "@playsight-sample-" + std::to_string(r) + "@";
    json["rows"][r]["sample"] = marker;
    samples.push_back(report::sample_json(report.rows[r].sample).dump());
  }
  std::string text = json.dump(2);
  std::size_t from = 0;
  for (std::size_t r = 0; r < samples.size(); ++r) {
    const std::string placeholder = "\"sample\": \"@playsight-sample-" + std::to_string(r) + "@\"";
    const std::size_t at = text.find(placeholder, from);
    if (at == std::string::npos)
      throw Error("comparison JSON: lost the sample of row " + std::to_string(r));
    text.replace(at, placeholder.size(), "\"sample\": " + samples[r]);
    from = at;
  }
  return text + "\n";
}

ComparisonFiles write_comparison_report(const ComparisonReport& report, const std::string& folder) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw Error("cannot create the report folder " + folder + ": " + error.message());
  const std::filesystem::path base(folder);
  ComparisonFiles files{(base / "comparison.csv").string(), (base / "comparison.json").string(),
                        (base / "comparison.html").string()};
  write_file(files.csv, comparison_csv(report));
  write_file(files.json, comparison_json(report));
  write_file(files.html, comparison_html(report));
  return files;
}

}  // namespace playsight::spend
