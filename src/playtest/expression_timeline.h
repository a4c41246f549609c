#pragma once
// The tester's expressions over a play session, second by second: from the faces found in each
// frame, the tester's face is picked (the main face: it continues the previous frame's main face
// when one overlaps it and is not much smaller than the largest; otherwise the largest face, so
// a passer-by behind the tester is ignored), and its seven expression probabilities are averaged
// per second. A second in which the tester's face was never found is marked as such (covered
// camera, tester away) and carries no probabilities: nothing is guessed. The smoothed series is
// a centred moving average over the visible seconds of a window (`smoothing_seconds`).
//
// Thread-safety: one ExpressionTimeline per session, used from one thread. Errors: InputError
// for frame times that do not increase.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vision/detection.h"

namespace playsight::playtest {

inline constexpr std::size_t kExpressionCount = 7;
// angry, disgust, fear, happy, sad, surprise, neutral (the emotion model's order).
const std::array<std::string, kExpressionCount>& expression_names();
// Index of a name in expression_names(), or -1.
int expression_index(const std::string& name);

using Expressions = std::array<double, kExpressionCount>;

struct SecondOfSession {
  std::int64_t second = 0;
  bool face_visible = false;
  double visible_share = 0;  // share of this second's analysed frames with the tester's face
  Expressions mean{};        // over the frames with the face (zeros when none)
  Expressions smoothed{};    // centred moving average over visible seconds (zeros when none)
};

struct TimelineOptions {
  double smoothing_seconds = 3;  // window of the moving average (1 = none)
};

class ExpressionTimeline {
 public:
  explicit ExpressionTimeline(TimelineOptions options = {});
  // Returns the index of the tester's face among `faces`, or -1 when it is not in this frame.
  int add_frame(double time_s, const std::vector<vision::Detection>& faces);
  // Every second from 0 to the last frame's, smoothed.
  std::vector<SecondOfSession> seconds() const;
  std::int64_t frames() const { return frames_; }
  std::int64_t frames_with_face() const { return frames_with_face_; }

 private:
  struct Accumulator {
    std::int64_t frames = 0;
    std::int64_t with_face = 0;
    Expressions sum{};
  };
  TimelineOptions options_;
  std::vector<Accumulator> seconds_;
  std::optional<vision::Box> main_face_;
  double last_time_ = -1;
  std::int64_t frames_ = 0, frames_with_face_ = 0;
};

}  // namespace playsight::playtest
