#include "experiment/report/response_histogram.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace playsight::experiment {

nlohmann::ordered_json response_histogram_json(const NudgeAnalysis& analysis,
                                               const std::string& group) {
  // The players of the group and of control, by the group labels the analysis kept per player.
  const PlayerResponses& r = analysis.responses;
  std::vector<double> nudged, control;
  for (std::size_t i = 0; i < r.response.size(); ++i) {
    const std::string& name = analysis.group_names[analysis.player_group[i]];
    if (name == group) nudged.push_back(r.response[i]);
    if (name == analysis.control_group) control.push_back(r.response[i]);
  }
  nlohmann::ordered_json j;
  if (nudged.empty() || control.empty()) return j;
  std::vector<double> sorted = nudged;
  std::sort(sorted.begin(), sorted.end());
  const auto at = [&](double p) {
    return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))];
  };
  double low = at(0.01), high = at(0.99);
  if (!(high > low)) high = low + 1;
  constexpr int kBins = 40;
  const double width = (high - low) / kBins;
  std::vector<double> edges;
  for (int b = 0; b <= kBins; ++b) edges.push_back(low + b * width);
  const auto histogram = [&](const std::vector<double>& values) {
    std::vector<double> shares(kBins, 0);
    double below = 0, above = 0;
    for (double v : values) {
      if (v < low) {
        ++below;
      } else if (v > high) {
        ++above;
      } else {
        shares[std::min(kBins - 1, static_cast<int>((v - low) / width))] += 1;
      }
    }
    const double n = static_cast<double>(values.size());
    for (double& s : shares) s /= n;
    return std::make_tuple(shares, below / n, above / n);
  };
  const auto [nudged_shares, nudged_below, nudged_above] = histogram(nudged);
  const auto [control_shares, control_below, control_above] = histogram(control);
  j["edges"] = edges;
  j["nudged"] = nudged_shares;
  j["control"] = control_shares;
  j["below"] = {{"nudged", nudged_below}, {"control", control_below}};
  j["above"] = {{"nudged", nudged_above}, {"control", control_above}};
  return j;
}

}  // namespace playsight::experiment
