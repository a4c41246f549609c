#include "spend/history/power_calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

namespace playsight::spend::history {

double PowerCalibration::operator()(double predicted) const {
  return predicted > 0 ? scale * std::pow(predicted, exponent) : 0.0;
}

std::string PowerCalibration::describe() const {
  char text[64];
  std::snprintf(text, sizeof text, "x%.3g ^%.3f", scale, exponent);
  return text;
}

PowerCalibration fit_power_calibration(std::span<const double> predicted,
                                       std::span<const double> actual, int buckets) {
  PowerCalibration identity;
  const std::size_t n = predicted.size();
  if (n == 0 || actual.size() != n || buckets < 2) return identity;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](auto a, auto b) { return predicted[a] < predicted[b]; });
  std::vector<double> xs, ys;
  const auto k = static_cast<std::size_t>(buckets);
  for (std::size_t b = 0; b < k; ++b) {
    const std::size_t begin = n * b / k, end = n * (b + 1) / k;
    if (begin == end) continue;
    double p = 0, y = 0;
    for (std::size_t i = begin; i < end; ++i) {
      p += predicted[order[i]];
      y += actual[order[i]];
    }
    if (p > 0 && y > 0) {
      xs.push_back(std::log(p / static_cast<double>(end - begin)));
      ys.push_back(std::log(y / static_cast<double>(end - begin)));
    }
  }
  if (xs.size() < 2) return identity;
  const double mx = std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
  const double my = std::accumulate(ys.begin(), ys.end(), 0.0) / static_cast<double>(ys.size());
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) * (xs[i] - mx);
  }
  PowerCalibration fit;
  fit.exponent = sxx > 0 ? std::clamp(sxy / sxx, 0.2, 2.0) : 1.0;
  // The scale that makes the totals agree under this exponent.
  double mapped = 0, total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mapped += predicted[i] > 0 ? std::pow(predicted[i], fit.exponent) : 0.0;
    total += actual[i];
  }
  if (!(mapped > 0) || !(total > 0)) return identity;
  fit.scale = total / mapped;
  return fit;
}

}  // namespace playsight::spend::history
