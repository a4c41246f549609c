#pragma once
// The report of a nudge analysis (nudge_analysis.h) in three forms: a terminal summary for the
// analyst at the prompt, JSON for machines (every estimate with its interval, segment, planning
// row, response summary and Qini curve), and one self-contained HTML page for people (effects
// with intervals per group and segment, the per-player response distribution, Qini curves and
// the planning table; charts drawn by the embedded Chart.js, so it opens offline).
// Thread-safety: pure functions.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "experiment/nudge_analysis.h"

namespace playsight::experiment {

// What the analysis was run on, for the report's header and notes.
struct EffectContext {
  std::string title = "Nudge effects";
  std::string logs;                   // folder of the game log
  std::string assignment;             // experiment.csv
  std::string model;                  // model folder and alias
  std::string cutoff;                 // start of the outcome window (YYYY-MM-DD)
  int outcome_days = 30;              // length of the outcome window
  int pre_period_days = 30;           // length of the pre-period (the CUPED covariate)
  std::vector<std::string> warnings;  // data problems that were handled (with counts)
  std::string truth;         // where the true effects came from (generator only); empty: none
  std::string generated_by;  // "playsight 0.1.0, 2026-11-30T03:00:00Z"
};

// The report's JSON file in the --out folder of `playsight effect`, and its "kind" field.
inline constexpr const char* kEffectJsonFile = "effect.json";
inline constexpr const char* kEffectKind = "playsight.nudge_effects";

nlohmann::ordered_json effect_json(const NudgeAnalysis& analysis, const EffectContext& context);
std::string effect_html(const NudgeAnalysis& analysis, const EffectContext& context);
std::string effect_summary(const NudgeAnalysis& analysis, const EffectContext& context);

}  // namespace playsight::experiment
