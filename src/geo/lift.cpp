#include "geo/lift.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "core/error.h"
#include "core/random.h"
#include "geo/detail/student_t.h"

namespace playsight::geo {
namespace {

struct MeanVariance {
  double mean = 0, variance = 0;
};

MeanVariance mean_variance(std::span<const double> values) {
  MeanVariance result;
  const double n = static_cast<double>(values.size());
  result.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double squares = 0;
  for (double v : values) squares += (v - result.mean) * (v - result.mean);
  result.variance = squares / (n - 1);
  return result;
}

// Indices of the panel's days.
struct Window {
  std::size_t pre_begin, pre_end, post_begin, post_end;
};

Window window_of(const KpiPanel& panel, const LiftOptions& options) {
  const Days last = panel.first_day + static_cast<Days>(panel.days);
  const Days end = options.end == 0 ? last : options.end;
  if (options.start <= panel.first_day || options.start >= last) {
    throw InputError("--start: " + format_date(options.start) + " leaves no days before or after " +
                     "it in " + panel.path + " (" + format_date(panel.first_day) + " .. " +
                     format_date(last - 1) + ")");
  }
  if (end <= options.start || end > last) {
    throw InputError("--end: " + format_date(end) + " must be after --start and at most " +
                     format_date(last) + " (the day after the last date of " + panel.path + ")");
  }
  Window window;
  window.post_begin = static_cast<std::size_t>(options.start - panel.first_day);
  window.post_end = static_cast<std::size_t>(end - panel.first_day);
  window.pre_end = window.post_begin;
  window.pre_begin = options.pre_days == 0 || options.pre_days >= window.pre_end
                         ? 0
                         : window.pre_end - options.pre_days;
  return window;
}

std::vector<double> changes_of(const KpiPanel& panel, const std::vector<std::size_t>& regions,
                               const Window& w) {
  std::vector<double> changes;
  for (std::size_t r : regions)
    changes.push_back(log_change(panel.value[r], w.pre_begin, w.pre_end, w.post_begin, w.post_end));
  return changes;
}

}  // namespace

double log_change(const std::vector<double>& series, std::size_t pre_begin, std::size_t pre_end,
                  std::size_t post_begin, std::size_t post_end) {
  const double pre = std::accumulate(series.begin() + static_cast<std::ptrdiff_t>(pre_begin),
                                     series.begin() + static_cast<std::ptrdiff_t>(pre_end), 0.0) /
                     static_cast<double>(pre_end - pre_begin);
  const double post = std::accumulate(series.begin() + static_cast<std::ptrdiff_t>(post_begin),
                                      series.begin() + static_cast<std::ptrdiff_t>(post_end), 0.0) /
                      static_cast<double>(post_end - post_begin);
  if (!(pre > 0) || !(post > 0)) return std::nan("");
  return std::log(post / pre);
}

LiftEstimate compare_log_changes(std::span<const double> treated, std::span<const double> control,
                                 double confidence) {
  const MeanVariance t = mean_variance(treated), c = mean_variance(control);
  const double nt = static_cast<double>(treated.size()), nc = static_cast<double>(control.size());
  const double vt = t.variance / nt, vc = c.variance / nc;
  LiftEstimate e;
  e.treated = treated.size();
  e.control = control.size();
  e.log_effect = t.mean - c.mean;
  e.standard_error = std::sqrt(vt + vc);
  e.degrees_of_freedom = (vt + vc) * (vt + vc) / (vt * vt / (nt - 1) + vc * vc / (nc - 1));
  if (!(e.degrees_of_freedom > 0)) e.degrees_of_freedom = nt + nc - 2;
  const double q = detail::student_t_quantile(0.5 + confidence / 2, e.degrees_of_freedom);
  e.log_low = e.log_effect - q * e.standard_error;
  e.log_high = e.log_effect + q * e.standard_error;
  e.lift = std::expm1(e.log_effect);
  e.lift_low = std::expm1(e.log_low);
  e.lift_high = std::expm1(e.log_high);
  e.p_value = e.standard_error > 0
                  ? 2 * detail::student_t_cdf(-std::fabs(e.log_effect / e.standard_error),
                                              e.degrees_of_freedom)
                  : (e.log_effect == 0 ? 1.0 : 0.0);
  return e;
}

LiftAnalysis analyse_lift(const KpiPanel& panel, const std::vector<std::string>& treated,
                          const LiftOptions& options) {
  const Window w = window_of(panel, options);
  const std::vector<std::size_t> treated_list = indices_of_treated(panel, treated);
  const std::set<std::size_t> treated_index(treated_list.begin(), treated_list.end());
  LiftAnalysis analysis;
  std::vector<std::size_t> treated_regions, control_regions;
  for (std::size_t r = 0; r < panel.regions.size(); ++r) {
    const double change =
        log_change(panel.value[r], w.pre_begin, w.pre_end, w.post_begin, w.post_end);
    if (!std::isfinite(change)) {
      analysis.left_out.push_back(panel.regions[r]);
      continue;
    }
    (treated_index.count(r) ? treated_regions : control_regions).push_back(r);
  }
  if (treated_regions.size() < 2 || control_regions.size() < 2) {
    throw InputError("lift: " + std::to_string(treated_regions.size()) + " treated and " +
                     std::to_string(control_regions.size()) +
                     " control regions have KPI in both periods; at least 2 of each are needed");
  }
  for (std::size_t r : treated_regions) analysis.treated.push_back(panel.regions[r]);
  for (std::size_t r : control_regions) analysis.control.push_back(panel.regions[r]);
  const std::vector<double> treated_changes = changes_of(panel, treated_regions, w);
  const std::vector<double> control_changes = changes_of(panel, control_regions, w);
  analysis.estimate = compare_log_changes(treated_changes, control_changes, options.confidence);
  analysis.baseline_start = panel.first_day + static_cast<Days>(w.pre_begin);
  analysis.start = panel.first_day + static_cast<Days>(w.post_begin);
  analysis.end = panel.first_day + static_cast<Days>(w.post_end);

  // Placebo in space: untreated regions as fake treated, against the other untreated ones.
  PlaceboCheck& placebo = analysis.placebo_regions;
  placebo.nominal_rate = 1 - options.confidence;
  const std::size_t fake = std::min(treated_changes.size(), control_changes.size() / 2);
  if (fake >= 2) {
    Rng rng(options.seed, 0x706c616365626f);  // "placebo"
    std::vector<std::size_t> order(control_changes.size());
    std::size_t as_large = 0;
    for (std::size_t d = 0; d < options.placebo_draws; ++d) {
      std::iota(order.begin(), order.end(), 0);
      for (std::size_t k = 0; k < fake; ++k)
        std::swap(order[k], order[k + rng.below(order.size() - k)]);
      std::vector<double> fake_treated, fake_control;
      for (std::size_t k = 0; k < order.size(); ++k)
        (k < fake ? fake_treated : fake_control).push_back(control_changes[order[k]]);
      const LiftEstimate e = compare_log_changes(fake_treated, fake_control, options.confidence);
      placebo.rejected += e.significant();
      as_large += std::fabs(e.log_effect) >= std::fabs(analysis.estimate.log_effect);
      ++placebo.draws;
    }
    placebo.rejection_rate =
        static_cast<double>(placebo.rejected) / static_cast<double>(placebo.draws);
    placebo.permutation_p_value =
        static_cast<double>(as_large + 1) / static_cast<double>(placebo.draws + 1);
  }

  // Placebo in time: the baseline split in two halves.
  const std::size_t half = (w.pre_end - w.pre_begin) / 2;
  if (half >= 2) {
    const Window early{w.pre_begin, w.pre_begin + half, w.pre_begin + half, w.pre_end};
    std::vector<double> t = changes_of(panel, treated_regions, early);
    std::vector<double> c = changes_of(panel, control_regions, early);
    const auto finite = [](std::vector<double>& v) {
      v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }),
              v.end());
    };
    finite(t);
    finite(c);
    if (t.size() >= 2 && c.size() >= 2)
      analysis.placebo_time = compare_log_changes(t, c, options.confidence);
  }

  // The chart: each group's mean of value / baseline mean, per day.
  for (std::size_t d = w.pre_begin; d < w.post_end; ++d) {
    for (int group = 0; group < 2; ++group) {
      const auto& regions = group == 0 ? treated_regions : control_regions;
      double sum = 0;
      for (std::size_t r : regions) {
        const auto& s = panel.value[r];
        const double baseline =
            std::accumulate(s.begin() + static_cast<std::ptrdiff_t>(w.pre_begin),
                            s.begin() + static_cast<std::ptrdiff_t>(w.pre_end), 0.0) /
            static_cast<double>(w.pre_end - w.pre_begin);
        sum += s[d] / baseline;
      }
      (group == 0 ? analysis.treated_index : analysis.control_index)
          .push_back(sum / static_cast<double>(regions.size()));
    }
  }
  return analysis;
}

}  // namespace playsight::geo
