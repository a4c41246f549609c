#include "playtest/moments.h"

#include <algorithm>
#include <cmath>

namespace playsight::playtest {
namespace {

double median_of(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string reading_of(const std::string& expression) {
  if (expression == "happy") return "enjoyed";
  if (expression == "surprise") return "surprised";
  return "frowned";
}

}  // namespace

Baseline expression_baseline(const std::vector<SecondOfSession>& seconds, double min_spread) {
  Baseline baseline;
  for (std::size_t k = 0; k < kExpressionCount; ++k) {
    std::vector<double> values;
    for (const auto& s : seconds)
      if (s.face_visible) values.push_back(s.mean[k]);
    baseline.median[k] = median_of(values);
    for (double& v : values) v = std::abs(v - baseline.median[k]);
    baseline.spread[k] = std::max(min_spread, 1.4826 * median_of(values));
  }
  return baseline;
}

std::vector<Moment> find_moments(const std::vector<SecondOfSession>& seconds,
                                 const MomentOptions& options) {
  const Baseline baseline = expression_baseline(seconds, options.min_spread);
  std::vector<Moment> moments;
  for (std::size_t k = 0; k < kExpressionCount; ++k) {
    const std::string& name = expression_names()[k];
    if (name == "neutral") continue;
    const double threshold =
        baseline.median[k] + std::max(options.min_rise, options.z * baseline.spread[k]);
    std::vector<Moment> runs;
    for (std::size_t s = 0; s < seconds.size(); ++s) {
      const SecondOfSession& second = seconds[s];
      const bool up = second.face_visible && second.mean[k] > threshold;
      if (!up) continue;
      const double t = static_cast<double>(second.second);
      const bool continues = !runs.empty() && runs.back().end_s >= t && seconds[s - 1].face_visible;
      if (!continues) {
        // A short dip (or a no-face second) between two stretches joins them when brief.
        if (!runs.empty() && t - runs.back().end_s < options.merge_gap_seconds + 1e-9) {
          runs.back().end_s = t + 1;
        } else {
          Moment m;
          m.expression = name;
          m.reading = reading_of(name);
          m.start_s = t;
          m.end_s = t + 1;
          m.baseline = baseline.median[k];
          m.threshold = threshold;
          runs.push_back(m);
        }
      } else {
        runs.back().end_s = t + 1;
      }
      Moment& run = runs.back();
      run.score += second.mean[k] - baseline.median[k];
      if (second.mean[k] > run.peak_probability) {
        run.peak_probability = second.mean[k];
        run.peak_s = t;
      }
    }
    for (Moment& run : runs) {
      if (run.end_s - run.start_s >= options.min_seconds - 1e-9) moments.push_back(run);
    }
  }
  std::sort(moments.begin(), moments.end(),
            [](const Moment& a, const Moment& b) { return a.score > b.score; });
  return moments;
}

std::vector<Stretch> no_face_stretches(const std::vector<SecondOfSession>& seconds,
                                       double min_seconds) {
  std::vector<Stretch> stretches;
  for (const SecondOfSession& s : seconds) {
    if (s.face_visible) continue;
    const double t = static_cast<double>(s.second);
    if (!stretches.empty() && stretches.back().end_s >= t) {
      stretches.back().end_s = t + 1;
    } else {
      stretches.push_back({t, t + 1});
    }
  }
  std::erase_if(stretches,
                [&](const Stretch& s) { return s.end_s - s.start_s < min_seconds - 1e-9; });
  return stretches;
}

}  // namespace playsight::playtest
