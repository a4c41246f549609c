#pragma once
// The distribution of per-player responses of one nudge group beside the control group's
// placebo responses, as histogram JSON for the report's chart. Detail of effect_report.
#include <nlohmann/json.hpp>
#include <string>

#include "experiment/nudge_analysis.h"

namespace playsight::experiment {

// {"edges": [...], "nudged": [shares], "control": [shares], "below": {...}, "above": {...}}:
// 40 equal bins between the 1st and 99th percentiles of the group's responses; the shares of
// players beyond either end are given apart (nothing is dropped).
nlohmann::ordered_json response_histogram_json(const NudgeAnalysis& analysis,
                                               const std::string& group);

}  // namespace playsight::experiment
