#pragma once
// A play session from a face-cam video or a live stream: the tester's expression timeline, its
// moments, the covered-camera stretches and, given the game's events, the expressions around
// each kind of event. Frames come through vision::FrameSource (live pacing, early ends); faces
// from a face detector with the expression model. With `annotate_path`, the video is written
// again with the tester's face box and top expression, the faces blurred unless `blur_faces` is
// off; nothing else of a face is stored.
//
// Errors: InputError naming the source, the detector or the events file. A video in which no
// face is ever found is not an error: its result says so (warnings) and has no moments.
// Not thread-safe; one call per session.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "playtest/game_events.h"
#include "playtest/moments.h"

namespace playsight::playtest {

// The "kind" of session.json, the report `playsight playtest` writes.
inline constexpr const char* kSessionKind = "playsight.playtest_session";

struct SessionOptions {
  std::string source;
  std::string face_detector = "blazeface";
  std::string models_folder;
  int every = 1;
  double max_seconds = 0;
  bool live = false;
  std::string annotate_path;
  bool blur_faces = true;
  std::string events_path;  // "": no events
  EventWindow event_window;
  TimelineOptions timeline;
  MomentOptions moments;
  std::string tester;  // labels for the multi-session summary
  std::string build;
  // Called when a second of video is complete (its mean; the smoothing is not final yet).
  std::function<void(const SecondOfSession&)> on_second;
};

struct SessionResult {
  double fps = 0;
  int width = 0, height = 0;
  std::int64_t frames_read = 0, frames_analysed = 0, frames_dropped = 0, frames_with_face = 0;
  bool ended_early = false;
  std::string note;
  double video_seconds = 0, wall_seconds = 0;
  std::vector<SecondOfSession> seconds;
  Baseline baseline;
  std::vector<Moment> moments;
  std::vector<Stretch> no_face;
  std::optional<EventsResult> events;
  std::vector<std::string> warnings;
};

SessionResult analyse_session(const SessionOptions& options);

}  // namespace playsight::playtest
