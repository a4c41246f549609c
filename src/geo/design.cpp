#include "geo/design.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <set>

#include "core/error.h"
#include "core/random.h"
#include "geo/detail/student_t.h"
#include "geo/lift.h"

namespace playsight::geo {
namespace {

double mean_of(const std::vector<double>& series) {
  return std::accumulate(series.begin(), series.end(), 0.0) / static_cast<double>(series.size());
}

std::set<std::size_t> stratified_draw(const KpiPanel& history,
                                      const std::vector<std::size_t>& usable, std::size_t count,
                                      std::uint64_t seed) {
  std::vector<std::size_t> by_size = usable;
  std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t a, std::size_t b) {
    return mean_of(history.value[a]) < mean_of(history.value[b]);
  });
  Rng rng(seed, 0x64657369676e);  // "design"
  std::set<std::size_t> chosen;
  const std::size_t n = by_size.size();
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t begin = k * n / count, end = (k + 1) * n / count;
    chosen.insert(by_size[begin + rng.below(end - begin)]);
  }
  return chosen;
}

double variance_of(const std::vector<double>& values) {
  const double mean =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return squares / static_cast<double>(values.size() - 1);
}

}  // namespace

Design plan_design(const KpiPanel& history, const std::vector<std::string>& treated,
                   const DesignOptions& options) {
  if (options.post_days < 1) throw InputError("--post-days: at least 1 day was expected");
  if (!(options.confidence > 0 && options.confidence < 1) ||
      !(options.power > 0 && options.power < 1))
    throw InputError("--confidence and --power must lie strictly between 0 and 1");
  if (history.days < 2 * options.post_days) {
    throw InputError(history.path + ": " + std::to_string(history.days) +
                     " days of history are too few to backtest a " +
                     std::to_string(options.post_days) + "-day campaign (at least " +
                     std::to_string(2 * options.post_days) + " are needed)");
  }
  // Backtest windows: the last one ends with the history; each earlier one 7 days before.
  const std::size_t post = options.post_days;
  std::vector<std::array<std::size_t, 4>> windows;  // pre_begin, pre_end, post_begin, post_end
  for (std::size_t k = 0; k < std::max<std::size_t>(options.backtests, 1); ++k) {
    if (history.days < 2 * post + 7 * k) break;
    const std::size_t post_end = history.days - 7 * k;
    windows.push_back({0, post_end - post, post_end - post, post_end});
  }
  Design design;
  design.backtests = windows.size();
  design.baseline_days = windows.front()[1];
  std::vector<std::size_t> usable;
  for (std::size_t r = 0; r < history.regions.size(); ++r) {
    bool finite = true;
    for (const auto& w : windows)
      finite = finite && std::isfinite(log_change(history.value[r], w[0], w[1], w[2], w[3]));
    if (finite) {
      usable.push_back(r);
    } else {
      design.left_out.push_back(history.regions[r]);
    }
  }
  std::set<std::size_t> treated_index;
  if (treated.empty()) {
    if (options.treated_count < 2 || options.treated_count + 2 > usable.size()) {
      throw InputError("--treated-count: between 2 and " +
                       std::to_string(std::max<std::size_t>(usable.size(), 4) - 2) +
                       " was expected (or give --treated)");
    }
    treated_index = stratified_draw(history, usable, options.treated_count, options.seed);
  } else {
    const std::vector<std::size_t> given = indices_of_treated(history, treated);
    treated_index.insert(given.begin(), given.end());
  }

  std::vector<std::size_t> treated_regions, control_regions;
  for (std::size_t r : usable)
    (treated_index.count(r) ? treated_regions : control_regions).push_back(r);
  if (treated_regions.size() < 2 || control_regions.size() < 2) {
    throw InputError("design: " + std::to_string(treated_regions.size()) + " treated and " +
                     std::to_string(control_regions.size()) +
                     " control regions have KPI in every backtest; at least 2 of each are needed");
  }
  for (std::size_t r : treated_regions) design.treated.push_back(history.regions[r]);
  for (std::size_t r : control_regions) design.control.push_back(history.regions[r]);

  double treated_variance = 0, control_variance = 0;
  for (const auto& w : windows) {
    std::vector<double> t, c;
    for (std::size_t r : treated_regions)
      t.push_back(log_change(history.value[r], w[0], w[1], w[2], w[3]));
    for (std::size_t r : control_regions)
      c.push_back(log_change(history.value[r], w[0], w[1], w[2], w[3]));
    treated_variance += variance_of(t) / static_cast<double>(windows.size());
    control_variance += variance_of(c) / static_cast<double>(windows.size());
  }
  const double nt = static_cast<double>(treated_regions.size());
  const double nc = static_cast<double>(control_regions.size());
  const double vt = treated_variance / nt, vc = control_variance / nc;
  design.standard_error = std::sqrt(vt + vc);
  design.degrees_of_freedom = (vt + vc) * (vt + vc) / (vt * vt / (nt - 1) + vc * vc / (nc - 1));
  const double df = design.degrees_of_freedom;
  design.mde_log = (detail::student_t_quantile(0.5 + options.confidence / 2, df) +
                    detail::student_t_quantile(options.power, df)) *
                   design.standard_error;
  design.mde_lift = std::expm1(design.mde_log);
  return design;
}

}  // namespace playsight::geo
