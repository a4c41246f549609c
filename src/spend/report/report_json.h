#pragma once
// The comparison as a JSON document: what comparison_json prints and what the HTML report embeds
// for its charts. Detail of comparison_report.cpp; not a public header.
#include <nlohmann/json.hpp>

#include "spend/comparison_report.h"

namespace playsight::spend::report {

// Everything but the plot samples, which callers add with sample_json (they are large, and the
// pretty-printed document keeps each sample on one line).
nlohmann::ordered_json report_json(const ComparisonReport& report);

// {"actual": [...], "predicted": [...]}, amounts rounded to 0.01.
nlohmann::ordered_json sample_json(const std::vector<PredictionPair>& sample);

}  // namespace playsight::spend::report
