#include "playtest/expression_timeline.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace playsight::playtest {

const std::array<std::string, kExpressionCount>& expression_names() {
  static const std::array<std::string, kExpressionCount> names{
      "angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"};
  return names;
}

int expression_index(const std::string& name) {
  const auto& names = expression_names();
  const auto found = std::find(names.begin(), names.end(), name);
  return found == names.end() ? -1 : static_cast<int>(found - names.begin());
}

ExpressionTimeline::ExpressionTimeline(TimelineOptions options) : options_(options) {}

int ExpressionTimeline::add_frame(double time_s, const std::vector<vision::Detection>& faces) {
  if (time_s <= last_time_) {
    throw InputError("playtest: frame times must increase (" + std::to_string(time_s) +
                     " s after " + std::to_string(last_time_) + " s)");
  }
  last_time_ = time_s;
  ++frames_;
  const auto second = static_cast<std::size_t>(std::floor(time_s));
  if (seconds_.size() <= second) seconds_.resize(second + 1);
  Accumulator& acc = seconds_[second];
  ++acc.frames;

  int largest = -1;
  for (std::size_t f = 0; f < faces.size(); ++f) {
    if (largest < 0 || faces[f].box.area() > faces[static_cast<std::size_t>(largest)].box.area())
      largest = static_cast<int>(f);
  }
  int chosen = largest;
  if (main_face_ && largest >= 0) {
    const double largest_area = faces[static_cast<std::size_t>(largest)].box.area();
    double best_overlap = 0.2;
    for (std::size_t f = 0; f < faces.size(); ++f) {
      const double overlap = vision::intersection_over_union(*main_face_, faces[f].box);
      if (overlap > best_overlap && faces[f].box.area() >= 0.5 * largest_area) {
        best_overlap = overlap;
        chosen = static_cast<int>(f);
      }
    }
  }
  if (chosen < 0) return -1;  // the main face is remembered through a covered stretch
  const vision::Detection& face = faces[static_cast<std::size_t>(chosen)];
  main_face_ = face.box;
  if (face.expression.empty()) return chosen;  // no expression model ran
  ++acc.with_face;
  ++frames_with_face_;
  for (const vision::Expression& e : face.expression) {
    const int k = expression_index(e.name);
    if (k >= 0) acc.sum[static_cast<std::size_t>(k)] += e.probability;
  }
  return chosen;
}

std::vector<SecondOfSession> ExpressionTimeline::seconds() const {
  std::vector<SecondOfSession> out(seconds_.size());
  for (std::size_t s = 0; s < seconds_.size(); ++s) {
    const Accumulator& acc = seconds_[s];
    SecondOfSession& second = out[s];
    second.second = static_cast<std::int64_t>(s);
    second.face_visible = acc.with_face > 0;
    second.visible_share = acc.frames ? static_cast<double>(acc.with_face) / acc.frames : 0;
    if (second.face_visible) {
      for (std::size_t k = 0; k < kExpressionCount; ++k)
        second.mean[k] = acc.sum[k] / static_cast<double>(acc.with_face);
    }
  }
  const auto half = static_cast<std::int64_t>(std::max(0.0, (options_.smoothing_seconds - 1) / 2));
  for (std::size_t s = 0; s < out.size(); ++s) {
    if (!out[s].face_visible) continue;
    Expressions sum{};
    double count = 0;
    const auto centre = static_cast<std::int64_t>(s);
    for (std::int64_t t = std::max<std::int64_t>(0, centre - half);
         t <= std::min<std::int64_t>(static_cast<std::int64_t>(out.size()) - 1, centre + half);
         ++t) {
      if (!out[static_cast<std::size_t>(t)].face_visible) continue;
      for (std::size_t k = 0; k < kExpressionCount; ++k)
        sum[k] += out[static_cast<std::size_t>(t)].mean[k];
      count += 1;
    }
    for (std::size_t k = 0; k < kExpressionCount; ++k) out[s].smoothed[k] = sum[k] / count;
  }
  return out;
}

}  // namespace playsight::playtest
