#pragma once
// The audience of a video file or a live stream: reads frames (OpenCV/FFmpeg), runs a person
// detector and a face detector (with frontal flags and expressions) on every `every`-th frame,
// and feeds the audience analysis (audience_analysis.h). Optionally writes an annotated video
// (boxes, ids, who is looking); no face image is stored otherwise.
//
// Streams: a source with "://" (rtsp, http, ...) or `live` is paced in real time: when the
// analysis falls more than a second behind the stream, frames are skipped and counted as dropped,
// and the result says so. A source that stops early (a file shorter than its header says, a
// stream that drops) ends the analysis with the result up to that point and a note saying where
// and why; nothing already measured is lost.
//
// Errors: InputError naming the source when it cannot be opened, an unknown detector, a bad zone.
// Not thread-safe; one call per video.
#include <functional>
#include <string>

#include "audience/audience_analysis.h"

namespace playsight::audience {

// The "kind" of summary.json, the report `playsight audience` writes.
inline constexpr const char* kAudienceKind = "playsight.audience";

struct VideoAudienceOptions {
  std::string source;  // file path or stream URL
  std::string person_detector = "nanodet";
  std::string face_detector = "blazeface";  // "" or "none": people only, nobody looks
  std::string models_folder;                // "": found as `playsight detect` finds it
  int every = 1;                            // analyse every N-th frame
  double max_seconds = 0;                   // stop after this much video (0: all)
  bool live = false;                        // pace as a live stream even for a file
  std::string annotate_path;                // write an annotated video here ("": none)
  AudienceOptions audience;                 // zone, look_seconds, tracker (interval set here)
  // A track survives this long without a detection (people crossing, a missed frame); the
  // tracker's max_missed_frames is set from it and the frame rate.
  double max_missed_seconds = 1.5;
  // Called when a second of video is complete (for JSON lines while a stream runs).
  std::function<void(const SecondRecord&)> on_second;
  // Called for every analysed frame with the people tracked in it (index of the frame in the
  // video, its time).
  std::function<void(std::int64_t, double, const std::vector<AudienceAnalyser::FramePerson>&)>
      on_frame;
  bool progress = true;
};

struct VideoAudienceResult {
  AudienceResult audience;
  double fps = 0;
  int width = 0, height = 0;
  std::int64_t frames_read = 0;
  std::int64_t frames_analysed = 0;
  std::int64_t frames_dropped = 0;   // skipped to keep up with a live stream
  std::int64_t frames_expected = 0;  // as the container says (0 if unknown)
  bool ended_early = false;
  std::string note;          // why it ended early, what was dropped
  double video_seconds = 0;  // media time analysed
  double wall_seconds = 0;   // time the analysis took
};

VideoAudienceResult analyse_video_audience(const VideoAudienceOptions& options);

}  // namespace playsight::audience
