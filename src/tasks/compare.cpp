// playsight compare: trains every spend model (or a list) under one protocol on one game log or
// transaction file, scores them on the same test players, and writes the comparison table as a
// terminal table, CSV, JSON and an HTML report.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "gamelog/log_folder.h"
#include "playsight/version.h"
#include "spend/clv/clv_model.h"
#include "spend/comparison_report.h"
#include "spend/features.h"
#include "spend/history/backtest_report.h"
#include "spend/model_comparison.h"
#include "spend/models/training.h"
#include "tasks/catalog.h"

namespace playsight::tasks {
namespace {

// "30d" -> 30, "39w" -> 273.
int parse_horizon(const std::string& text) {
  std::size_t used = 0;
  int count = 0;
  try {
    count = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  if (used == 0 || count <= 0 || (unit != "d" && unit != "w")) {
    throw InputError("--horizon: expected a number of days or weeks like 30d or 39w, got '" + text +
                     "'");
  }
  return unit == "w" ? count * 7 : count;
}

std::vector<Days> parse_cutoffs(const std::string& list) {
  std::vector<Days> days;
  std::stringstream stream(list);
  std::string text;
  while (std::getline(stream, text, ',')) {
    try {
      days.push_back(parse_date(text));
    } catch (const FieldError& error) {
      throw InputError(std::string("--cutoffs: ") + error.what());
    }
  }
  if (days.empty()) throw InputError("--cutoffs: expected dates like 2011-09-09,2011-10-09");
  return days;
}

Result run_backtest(const Values& values) {
  namespace history = spend::history;
  history::BacktestOptions options;
  if (values.has("cutoffs")) options.cutoffs = parse_cutoffs(values.text("cutoffs"));
  if (values.has("backtest")) options.backtest = static_cast<int>(values.integer("backtest"));
  options.horizon_days = parse_horizon(values.text("horizon"));
  options.returns = history::returns_mode_from(values.text("returns"), "--returns");
  options.total_correction =
      history::total_correction_from(values.text("total-correction"), "--total-correction");
  options.training_windows = static_cast<int>(values.integer("training-windows"));
  options.season_windows = static_cast<int>(values.integer("season-windows"));
  options.selection_cutoffs = static_cast<int>(values.integer("selection-cutoffs"));
  options.bootstrap_draws = static_cast<int>(values.integer("bootstrap"));
  options.threads = values.count("threads");
  options.seed = static_cast<std::uint64_t>(values.integer("seed"));
  options.models = values.list("models");
  history::HistoryReadOptions read_options;
  read_options.columns.customer = values.text("customer-column");
  read_options.columns.timestamp = values.text("time-column");
  read_options.columns.amount = values.text("amount-column");
  read_options.columns.kind = values.text("kind-column");
  read_options.threads = options.threads;
  const history::PurchaseHistory purchases =
      history::read_purchase_history(values.text("transactions"), read_options);
  std::fprintf(stderr, "compare: %zu customers, %llu purchases, %llu returns (%s)\n",
               purchases.size(), static_cast<unsigned long long>(purchases.purchases),
               static_cast<unsigned long long>(purchases.returns), values.text("returns").c_str());
  const history::BacktestResult result = history::run_backtest(purchases, options);
  const history::BacktestFiles files = history::write_backtest_report(result, values.text("out"));
  std::printf("%s", history::backtest_terminal_table(result).c_str());
  std::printf("report: %s\n        %s\n", files.csv.c_str(), files.json.c_str());
  Result written{{{"table", files.csv}, {"report", files.json}}};
  for (const std::string& html : files.html) {
    std::printf("        %s\n", html.c_str());
    written.written.push_back({"cutoff_report", html});
  }
  return written;
}

void list_models() {
  std::printf("%-26s %-10s %s\n", "model", "kind", "what it is");
  for (const spend::ComparableModel& model : spend::comparable_models())
    std::printf("%-26s %-10s %s\n", model.alias.c_str(), model.kind.c_str(),
                model.description.c_str());
}

Result run_compare(const Values& values, Progress&) {
  if (values.flag("list")) {
    list_models();
    return {};
  }
  spend::ComparisonRequest request;
  request.logs = values.text("logs");
  request.transactions = values.text("transactions");
  if (request.logs.empty() == request.transactions.empty()) {
    throw InputError(
        "give either --logs FOLDER (a game log) or --transactions FILE (user_id,timestamp,amount)");
  }
  if (!request.transactions.empty() && (values.has("cutoffs") || values.has("backtest")))
    return run_backtest(values);
  const std::string& out = values.text("out");
  request.features = values.text("features");
  request.cutoff = values.text("cutoff");
  request.horizon = values.text("horizon");
  request.horizon_days = parse_horizon(request.horizon);
  request.window_days = static_cast<int>(values.integer("window-days"));
  request.models = values.list("models");
  request.all_players = values.flag("all-players");
  request.trim_top_share = values.number("trim-top");
  request.seed = static_cast<std::uint64_t>(values.integer("seed"));
  request.threads = values.count("threads");
  if (values.flag("save-models")) request.save_models_folder = out + "/models";
  const spend::ComparisonReport report = spend::compare_models(request);
  std::filesystem::create_directories(out);
  const spend::ComparisonFiles files = spend::write_comparison_report(report, out);
  std::printf("%s\n", spend::comparison_terminal_table(report).c_str());
  std::printf("report: %s\n        %s\n        %s\n", files.html.c_str(), files.csv.c_str(),
              files.json.c_str());
  if (!request.save_models_folder.empty()) std::printf("models: %s/models/<alias>\n", out.c_str());
  return {{{"report", files.html}, {"table", files.csv}, {"json", files.json}}};
}

}  // namespace

std::vector<Task> compare_tasks() {
  const spend::history::BacktestOptions backtest;
  const spend::history::HistoryColumns columns;
  return {{
      .name = "compare",
      .part = "spend",
      .summary = "Train and compare spend models on the same players: the team's nine, the new "
                 "ones and the reference rows; prints the table and writes CSV, JSON and an HTML "
                 "report.",
      .options =
          {Option::path("logs", "game-log folder (features are built from it)"),
           Option::path("transactions", "or a plain transaction file user_id,timestamp,amount"),
           Option::path("features",
                        "a feature table already built from --logs (skips building it)"),
           Option::date("cutoff", "default: the cutoff in the logs' manifest.json"),
           Option::text("horizon", "label window: days or weeks, e.g. 30d, 39w", "30d"),
           Option::integer("window-days", "observation window of the features", 90).in_unit("days"),
           Option::list("models", "comma-separated aliases (default: all; see --list)"),
           shared::out("folder for comparison.csv/.json/.html", "comparison"),
           all_players_option(),
           trim_top_option(),
           Option::flag("save-models", "also save every trained model under OUT/models/"),
           shared::seed("seed of the split and the trees", spend::ModelOptions{}.seed),
           shared::threads(),
           Option::flag("list", "list the models and exit"),
           Option::text("cutoffs",
                        "with --transactions: backtest at these cutoffs, e.g. "
                        "2011-09-09,2011-10-09,2011-11-09 (models train on earlier windows only)"),
           Option::integer("backtest",
                           "with --transactions: backtest at the K latest cutoffs, one horizon "
                           "apart",
                           backtest.backtest)
               .without_default(),
           Option::text("customer-column", "backtest: the transaction file's customer id column",
                        columns.customer),
           Option::text("time-column",
                        "backtest: its timestamp column (YYYY-MM-DD HH:MM[:SS], a date or Unix "
                        "seconds)",
                        columns.timestamp),
           Option::text("amount-column", "backtest: its amount column (negative: a return)",
                        columns.amount),
           Option::text("kind-column",
                        "backtest: an optional column saying purchase, return or refund",
                        columns.kind),
           Option::choice("returns",
                          "backtest: gross (spend = purchases) or net (purchases minus returns)",
                          {"gross", "net"}, "gross"),
           Option::choice("total-correction",
                          "backtest: auto (every model scored as trained and with trend-season; "
                          "the selection chooses), none (as trained), trend-season (the latest "
                          "window's actual / predicted total, times last year's seasonal step), "
                          "year-over-year (the same recipe a year before; twice the training)",
                          {"auto", "none", "trend-season", "year-over-year"},
                          spend::history::total_correction_name(backtest.total_correction)),
           Option::integer("selection-cutoffs",
                           "backtest: cutoffs one horizon apart before the first evaluated one, "
                           "scored only to choose the selected model",
                           backtest.selection_cutoffs),
           Option::integer("bootstrap",
                           "backtest: draws of the bootstrap over customers behind the total's "
                           "interval and the selected-vs-BG/NBD differences (0: none)",
                           backtest.bootstrap_draws),
           Option::integer("training-windows",
                           "backtest: earlier windows of one horizon each that a model trains on",
                           backtest.training_windows),
           Option::integer("season-windows",
                           "backtest: windows around the same calendar time one year before that "
                           "a model also trains on (0: none)",
                           backtest.season_windows)},
      .run = run_compare,
      .outputs = {{"report", "comparison.html", "", "the comparison with charts"},
                  {"table", "comparison.csv", "", "one row per model: every metric"},
                  {"json", "comparison.json", "", "the same, with the protocol"}},
      .examples = {{"playsight compare --logs logs --out comparison",
                    "every model on the control group of the logs' experiment"},
                   {"playsight compare --transactions "
                    "data/online_retail/online_retail_ii_transactions.csv --customer-column "
                    "customer_id --time-column datetime --amount-column amount_gbp --kind-column "
                    "kind --cutoffs 2011-09-09,2011-10-09,2011-11-09 --out retail",
                    "backtest on a real purchase history"}},
      .job = true,
  }};
}

}  // namespace playsight::tasks
