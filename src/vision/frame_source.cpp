#include "vision/frame_source.h"

#include <cmath>

#include "core/error.h"
#include "vision/media.h"

namespace playsight::vision {

FrameSource::FrameSource(const FrameSourceOptions& options) : options_(options) {
  if (options.every < 1) throw InputError("--every: must be at least 1");
  stream_ = options.source.find("://") != std::string::npos;
  if (stream_) {
    capture_.open(options.source, cv::CAP_FFMPEG);
    if (!capture_.isOpened()) throw InputError(options.source + ": cannot open the stream");
  } else {
    capture_ = open_video(options.source);
  }
  live_ = options.live || stream_;
  const double fps = capture_.get(cv::CAP_PROP_FPS);
  if (fps > 0 && fps < 1000) fps_ = fps;  // streams may not say
  width_ = static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_WIDTH));
  height_ = static_cast<int>(capture_.get(cv::CAP_PROP_FRAME_HEIGHT));
  const double count = capture_.get(cv::CAP_PROP_FRAME_COUNT);
  if (count > 0 && !stream_) frames_expected_ = static_cast<std::int64_t>(count);
  if (options.max_seconds > 0)
    max_frames_ = static_cast<std::int64_t>(std::ceil(options.max_seconds * fps_));
  start_ = std::chrono::steady_clock::now();
}

double FrameSource::wall_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool FrameSource::next(SourceFrame& frame) {
  while (!done_) {
    if (max_frames_ > 0 && index_ >= max_frames_) break;
    const std::int64_t index = index_++;
    const double time = static_cast<double>(index) / fps_;
    const bool wanted = index % options_.every == 0;
    const bool late = live_ && wall_seconds() - time > 1.0;
    const bool analyse = wanted && !late;
    const bool got = analyse ? capture_.read(frame.image) : capture_.grab();
    if (!got) {
      if (frames_expected_ > 0 && index + 1 < frames_expected_) {
        ended_early_ = true;
        end_note_ = options_.source + ": the video stopped at frame " + std::to_string(index) +
                    " of " + std::to_string(frames_expected_) + " (" +
                    std::to_string(static_cast<int>(time)) +
                    " s); the report covers the video up to there";
      } else if (stream_) {
        ended_early_ = true;
        end_note_ = options_.source + ": the stream stopped after " +
                    std::to_string(static_cast<int>(time)) + " s; the report covers it up to there";
      }
      break;
    }
    ++frames_read_;
    if (!analyse) {
      if (wanted) ++frames_dropped_;
      continue;
    }
    frame.index = index;
    frame.time_s = time;
    ++frames_delivered_;
    return true;
  }
  done_ = true;
  return false;
}

std::string FrameSource::note() const {
  std::string note = end_note_;
  if (frames_dropped_ > 0) {
    if (!note.empty()) note += "; ";
    note +=
        std::to_string(frames_dropped_) + " frames were skipped to keep up with the live stream";
  }
  return note;
}

}  // namespace playsight::vision
