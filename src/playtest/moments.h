#pragma once
// Moments of a play session: the stretches where one of the tester's expressions stands out from
// their own baseline, ranked, and the stretches where their face was not visible.
//
// Baseline of an expression: its median over the tester's visible seconds; spread: 1.4826 x the
// median absolute deviation (at least `min_spread`). A second stands out when the expression's
// per-second mean is above baseline + max(min_rise, z x spread). Consecutive standing-out
// seconds form a stretch (a no-face second ends it); stretches closer than `merge_gap_seconds`
// are joined, and those shorter than `min_seconds` dropped. Score: the sum over the stretch of
// (probability - baseline), so long and strong moments rank first. Neutral is never a moment.
//
//   happy -> "enjoyed", surprise -> "surprised", angry / disgust / sad / fear -> "frowned" (the
//   negative expressions, what the UX team reads as struggling).
//
// Thread-safety: pure functions.
#include <string>
#include <vector>

#include "playtest/expression_timeline.h"

namespace playsight::playtest {

struct MomentOptions {
  double min_rise = 0.15;
  double z = 2.5;
  double min_spread = 0.02;
  double min_seconds = 1;
  double merge_gap_seconds = 1;
};

struct Moment {
  std::string expression;         // "happy", ...
  std::string reading;            // "enjoyed", "surprised", "frowned"
  double start_s = 0, end_s = 0;  // [start, end)
  double peak_s = 0;
  double peak_probability = 0;
  double baseline = 0;
  double threshold = 0;
  double score = 0;
};

struct Stretch {
  double start_s = 0, end_s = 0;
};

struct Baseline {
  Expressions median{};
  Expressions spread{};
};

Baseline expression_baseline(const std::vector<SecondOfSession>& seconds, double min_spread);
// Ranked by score, highest first.
std::vector<Moment> find_moments(const std::vector<SecondOfSession>& seconds,
                                 const MomentOptions& options = {});
// Runs of seconds without the tester's face of at least min_seconds.
std::vector<Stretch> no_face_stretches(const std::vector<SecondOfSession>& seconds,
                                       double min_seconds = 1);

}  // namespace playsight::playtest
