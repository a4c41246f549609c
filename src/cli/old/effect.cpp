// playsight effect: did each nudge work, by how much, for whom, and how large must the next
// experiment be? Reads the logs, the assignment and a spend model (cli/effect_inputs.h), runs
// the analysis (experiment/nudge_analysis.h) and writes the terminal summary, effect.json,
// effect.html and player_response.csv.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/commands.h"
#include "cli/effect_inputs.h"
#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "experiment/effect_report.h"
#include "playsight/version.h"
#include "spend/models/gradient_boosting.h"

namespace playsight::cli {
namespace {

namespace fs = std::filesystem;

struct EffectFlags {
  EffectInputOptions inputs;
  std::string out = "effect";
  std::string uplift_outcome = "topup_amount";
  bool no_uplift = false;
  experiment::AnalysisOptions analysis;
};

// The uplift models' learner: gradient-boosted trees with squared error on the rows of the
// model's feature matrix, early-stopped on a fifth of the training rows.
experiment::UpliftLearner tree_learner(const spend::FeatureMatrix& features, unsigned threads,
                                       std::uint64_t seed) {
  return [&features, threads, seed](std::span<const std::size_t> train_rows,
                                    std::span<const double> y_train,
                                    std::span<const std::size_t> predict_rows) {
    std::vector<std::size_t> fit_rows, stop_rows;
    std::vector<double> fit_y, stop_y;
    for (std::size_t k = 0; k < train_rows.size(); ++k) {
      const bool stop = k % 5 == 4;
      (stop ? stop_rows : fit_rows).push_back(train_rows[k]);
      (stop ? stop_y : fit_y).push_back(y_train[k]);
    }
    spend::BoostingParams params;
    params.objective = spend::BoostingObjective::kSquaredError;
    params.signed_target = true;  // the X-learner fits imputed effects, which may be negative
    params.max_depth = 4;
    params.learning_rate = 0.05;
    params.min_child_weight = 50;
    params.max_rounds = 300;
    params.early_stopping_rounds = 20;
    params.threads = threads;
    params.seed = seed;
    spend::GradientBoosting model(params);
    model.fit(features.select(fit_rows), fit_y, features.select(stop_rows), stop_y);
    return model.predict(features.select(predict_rows));
  };
}

experiment::Outcome parse_outcome(const std::string& name) {
  for (experiment::Outcome outcome : experiment::kOutcomes) {
    if (experiment::outcome_name(outcome) == name) return outcome;
  }
  throw InputError("--uplift-outcome: '" + name +
                   "' is not an outcome; use topup_amount, topup_probability or topup_count");
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw Error("cannot write " + path.string());
}

void write_player_responses(const experiment::NudgeAnalysis& analysis,
                            const experiment::NudgePlayers& players, const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  out << "player_id,group,topup_amount_krw,predicted_krw,counterfactual_krw,response_krw,"
         "response_low_krw,response_high_krw,clearly_positive\n";
  const experiment::PlayerResponses& r = analysis.responses;
  char line[256];
  for (std::size_t i = 0; i < players.players(); ++i) {
    std::snprintf(line, sizeof line, "%lld,%s,%.0f,%.2f,%.2f,%.2f,%.2f,%.2f,%d\n",
                  static_cast<long long>(players.player_ids[i]),
                  players.group_names[players.group[i]].c_str(), players.topup_amount[i],
                  players.prediction[i], r.counterfactual[i], r.response[i], r.low[i], r.high[i],
                  r.low[i] > 0 ? 1 : 0);
    out << line;
  }
  if (!out) throw Error("cannot write " + path.string());
}

void run_effect(EffectFlags& flags) {
  flags.analysis.uplift_outcome = parse_outcome(flags.uplift_outcome);
  flags.analysis.uplift = !flags.no_uplift;
  flags.analysis.threads = flags.inputs.threads;
  flags.analysis.response.level = flags.analysis.level;
  EffectInputs inputs = load_effect_inputs(flags.inputs);
  const experiment::UpliftLearner learner =
      tree_learner(*inputs.features, flags.inputs.threads, flags.analysis.seed);
  const experiment::NudgeAnalysis analysis =
      experiment::analyse_nudges(inputs.players, flags.analysis, &learner);

  experiment::EffectContext context;
  context.logs = flags.inputs.logs;
  context.assignment =
      flags.inputs.assignment.empty() ? "experiment.csv in the logs" : flags.inputs.assignment;
  context.model = inputs.model_description;
  context.cutoff = inputs.cutoff;
  context.outcome_days = flags.inputs.outcome_days;
  context.warnings = inputs.warnings;
  context.generated_by = std::string("playsight ") + kVersion + ", " + utc_now_iso();
  if (!inputs.truth_path.empty()) context.truth = inputs.truth_path;

  fs::create_directories(flags.out);
  const fs::path out(flags.out);
  write_text(out / "effect.json", experiment::effect_json(analysis, context).dump(2) + "\n");
  write_text(out / "effect.html", experiment::effect_html(analysis, context));
  write_player_responses(analysis, inputs.players, out / "player_response.csv");
  std::fputs(experiment::effect_summary(analysis, context).c_str(), stdout);
  std::printf("\nreport: %s/effect.html (JSON: effect.json, per player: player_response.csv)\n",
              flags.out.c_str());
}

}  // namespace

void add_effect_command(CLI::App& app) {
  auto flags = std::make_shared<EffectFlags>();
  CLI::App* command = app.add_subcommand(
      "effect",
      "Measure each nudge's effect on top-ups (Welch, CUPED, CUPAC, bootstrap), per segment and "
      "per player, rank players by uplift, and size the next experiment.");
  command->add_option("--logs", flags->inputs.logs, "folder of game-log CSV files")->required();
  command->add_option(
      "--experiment", flags->inputs.assignment,
      "assignment CSV player_id,group,exposure_time (default: LOGS/experiment.csv)");
  command
      ->add_option("--model", flags->inputs.model,
                   "spend model folder (playsight train) whose prediction is the CUPAC covariate "
                   "and the counterfactual; train it on a window before the exposure")
      ->required();
  command->add_option("--control", flags->inputs.control, "name of the control group")
      ->capture_default_str();
  command->add_option("--cutoff", flags->inputs.cutoff,
                      "YYYY-MM-DD start of the outcome window (default: the day of the first "
                      "exposure)");
  command
      ->add_option("--outcome-days", flags->inputs.outcome_days,
                   "days of top-ups after the cutoff that are the outcome")
      ->capture_default_str();
  command->add_option("--item-projection", flags->inputs.item_projection,
                      "item groups of the model's training features (.item_projection.json)");
  command->add_option("--truth", flags->inputs.truth,
                      "the generator's nudge_truth.csv to compare with (default: LOGS/"
                      "nudge_truth.csv when present; 'none' to ignore it)");
  command
      ->add_option("--out", flags->out, "folder for effect.json, effect.html, player_response.csv")
      ->capture_default_str();
  command->add_option("--level", flags->analysis.level, "confidence level of every interval")
      ->capture_default_str();
  command
      ->add_option("--bootstrap-resamples", flags->analysis.bootstrap_resamples,
                   "resamples of the bootstrap check")
      ->capture_default_str();
  command
      ->add_option("--uplift-outcome", flags->uplift_outcome,
                   "outcome the uplift models rank by: topup_amount, topup_probability, "
                   "topup_count")
      ->capture_default_str();
  command->add_flag("--no-uplift", flags->no_uplift, "skip the uplift models");
  command
      ->add_option("--plan-effect", flags->analysis.plan_relative_effect,
                   "relative effect (share of the control mean) to size the next experiment for")
      ->capture_default_str();
  command->add_option("--plan-players", flags->analysis.plan_players_per_group,
                      "players per group to state the minimum detectable effect at (default: this "
                      "experiment's)");
  command->add_option("--plan-power", flags->analysis.plan_power, "power of the planned test")
      ->capture_default_str();
  command->add_option("--seed", flags->analysis.seed, "seed of the bootstrap and uplift splits")
      ->capture_default_str();
  command->add_option("--threads", flags->inputs.threads, "threads (0 = one per core)")
      ->capture_default_str();
  command->add_flag("--skip-bad-rows", flags->inputs.skip_bad_rows,
                    "count and report bad log rows instead of stopping at the first");
  command->add_flag("--no-progress{false}", flags->inputs.progress, "no progress bars on stderr");
  command->callback([flags] { run_effect(*flags); });
}

}  // namespace playsight::cli
