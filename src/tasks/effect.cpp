// playsight effect: did each nudge work, by how much, for whom, and how large must the next
// experiment be? Reads the logs, the assignment and a spend model (cli/effect_inputs.h), runs
// the analysis (experiment/nudge_analysis.h) and writes the terminal summary, effect.json,
// effect.html and player_response.csv.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/table.h"
#include "core/time.h"
#include "experiment/effect_report.h"
#include "playsight/version.h"
#include "spend/models/gradient_boosting.h"
#include "tasks/catalog.h"
#include "tasks/effect_inputs.h"

namespace playsight::tasks {
namespace {

namespace fs = std::filesystem;

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

Result run_effect(const Values& values, Progress& progress) {
  EffectInputOptions input_options;
  input_options.logs = values.text("logs");
  input_options.assignment = values.text("experiment");
  input_options.model = values.text("model");
  input_options.control = values.text("control");
  input_options.cutoff = values.text("cutoff");
  input_options.outcome_days = static_cast<int>(values.integer("outcome-days"));
  input_options.item_projection = values.text("item-projection");
  input_options.truth = values.text("truth");
  input_options.threads = values.count("threads");
  input_options.skip_bad_rows = values.flag("skip-bad-rows");
  input_options.progress = progress.bars();
  experiment::AnalysisOptions analysis_options;
  analysis_options.level = values.number("level");
  analysis_options.bootstrap_resamples =
      static_cast<std::size_t>(values.integer("bootstrap-resamples"));
  analysis_options.plan_relative_effect = values.number("plan-effect");
  if (values.has("plan-players"))
    analysis_options.plan_players_per_group =
        static_cast<std::size_t>(values.integer("plan-players"));
  analysis_options.plan_power = values.number("plan-power");
  analysis_options.seed = static_cast<std::uint64_t>(values.integer("seed"));
  analysis_options.uplift_outcome = parse_outcome(values.text("uplift-outcome"));
  analysis_options.uplift = !values.flag("no-uplift");
  analysis_options.threads = input_options.threads;
  analysis_options.response.level = analysis_options.level;
  EffectInputs inputs = load_effect_inputs(input_options);
  const experiment::UpliftLearner learner =
      tree_learner(*inputs.features, input_options.threads, analysis_options.seed);
  const experiment::NudgeAnalysis analysis =
      experiment::analyse_nudges(inputs.players, analysis_options, &learner);

  experiment::EffectContext context;
  context.logs = input_options.logs;
  context.assignment =
      input_options.assignment.empty() ? "experiment.csv in the logs" : input_options.assignment;
  context.model = inputs.model_description;
  context.cutoff = inputs.cutoff;
  context.outcome_days = input_options.outcome_days;
  context.warnings = inputs.warnings;
  context.generated_by = std::string("playsight ") + kVersion + ", " + utc_now_iso();
  if (!inputs.truth_path.empty()) context.truth = inputs.truth_path;

  const fs::path out(values.text("out"));
  fs::create_directories(out);
  write_text(out / experiment::kEffectJsonFile,
             experiment::effect_json(analysis, context).dump(2) + "\n");
  write_text(out / "effect.html", experiment::effect_html(analysis, context));
  write_player_responses(analysis, inputs.players, out / "player_response.csv");
  std::fputs(experiment::effect_summary(analysis, context).c_str(), stdout);
  std::printf("\nreport: %s/effect.html (JSON: effect.json, per player: player_response.csv)\n",
              out.string().c_str());
  return {{{"report", (out / "effect.html").string()},
           {"json", (out / experiment::kEffectJsonFile).string()},
           {"player_response", (out / "player_response.csv").string()}}};
}

}  // namespace

std::vector<Task> effect_tasks() {
  const experiment::AnalysisOptions analysis;
  const EffectInputOptions inputs;
  return {{
      .name = "effect",
      .part = "experiment",
      .summary = "Measure each nudge's effect on top-ups (Welch, CUPED, CUPAC, bootstrap), per "
                 "segment and per player, rank players by uplift, and size the next experiment.",
      .options =
          {Option::path("logs", "folder of game-log CSV files").needed(),
           Option::path("experiment",
                        "assignment CSV player_id,group,exposure_time (default: "
                        "LOGS/experiment.csv)"),
           Option::path("model",
                        "spend model folder (playsight train) whose prediction is the CUPAC "
                        "covariate and the counterfactual; train it on a window before the "
                        "exposure")
               .needed(),
           Option::text("control", "name of the control group", inputs.control),
           Option::date("cutoff",
                        "start of the outcome window (default: the day of the first "
                        "exposure)"),
           Option::integer("outcome-days", "days of top-ups after the cutoff that are the outcome",
                           inputs.outcome_days)
               .in_unit("days"),
           Option::path("item-projection",
                        "item groups of the model's training features (.item_projection.json)"),
           Option::path("truth",
                        "the generator's nudge_truth.csv to compare with (default: "
                        "LOGS/nudge_truth.csv when present; 'none' to ignore it)"),
           shared::out("folder for effect.json, effect.html, player_response.csv", "effect"),
           Option::number("level", "confidence level of every interval", analysis.level),
           Option::integer("bootstrap-resamples", "resamples of the bootstrap check",
                           static_cast<long long>(analysis.bootstrap_resamples)),
           Option::choice("uplift-outcome", "outcome the uplift models rank by",
                          {"topup_amount", "topup_probability", "topup_count"}, "topup_amount"),
           Option::flag("no-uplift", "skip the uplift models"),
           Option::number("plan-effect",
                          "relative effect (share of the control mean) to size the next "
                          "experiment for",
                          analysis.plan_relative_effect),
           Option::integer("plan-players",
                           "players per group to state the minimum detectable effect at "
                           "(default: this experiment's)",
                           0)
               .without_default(),
           Option::number("plan-power", "power of the planned test", analysis.plan_power),
           shared::seed("seed of the bootstrap and uplift splits",
                        static_cast<long long>(analysis.seed)),
           shared::threads(),
           Option::flag("skip-bad-rows",
                        "count and report bad log rows instead of stopping at the first")},
      .run = run_effect,
      .outputs = {{"json", std::string(experiment::kEffectJsonFile), experiment::kEffectKind,
                   "every effect with its interval, per group and segment"},
                  {"report", "effect.html", "", "the same with charts"},
                  {"player_response", "player_response.csv", "",
                   "each player's predicted response with its interval"}},
      .examples = {{"playsight effect --logs logs --model pre/model --item-projection "
                    "pre/features.item_projection.json --out effect",
                    "the nudges of the logs' experiment, with a model trained before it"}},
      .job = true,
  }};
}

}  // namespace playsight::tasks
