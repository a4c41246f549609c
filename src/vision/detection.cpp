#include "vision/detection.h"

#include <algorithm>
#include <cmath>

#include "core/rounding.h"

namespace playsight::vision {
double intersection_over_union(const Box& a, const Box& b) {
  const Box overlap{std::max(a.x1, b.x1), std::max(a.y1, b.y1), std::min(a.x2, b.x2),
                    std::min(a.y2, b.y2)};
  const double shared = overlap.area();
  const double total = a.area() + b.area() - shared;
  return total > 0 ? shared / total : 0.0;
}

std::vector<Detection> suppress_overlaps(std::vector<Detection> detections, double max_overlap) {
  std::stable_sort(detections.begin(), detections.end(),
                   [](const Detection& a, const Detection& b) { return a.score > b.score; });
  std::vector<Detection> kept;
  for (auto& candidate : detections) {
    const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Detection& k) {
      return k.label == candidate.label &&
             intersection_over_union(k.box, candidate.box) > max_overlap;
    });
    if (!overlaps) kept.push_back(std::move(candidate));
  }
  return kept;
}

nlohmann::ordered_json to_json(const Detection& detection) {
  nlohmann::ordered_json json;
  json["label"] = detection.label;
  json["score"] = rounded(detection.score, 3);
  json["box"] = {{"x1", rounded(detection.box.x1, 1)},
                 {"y1", rounded(detection.box.y1, 1)},
                 {"x2", rounded(detection.box.x2, 1)},
                 {"y2", rounded(detection.box.y2, 1)}};
  if (!detection.keypoints.empty()) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (const auto& point : detection.keypoints) {
      points.push_back({{"name", point.name},
                        {"x", rounded(point.x, 1)},
                        {"y", rounded(point.y, 1)},
                        {"score", rounded(point.score, 3)}});
    }
    json["keypoints"] = points;
  }
  if (detection.frontal) json["frontal"] = *detection.frontal;
  if (!detection.expression.empty()) {
    nlohmann::ordered_json expression = nlohmann::ordered_json::object();
    for (const auto& e : detection.expression) expression[e.name] = rounded(e.probability, 3);
    json["expression"] = expression;
  }
  return json;
}

nlohmann::ordered_json to_json(const std::vector<Detection>& detections) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& detection : detections) list.push_back(to_json(detection));
  return {{"detections", list}};
}

}  // namespace playsight::vision
