#include "spend/comparison_report.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../support/temp_dir.h"
#include "core/error.h"
#include "playsight/chart_js.h"
#include "spend/report/columns.h"

namespace playsight::spend {
namespace {

// The five players of metrics_test.cpp (values worked by hand there), with c = 10, a
// small-prediction threshold of 10 and two calibration buckets.
const std::vector<double> kActual{0, 0, 10, 20, 70};
const std::vector<double> kPredicted{5, 0, 10, 40, 25};
const std::vector<double> kZeros(5, 0.0);
const std::vector<std::uint8_t> kDecision{0, 1, 1, 0, 1};

MetricOptions tiny_options() {
  MetricOptions options;
  options.mape_offset = 10;
  options.small_prediction = 10;
  options.calibration_buckets = 2;
  return options;
}

ComparisonReport tiny_report() {
  ComparisonReport report;
  report.context.test_players = 5;
  report.context.cutoff = "2026-10-01";
  report.context.horizon = "30d";
  report.context.protocol_notes = {"Control group only; split by player 70/15/15."};
  report.context.generated_by = "playsight test";
  ModelPredictions model{
      "mse_model", "trees, squared error", ModelKind::kTeam, kPredicted, kDecision, 1.5};
  report.rows.push_back(score_model(model, kActual, tiny_options()));
  ModelPredictions zero{"predict 0 for everyone", "Predicts 0 for every player",
                        ModelKind::kReference, kZeros};
  report.rows.push_back(score_model(zero, kActual, tiny_options()));
  return report;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(ComparisonReport, CsvHeaderAndRowsByteForByte) {
  const auto lines = lines_of(comparison_csv(tiny_report()));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "alias,description,kind,players,payers,mae,rmse,mape_offset,mape_after_offset,"
            "payer_recall,non_payer_recall,small_prediction_threshold,"
            "share_predicted_under_threshold,normalized_gini,spearman,total_actual,"
            "total_predicted,total_ratio,aggregate_error,payer_auc,mae_payers,"
            "mean_predicted_non_payers,calibration_error,zero_actual_buckets,training_seconds,"
            "decile_1_mean_predicted,decile_1_mean_actual,decile_2_mean_predicted,"
            "decile_2_mean_actual");
  // MAE 14, RMSE sqrt(490), MAPE+10 1.7291666/5, recalls 2/3 and 1/2, share 2/5, Gini .64/.84,
  // Spearman 8.5/sqrt(95), Σŷ/Σy 80/100, AUC 1, MAE payers 65/3, non-payers 2.5; buckets
  // (ŷ 0, 5 | 10, 25, 40): means 2.5 vs 0 (left out), 25 vs 100/3 (error 0.25).
  EXPECT_EQ(lines[1],
            "mse_model,\"trees, squared error\",team,5,3,14,22.135944,10,0.345833,0.666667,0.5,"
            "10,0.4,0.761905,0.872082,100,80,0.8,-0.2,1,21.666667,2.5,0.25,1,1.5,2.5,0,25,"
            "33.333333");
  // Predict 0: no classifier, Gini and Spearman undefined (empty), nothing trained (empty).
  EXPECT_EQ(lines[2],
            "predict 0 for everyone,Predicts 0 for every player,reference,5,3,20,32.863353,10,"
            "0.408333,,,10,1,,,100,0,0,-1,0.5,33.333333,0,1,1,,0,0,0,33.333333");
}

TEST(ComparisonReport, JsonHasEverythingWithNullForUndefined) {
  const auto json = nlohmann::json::parse(comparison_json(tiny_report()));
  EXPECT_EQ(json["format"], "playsight spend comparison");
  EXPECT_EQ(json["context"]["cutoff"], "2026-10-01");
  EXPECT_EQ(json["context"]["test_players"], 5);
  EXPECT_TRUE(json["context"]["test_payer_share"].is_null());
  ASSERT_EQ(json["rows"].size(), 2u);
  const auto& model = json["rows"][0];
  EXPECT_EQ(model["alias"], "mse_model");
  EXPECT_EQ(model["kind"], "team");
  EXPECT_DOUBLE_EQ(model["training_seconds"].get<double>(), 1.5);
  const auto& metrics = model["metrics"];
  for (const char* field : {"mae", "rmse", "mape_after_offset", "payer_recall", "non_payer_recall",
                            "share_predicted_under_threshold", "normalized_gini", "spearman",
                            "total_ratio", "aggregate_error", "payer_auc", "mae_payers",
                            "mean_predicted_non_payers", "calibration_error"}) {
    ASSERT_TRUE(metrics.contains(field)) << field;
    EXPECT_TRUE(metrics[field].is_number()) << field;
  }
  EXPECT_DOUBLE_EQ(metrics["mae"].get<double>(), 14);
  ASSERT_EQ(metrics["calibration"].size(), 2u);
  EXPECT_DOUBLE_EQ(metrics["calibration"][1]["mean_predicted"].get<double>(), 25);
  EXPECT_TRUE(metrics["calibration"][0]["relative_error"].is_null());
  EXPECT_EQ(metrics["by_actual_spend"].size(), 6u);
  EXPECT_TRUE(metrics["by_actual_spend"][5]["upper"].is_null());  // open-ended
  EXPECT_EQ(model["sample"]["actual"].size(), 5u);
  EXPECT_DOUBLE_EQ(model["sample"]["predicted"][3].get<double>(), 40);

  const auto& zero = json["rows"][1]["metrics"];
  EXPECT_TRUE(zero["normalized_gini"].is_null());
  EXPECT_TRUE(zero["spearman"].is_null());
  EXPECT_TRUE(zero["payer_recall"].is_null());
  EXPECT_TRUE(json["rows"][1]["training_seconds"].is_null());
  ASSERT_FALSE(zero["notes"].empty());
}

// The report's data, as the page's script reads it.
nlohmann::json embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const std::size_t begin = html.find(open);
  EXPECT_NE(begin, std::string::npos);
  const std::size_t end = html.find("</script>", begin);
  return nlohmann::json::parse(html.substr(begin + open.size(), end - begin - open.size()));
}

TEST(ComparisonReport, HtmlHasTheTableTheChartDataAndNoNetwork) {
  const std::string html = comparison_html(tiny_report());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("How to read this"), std::string::npos);
  // One table row per model, the MAE cell of the better model highlighted.
  EXPECT_NE(html.find("<td class=\"text alias\" data-value=\"mse_model\"><b>mse_model</b>"),
            std::string::npos);
  EXPECT_NE(html.find("<b>predict 0 for everyone</b><span class=\"kind kind-reference\">"
                      "reference</span><div>Predicts 0 for every player</div>"),
            std::string::npos);
  EXPECT_NE(html.find("<td class=\"best\" data-value=\"14.0\">14.0</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"na\" data-value=\"\">n/a</td>"), std::string::npos);
  for (const char* canvas :
       {"calibration-overlay", "calibration-grid", "by-actual-spend", "scatter-grid"}) {
    EXPECT_NE(html.find(canvas), std::string::npos) << canvas;
  }
  // Every model's chart data is in the page.
  const auto data = embedded_data(html);
  ASSERT_EQ(data["rows"].size(), 2u);
  for (const auto& row : data["rows"]) {
    EXPECT_EQ(row["metrics"]["calibration"].size(), 2u) << row["alias"];
    EXPECT_EQ(row["metrics"]["by_actual_spend"].size(), 6u) << row["alias"];
    EXPECT_EQ(row["sample"]["predicted"].size(), 5u) << row["alias"];
  }
  // Chart.js is inline; apart from its licence banners nothing names a URL, and nothing loads.
  const std::string_view chart_js(kChartJs);
  const std::size_t library = html.find(chart_js);
  ASSERT_NE(library, std::string::npos);
  const std::string own = html.substr(0, library) + html.substr(library + chart_js.size());
  EXPECT_EQ(own.find("http"), std::string::npos);
  EXPECT_EQ(own.find("src="), std::string::npos);
  EXPECT_EQ(own.find("<link"), std::string::npos);
  EXPECT_EQ(own.find("@import"), std::string::npos);
  EXPECT_EQ(own.find("sourceMappingURL"), std::string::npos);
  EXPECT_EQ(html.find("sourceMappingURL"), std::string::npos);
  for (const char* loader : {"fetch(", "XMLHttpRequest", "import(", "<link", "<iframe"}) {
    EXPECT_EQ(chart_js.find(loader), std::string::npos) << loader;
  }
}

// Opens the report in a real browser (Debian chromium, when installed) and counts the charts that
// Chart.js drew: a script error would leave some canvases undrawn or missing.
TEST(ComparisonReport, HtmlDrawsEveryChartInABrowser) {
  const std::string browser = "/usr/bin/chromium";
  if (!std::filesystem::exists(browser)) GTEST_SKIP() << "no " << browser;
  testing::TempDir dir;
  const ComparisonReport report = tiny_report();
  const std::string page = dir.write("report.html", comparison_html(report));
  const std::string dom = dir.file("dom.html");
  const std::string command = "timeout 60 " + browser +
                              " --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
                              " --virtual-time-budget=3000 --dump-dom file://" +
                              page + " > " + dom + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream in(dom);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t drawn = 0;
  for (std::size_t at = text.find("<canvas"); at != std::string::npos;
       at = text.find("<canvas", at + 1)) {
    const std::size_t end = text.find('>', at);
    if (text.substr(at, end - at).find("display: block") != std::string::npos) ++drawn;
  }
  // Two overlays, and per model a calibration chart and a scatter plot.
  EXPECT_EQ(drawn, 2 + 2 * report.rows.size());
  EXPECT_NE(text.find("<h3>predict 0 for everyone</h3>"), std::string::npos);
}

TEST(ComparisonReport, HtmlEscapesUserText) {
  ComparisonReport report = tiny_report();
  report.rows[0].alias = "</script><b>";
  report.context.title = "A & B";
  const std::string html = comparison_html(report);
  EXPECT_NE(html.find("<title>A &amp; B</title>"), std::string::npos);
  EXPECT_NE(html.find("&lt;/script&gt;&lt;b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("</script><b>"), std::string::npos);
  EXPECT_EQ(embedded_data(html)["rows"][0]["alias"], "</script><b>");
}

TEST(ComparisonReport, TerminalTableColumns) {
  ComparisonReport report = tiny_report();
  // A realistic amount to show the thousands separator.
  const std::vector<double> big{0, 0, 12000, 30000, 70000};
  report.rows.push_back(
      score_model({"knn", "k nearest neighbours", ModelKind::kNew, kZeros}, big, tiny_options()));
  const auto lines = lines_of(comparison_terminal_table(report));
  ASSERT_GE(lines.size(), 8u);
  EXPECT_EQ(lines[0].rfind("Spend model comparison: 5 test players, 60.0% payers, cutoff "
                           "2026-10-01, horizon 30d, amounts in KRW",
                           0),
            0u);
  const std::string& header = lines[2];
  std::size_t at = 0;
  for (const char* column :
       {"alias", "kind", "MAE", "MAPE+10", "payer recall", "non-payer recall", "share < 10",
        "norm. Gini", "Spearman", "Σŷ/Σy", "MAE payers", "decile cal. err", "train s"}) {
    const std::size_t found = header.find(column, at);
    ASSERT_NE(found, std::string::npos) << column << " in " << header;
    at = found + 1;
  }
  // Rows by kind, a rule between kinds: header, rule, team, rule, reference, rule, new.
  EXPECT_EQ(lines[3].find_first_not_of('-'), std::string::npos);
  EXPECT_EQ(lines[4].rfind("mse_model", 0), 0u);
  EXPECT_EQ(lines[5].find_first_not_of('-'), std::string::npos);
  EXPECT_EQ(lines[6].rfind("predict 0 for everyone", 0), 0u);
  EXPECT_EQ(lines[8].rfind("knn", 0), 0u);
  EXPECT_NE(lines[8].find("37,333"), std::string::npos);  // MAE (12,000+30,000+70,000)/3 payers

  // Numbers are right-aligned under their header: the MAE column ends where "MAE" ends.
  const std::size_t mae_end = header.find("MAE") + 3;
  EXPECT_EQ(lines[4].substr(mae_end - 4, 4), "14.0");
  EXPECT_EQ(lines[4][mae_end], ' ');
  EXPECT_NE(lines[6].find("n/a"), std::string::npos);    // the Gini of a constant prediction
  EXPECT_NE(lines[4].find("66.7%"), std::string::npos);  // payer recall
}

TEST(ComparisonReport, NumberFormatting) {
  EXPECT_EQ(report::format_amount(1234567.8), "1,234,568");
  EXPECT_EQ(report::format_amount(-1234.5, 1), "-1,234.5");
  EXPECT_EQ(report::format_amount(999), "999");
  EXPECT_EQ(report::format_amount(-0.2), "0");
  EXPECT_EQ(report::format_cell(12056.4, report::Style::kMoney), "12,056");
  EXPECT_EQ(report::format_cell(0.3921, report::Style::kDecimal), "0.392");
  EXPECT_EQ(report::format_cell(0.9013, report::Style::kPercent), "90.1%");
  EXPECT_EQ(report::format_cell(NAN, report::Style::kPercent), "n/a");
}

TEST(ComparisonReport, BestValuePerColumn) {
  const ComparisonReport report = tiny_report();
  for (const auto& column : report::table_columns(report)) {
    const auto best = report::best_rows(column, report.rows);
    if (column.key == "mae") {
      EXPECT_EQ(best, (std::vector<bool>{true, false}));
    }
    if (column.key == "total_ratio") {
      EXPECT_EQ(best, (std::vector<bool>{true, false}));
    }
    if (column.key == "normalized_gini") {
      EXPECT_EQ(best, (std::vector<bool>{true, false}));
    }
    if (column.key == "share_predicted_under_threshold") {
      EXPECT_EQ(best, (std::vector<bool>{false, false}));  // no better direction
    }
  }
}

TEST(ComparisonReport, SampleIsEvenlySpacedAndTheSameForEveryModel) {
  std::vector<double> actual(10), predicted(10);
  for (std::size_t i = 0; i < 10; ++i) {
    actual[i] = static_cast<double>(i);
    predicted[i] = 100.0 + static_cast<double>(i);
  }
  const auto sample = sample_prediction_pairs(actual, predicted, 4);
  ASSERT_EQ(sample.size(), 4u);
  EXPECT_DOUBLE_EQ(sample[0].actual, 0);
  EXPECT_DOUBLE_EQ(sample[1].actual, 2);  // 1·10/4
  EXPECT_DOUBLE_EQ(sample[2].actual, 5);
  EXPECT_DOUBLE_EQ(sample[3].predicted, 107);
  EXPECT_EQ(sample_prediction_pairs(actual, predicted, 2000).size(), 10u);
}

TEST(ComparisonReport, ScoreModelNamesTheModelInErrors) {
  const std::vector<double> short_predictions{1, 2};
  try {
    score_model({"bin_knn_model", "", ModelKind::kTeam, short_predictions}, kActual);
    FAIL() << "expected an InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("model 'bin_knn_model': spend metrics: 5 actual"),
              std::string::npos)
        << error.what();
  }
}

TEST(ComparisonReport, WritesThreeFiles) {
  testing::TempDir dir;
  const auto files = write_comparison_report(tiny_report(), dir.file("out/report"));
  for (const auto& path : {files.csv, files.json, files.html}) {
    EXPECT_TRUE(std::filesystem::exists(path)) << path;
    EXPECT_GT(std::filesystem::file_size(path), 100u) << path;
  }
  EXPECT_EQ(std::filesystem::path(files.html).filename(), "comparison.html");
  std::ifstream csv(files.csv);
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("alias,description,kind,", 0), 0u);
}

}  // namespace
}  // namespace playsight::spend
