#pragma once
// The inputs of `playsight effect`, assembled from a game log, an experiment assignment and a
// spend model: the per-player arrays of experiment/nudge_analysis.h (outcomes and pre-period
// values from spend's features, the model's predictions, the generator's true effects when the
// folder has them) and the feature matrix the uplift learners fit on. This is the glue between
// the spend and experiment parts, which do not know each other.
//
// Every data problem is either an InputError naming the file and what is wrong, or a warning
// with counts (players of the assignment missing from the logs, players who signed up after the
// cutoff, exposures spread over several days, a model trained on the outcome window).
#include <memory>
#include <string>
#include <vector>

#include "experiment/assignment.h"
#include "experiment/nudge_analysis.h"
#include "spend/models/artifact.h"
#include "spend/models/feature_matrix.h"

namespace playsight::tasks {

struct EffectInputOptions {
  std::string logs;
  std::string assignment;  // default: LOGS/experiment.csv
  std::string model;       // model folder
  std::string control = "control";
  std::string cutoff;           // YYYY-MM-DD; default: the day of the first exposure
  std::string item_projection;  // .item_projection.json of the model's training features
  std::string truth;            // default: LOGS/nudge_truth.csv when present; "none" = no truth
  int outcome_days = 30;
  unsigned threads = 0;
  bool skip_bad_rows = false;
  bool progress = true;
};

struct EffectInputs {
  experiment::NudgePlayers players;
  std::unique_ptr<spend::FeatureMatrix> features;  // rows = players, the model's columns
  std::string model_description;                   // "ensemble_model (path)"
  std::string cutoff;                              // YYYY-MM-DD
  std::string truth_path;                          // empty: no truth
  std::vector<std::string> warnings;
};

EffectInputs load_effect_inputs(const EffectInputOptions& options);

}  // namespace playsight::tasks
