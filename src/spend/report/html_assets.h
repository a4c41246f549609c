#pragma once
// The HTML report's own style sheet and script (the charts are drawn with the embedded Chart.js
// from the report's JSON data). Detail of comparison_html; not a public header.
#include <string_view>

namespace playsight::spend::report {

extern const std::string_view kReportStyle;
extern const std::string_view kReportScript;

}  // namespace playsight::spend::report
