// playsight compare: trains every spend model (or a list) under one protocol on one game log or
// transaction file, scores them on the same test players, and writes the comparison table as a
// terminal table, CSV, JSON and an HTML report.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "gamelog/log_folder.h"
#include "playsight/version.h"
#include "spend/clv/clv_model.h"
#include "spend/comparison_report.h"
#include "spend/features.h"
#include "spend/history/backtest_report.h"
#include "spend/models/training.h"

namespace playsight::cli {
namespace {

struct CompareFlags {
  std::string logs;
  std::string transactions;
  std::string features;  // optional: a feature table already built from --logs
  std::string cutoff;
  std::string horizon = "30d";
  int window_days = 90;
  std::string models;
  std::string out = "comparison";
  bool all_players = false;
  bool list = false;
  bool save_models = false;
  spend::ProtocolOptions protocol;
  spend::ModelOptions model;
  // Backtest of a transaction file at rolling cutoffs.
  std::string cutoffs;
  int backtest = 0;
  spend::history::HistoryColumns columns;
  std::string returns = "gross";
  std::string total_correction = "none";
  int training_windows = 6;
  int season_windows = 3;
};

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

void run_backtest(const CompareFlags& flags) {
  namespace history = spend::history;
  history::BacktestOptions options;
  if (!flags.cutoffs.empty()) options.cutoffs = parse_cutoffs(flags.cutoffs);
  if (flags.backtest != 0) options.backtest = flags.backtest;
  options.horizon_days = parse_horizon(flags.horizon);
  options.returns = history::returns_mode_from(flags.returns, "--returns");
  options.total_correction =
      history::total_correction_from(flags.total_correction, "--total-correction");
  options.training_windows = flags.training_windows;
  options.season_windows = flags.season_windows;
  options.threads = flags.model.threads;
  options.seed = flags.model.seed;
  if (!flags.models.empty()) {
    std::stringstream stream(flags.models);
    std::string alias;
    while (std::getline(stream, alias, ',')) options.models.push_back(alias);
  }
  history::HistoryReadOptions read_options;
  read_options.columns = flags.columns;
  read_options.threads = flags.model.threads;
  const history::PurchaseHistory purchases =
      history::read_purchase_history(flags.transactions, read_options);
  std::fprintf(stderr, "compare: %zu customers, %llu purchases, %llu returns (%s)\n",
               purchases.size(), static_cast<unsigned long long>(purchases.purchases),
               static_cast<unsigned long long>(purchases.returns), flags.returns.c_str());
  const history::BacktestResult result = history::run_backtest(purchases, options);
  const history::BacktestFiles files = history::write_backtest_report(result, flags.out);
  std::printf("%s", history::backtest_terminal_table(result).c_str());
  std::printf("report: %s\n        %s\n", files.csv.c_str(), files.json.c_str());
  for (const std::string& html : files.html) std::printf("        %s\n", html.c_str());
}

std::vector<std::string> selected_aliases(const std::string& list) {
  std::vector<std::string> aliases;
  if (list.empty()) {
    for (const auto& spec : spend::model_specs()) aliases.push_back(spec.alias);
    return aliases;
  }
  std::stringstream stream(list);
  std::string alias;
  while (std::getline(stream, alias, ',')) {
    if (alias == "bgnbd_gamma_gamma") {
      aliases.push_back(alias);
      continue;
    }
    aliases.push_back(spend::find_model_spec(alias).alias);  // validates
  }
  return aliases;
}

std::string cutoff_of(const CompareFlags& flags) {
  if (!flags.cutoff.empty()) return flags.cutoff;
  if (!flags.logs.empty()) {
    std::ifstream in(std::filesystem::path(flags.logs) / "manifest.json");
    if (in) {
      try {
        return nlohmann::json::parse(in).value("/dates/cutoff"_json_pointer, std::string());
      } catch (const nlohmann::json::exception&) {
      }
    }
  }
  throw InputError(
      "--cutoff YYYY-MM-DD is required (the date the features end and the label starts)");
}

spend::ModelKind kind_of(const std::string& kind) {
  if (kind == "team") return spend::ModelKind::kTeam;
  if (kind == "reference") return spend::ModelKind::kReference;
  return spend::ModelKind::kNew;
}

void list_models() {
  std::printf("%-26s %-10s %s\n", "model", "kind", "what it is");
  for (const auto& spec : spend::model_specs()) {
    std::printf("%-26s %-10s %s\n", spec.alias.c_str(), spec.kind.c_str(),
                spec.description.c_str());
  }
  std::printf("%-26s %-10s %s\n", "bgnbd_gamma_gamma", "reference",
              "BG/NBD top-up days x Gamma-Gamma value (customer-lifetime-value models)");
}

void run_compare(CompareFlags& flags) {
  if (flags.list) {
    list_models();
    return;
  }
  if (flags.logs.empty() == flags.transactions.empty()) {
    throw InputError(
        "give either --logs FOLDER (a game log) or --transactions FILE (user_id,timestamp,amount)");
  }
  if (!flags.transactions.empty() && (!flags.cutoffs.empty() || flags.backtest != 0)) {
    run_backtest(flags);
    return;
  }
  const std::vector<std::string> aliases = selected_aliases(flags.models);
  const std::string cutoff_text = cutoff_of(flags);
  spend::FeatureOptions feature_options;
  try {
    feature_options.cutoff = parse_date(cutoff_text);
  } catch (const FieldError& error) {
    throw InputError(std::string("--cutoff: ") + error.what());
  }
  feature_options.label_days = parse_horizon(flags.horizon);
  feature_options.label = spend::LabelMode::kAlways;
  feature_options.observation_days = flags.window_days;
  feature_options.windows.clear();
  for (int w : {7, 30, 90}) {
    if (w < flags.window_days) feature_options.windows.push_back(w);
  }
  feature_options.windows.push_back(flags.window_days);
  feature_options.threads = flags.model.threads;

  // Features: from the events, unless a table built earlier is given.
  Table features;
  std::string topups_path;
  auto topup_kind = spend::clv::TopupFileKind::kGameLog;
  if (!flags.transactions.empty()) {
    features = spend::build_transaction_features(flags.transactions, feature_options).table;
    topups_path = flags.transactions;
    topup_kind = spend::clv::TopupFileKind::kTransactions;
  } else {
    const gamelog::LogFolder logs = gamelog::find_log_files(flags.logs);
    features = flags.features.empty() ? spend::build_player_features(logs, feature_options).table
                                      : read_table_csv(flags.features, flags.model.threads);
    if (!logs.topups)
      throw InputError(flags.logs + ": no topups.csv, so there is nothing to predict");
    topups_path = *logs.topups;
    if (!flags.all_players && logs.experiment) flags.protocol.experiment_path = *logs.experiment;
  }
  flags.protocol.control_only = !flags.all_players;
  flags.protocol.seed = flags.model.seed;
  const spend::DataSplit split = spend::split_players(features, flags.protocol);
  const std::string label = spend::label_column(features);
  const auto& label_values = features.column(label);
  std::vector<double> test_actual;
  for (std::size_t r : split.test) test_actual.push_back(label_values[r]);

  spend::ComparisonReport report;
  report.context.data_source = flags.transactions.empty() ? flags.logs : flags.transactions;
  report.context.train_players = split.train.size();
  report.context.validation_players = split.validation.size();
  report.context.test_players = split.test.size();
  std::size_t payers = 0;
  for (double y : test_actual) payers += y > 0;
  report.context.test_payer_share =
      static_cast<double>(payers) /
      static_cast<double>(std::max<std::size_t>(1, test_actual.size()));
  report.context.cutoff = cutoff_text;
  report.context.horizon = flags.horizon;
  report.context.generated_by = std::string("playsight ") + kVersion;
  report.context.protocol_notes = {
      "Players: " + split.population + "; " + std::to_string(split.control_players) + " of " +
          std::to_string(split.players) + " players.",
      "Split by player (seed " + std::to_string(flags.protocol.seed) +
          "): 60% train, 20% validation (early stopping, thresholds, smearing), 20% test; every "
          "metric is on the test players.",
      flags.protocol.trim_top_share > 0
          ? "Trimmed the top " +
                std::to_string(static_cast<int>(flags.protocol.trim_top_share * 100)) +
                "% of train and validation players by 90-day top-ups (" +
                std::to_string(split.trimmed) + " players); the test set is not trimmed."
          : "No outlier trimming.",
      "Features use events before the cutoff only; the label is the top-up amount in the " +
          std::to_string(feature_options.label_days) + " days from it."};

  for (const std::string& alias : aliases) {
    std::fprintf(stderr, "compare: %s ...\n", alias.c_str());
    if (alias == "bgnbd_gamma_gamma") continue;  // after the loop: it needs the raw top-ups
    spend::EvaluatedModel result = spend::train_and_evaluate(alias, features, split, flags.model);
    const spend::ModelSpec& spec = spend::find_model_spec(alias);
    spend::ModelPredictions predictions;
    predictions.alias = alias;
    predictions.description = spec.description;
    predictions.kind = kind_of(spec.kind);
    predictions.predicted = result.test_prediction.amount;
    predictions.predicted_payer = result.test_prediction.payer;
    predictions.training_seconds =
        spec.kind == "reference" ? std::numeric_limits<double>::quiet_NaN() : result.train_seconds;
    report.rows.push_back(spend::score_model(predictions, test_actual));
    if (flags.save_models) {
      result.artifact.training = spend::split_summary(features, split, flags.protocol);
      spend::save_model_artifact(result.artifact,
                                 std::filesystem::path(flags.out) / "models" / alias);
    }
  }
  if (flags.models.empty() || flags.models.find("bgnbd_gamma_gamma") != std::string::npos) {
    std::fprintf(stderr, "compare: bgnbd_gamma_gamma ...\n");
    spend::clv::RfmOptions rfm_options;
    rfm_options.players = features.keys;
    rfm_options.threads = flags.model.threads;
    const auto start = std::chrono::steady_clock::now();
    const spend::clv::RfmTable rfm =
        spend::clv::rfm_from_topups(topups_path, topup_kind, feature_options.cutoff, rfm_options);
    std::vector<std::size_t> fit_rows = split.train;
    fit_rows.insert(fit_rows.end(), split.validation.begin(), split.validation.end());
    spend::clv::ClvOptions clv_options;
    clv_options.threads = flags.model.threads;
    const spend::clv::ClvModel clv =
        spend::clv::fit_clv(spend::clv::select_rows(rfm, fit_rows), clv_options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::vector<double> predicted =
        spend::clv::predict_clv(clv, spend::clv::select_rows(rfm, split.test),
                                feature_options.label_days, flags.model.threads);
    spend::ModelPredictions predictions;
    predictions.alias = "bgnbd_gamma_gamma";
    predictions.description =
        "reference: BG/NBD top-up days x Gamma-Gamma value, fitted by maximum likelihood";
    predictions.kind = spend::ModelKind::kReference;
    predictions.predicted = predicted;
    predictions.training_seconds = seconds;
    report.rows.push_back(spend::score_model(predictions, test_actual));
  }

  std::filesystem::create_directories(flags.out);
  const spend::ComparisonFiles files = spend::write_comparison_report(report, flags.out);
  std::printf("%s\n", spend::comparison_terminal_table(report).c_str());
  std::printf("report: %s\n        %s\n        %s\n", files.html.c_str(), files.csv.c_str(),
              files.json.c_str());
  if (flags.save_models) std::printf("models: %s/models/<alias>\n", flags.out.c_str());
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto flags = std::make_shared<CompareFlags>();
  CLI::App* command = app.add_subcommand(
      "compare",
      "Train and compare spend models on the same players: the team's nine, the new ones and "
      "the reference rows; prints the table and writes CSV, JSON and an HTML report.");
  command->add_option("--logs", flags->logs, "game-log folder (features are built from it)");
  command->add_option("--transactions", flags->transactions,
                      "or a plain transaction file user_id,timestamp,amount");
  command->add_option("--features", flags->features,
                      "a feature table already built from --logs (skips building it)");
  command->add_option("--cutoff", flags->cutoff,
                      "YYYY-MM-DD (default: the cutoff in the logs' manifest.json)");
  command->add_option("--horizon", flags->horizon, "label window: days or weeks, e.g. 30d, 39w")
      ->capture_default_str();
  command
      ->add_option("--window-days", flags->window_days,
                   "observation window of the features, in days")
      ->capture_default_str();
  command->add_option("--models", flags->models,
                      "comma-separated aliases (default: all; see --list)");
  command->add_option("--out", flags->out, "folder for comparison.csv/.json/.html")
      ->capture_default_str();
  command->add_flag("--all-players", flags->all_players,
                    "use every player, not only the control group");
  command
      ->add_option(
          "--trim-top", flags->protocol.trim_top_share,
          "drop this top share of train/validation players by 90-day top-ups (the team used 0.1)")
      ->capture_default_str();
  command->add_flag("--save-models", flags->save_models,
                    "also save every trained model under OUT/models/");
  command->add_option("--seed", flags->model.seed, "seed of the split and the trees")
      ->capture_default_str();
  command->add_option("--threads", flags->model.threads, "threads (0 = one per core)")
      ->capture_default_str();
  command->add_flag("--list", flags->list, "list the models and exit");
  command->add_option("--cutoffs", flags->cutoffs,
                      "with --transactions: backtest at these cutoffs, e.g. "
                      "2011-09-09,2011-10-09,2011-11-09 (models train on earlier windows only)");
  command->add_option("--backtest", flags->backtest,
                      "with --transactions: backtest at the K latest cutoffs, one horizon apart");
  command
      ->add_option("--customer-column", flags->columns.customer,
                   "backtest: the transaction file's customer id column")
      ->capture_default_str();
  command
      ->add_option("--time-column", flags->columns.timestamp,
                   "backtest: its timestamp column (YYYY-MM-DD HH:MM[:SS], a date or Unix seconds)")
      ->capture_default_str();
  command
      ->add_option("--amount-column", flags->columns.amount,
                   "backtest: its amount column (negative: a return)")
      ->capture_default_str();
  command->add_option("--kind-column", flags->columns.kind,
                      "backtest: an optional column saying purchase, return or refund");
  command
      ->add_option("--returns", flags->returns,
                   "backtest: gross (spend = purchases) or net (purchases minus returns)")
      ->capture_default_str();
  command
      ->add_option("--total-correction", flags->total_correction,
                   "backtest: none (as trained: season windows and the calendar teach the "
                   "season), trend-season (the latest window's shape and level, times last "
                   "year's seasonal step), year-over-year (the same recipe a year before "
                   "calibrates the predictions; twice the training)")
      ->capture_default_str();
  command
      ->add_option("--training-windows", flags->training_windows,
                   "backtest: earlier windows of one horizon each that a model trains on")
      ->capture_default_str();
  command
      ->add_option("--season-windows", flags->season_windows,
                   "backtest: windows around the same calendar time one year before that a model "
                   "also trains on (0: none)")
      ->capture_default_str();
  command->callback([flags] { run_compare(*flags); });
}

}  // namespace playsight::cli
