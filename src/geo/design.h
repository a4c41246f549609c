#pragma once
// Design: before a campaign, which regions get billboards, which serve as controls, and how
// small a lift the lift analysis (lift.h) will be able to detect (`playsight geo design`).
//
// Treatment: the regions given (e.g. those `geo select` chose) or, when none are given, a
// stratified random draw of treated_count regions: regions are sorted by their mean KPI and cut
// into treated_count strata of consecutive regions, and one region is drawn from each, so that
// treated and control regions span the same sizes. Control: every other region.
//
// Minimum detectable lift: the standard error of the lift analysis is predicted from the KPI
// history by backtests: windows at the end of the history, each a baseline followed by post_days
// days, are analysed with this design's groups as if a campaign had run; with no campaign, the
// groups' variances of the log change are what the real analysis will meet. Averaging them over
// the windows gives SE, Welch's degrees of freedom df, and
//     MDE (log) = (t_{1 - (1 - confidence)/2, df} + t_{power, df}) * SE,  MDE = exp(MDE log) - 1.
// Thread-safety: pure functions.
#include <cstdint>
#include <string>
#include <vector>

#include "geo/kpi.h"

namespace playsight::geo {

struct DesignOptions {
  std::size_t treated_count = 0;  // used when no treated regions are given
  std::size_t post_days = 28;     // planned campaign length
  std::size_t backtests = 4;      // windows, each ending 7 days before the next
  double confidence = 0.95;
  double power = 0.8;
  std::uint64_t seed = 1;
};

struct Design {
  std::vector<std::string> treated, control;
  std::vector<std::string> left_out;  // regions with no KPI in some window
  double standard_error = 0;          // on the log scale
  double degrees_of_freedom = 0;
  double mde_log = 0;
  double mde_lift = 0;  // relative
  std::size_t backtests = 0, baseline_days = 0;
};

// Throws InputError for treated codes not in the history (count and first), a history shorter
// than 2 * post_days, fewer than 2 treated or 2 control regions, or a bad option.
Design plan_design(const KpiPanel& history, const std::vector<std::string>& treated,
                   const DesignOptions& options);

}  // namespace playsight::geo
