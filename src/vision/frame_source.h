#pragma once
// FrameSource: the frames of a video file or a live stream, one at a time, for the analyses that
// run over video (audience, playtest). It skips to every Nth frame, stops after a length of
// video, paces a live source (a URL with "://", or `live`) so that the analysis keeps up: frames
// it is more than a second too late for are skipped and counted, and it tells a source that
// stopped early (a file shorter than its header says, a stream that dropped) from one that ended,
// with a note saying where.
//
// Not thread-safe; one per video. Errors: InputError naming the source when it cannot be opened,
// every < 1.
#include <chrono>
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#include <string>

namespace playsight::vision {

struct FrameSourceOptions {
  std::string source;      // file path or stream URL
  int every = 1;           // deliver every Nth frame
  double max_seconds = 0;  // stop after this much video (0: all)
  bool live = false;       // pace a file as a live stream
};

struct SourceFrame {
  std::int64_t index = 0;  // in the video
  double time_s = 0;       // index / fps
  cv::Mat image;           // BGR
};

class FrameSource {
 public:
  explicit FrameSource(const FrameSourceOptions& options);

  // The next frame to analyse, or false at the end (see ended_early() and note()).
  bool next(SourceFrame& frame);

  double fps() const { return fps_; }
  int width() const { return width_; }
  int height() const { return height_; }
  std::int64_t frames_expected() const { return frames_expected_; }  // 0 if unknown
  std::int64_t frames_read() const { return frames_read_; }
  std::int64_t frames_delivered() const { return frames_delivered_; }
  std::int64_t frames_dropped() const { return frames_dropped_; }  // skipped to keep up
  bool ended_early() const { return ended_early_; }
  // Why the video ended early and what was dropped; empty when neither happened.
  std::string note() const;
  // Media time covered so far (up to the end of the last frame read).
  double video_seconds() const { return frames_read_ / fps_; }
  double wall_seconds() const;

 private:
  FrameSourceOptions options_;
  cv::VideoCapture capture_;
  double fps_ = 25;
  int width_ = 0, height_ = 0;
  std::int64_t frames_expected_ = 0, max_frames_ = 0;
  std::int64_t index_ = 0, frames_read_ = 0, frames_delivered_ = 0, frames_dropped_ = 0;
  bool live_ = false, stream_ = false, ended_early_ = false, done_ = false;
  std::string end_note_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace playsight::vision
