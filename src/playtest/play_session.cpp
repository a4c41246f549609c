#include "playtest/play_session.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/error.h"
#include "core/progress.h"
#include "vision/detector.h"
#include "vision/frame_source.h"
#include "vision/media.h"
#include "vision/model_catalog.h"

namespace playsight::playtest {
namespace {

void annotate(cv::Mat& frame, const std::vector<vision::Detection>& faces, int tester, bool blur) {
  for (std::size_t f = 0; f < faces.size(); ++f) {
    const vision::Box& b = faces[f].box;
    const cv::Rect box = cv::Rect(cv::Point(static_cast<int>(b.x1), static_cast<int>(b.y1)),
                                  cv::Point(static_cast<int>(b.x2), static_cast<int>(b.y2))) &
                         cv::Rect(0, 0, frame.cols, frame.rows);
    if (box.area() <= 0) continue;
    if (blur) {
      cv::Mat region = frame(box);
      const int kernel = std::max(3, (box.width / 3) | 1);
      cv::GaussianBlur(region, region, cv::Size(kernel, kernel), 0);
    }
    const bool is_tester = static_cast<int>(f) == tester;
    const cv::Scalar colour = is_tester ? cv::Scalar(40, 200, 40) : cv::Scalar(160, 160, 160);
    cv::rectangle(frame, box, colour, 2);
    if (is_tester && !faces[f].expression.empty()) {
      const auto top = std::max_element(
          faces[f].expression.begin(), faces[f].expression.end(),
          [](const auto& a, const auto& b2) { return a.probability < b2.probability; });
      cv::putText(frame, top->name, box.tl() + cv::Point(0, -4), cv::FONT_HERSHEY_SIMPLEX, 0.6,
                  colour, 2);
    }
  }
}

}  // namespace

SessionResult analyse_session(const SessionOptions& options) {
  std::vector<GameEvent> events;
  if (!options.events_path.empty()) events = read_game_events(options.events_path);
  vision::FrameSource source({options.source, options.every, options.max_seconds, options.live});
  vision::DetectorOptions detector_options;
  detector_options.models_folder = vision::find_models_folder(options.models_folder);
  detector_options.expressions = true;
  std::unique_ptr<vision::Detector> faces =
      vision::make_detector(options.face_detector, detector_options);

  SessionResult result;
  result.fps = source.fps();
  result.width = source.width();
  result.height = source.height();
  cv::VideoWriter writer;
  if (!options.annotate_path.empty()) {
    writer = vision::open_video_writer(options.annotate_path, result.fps / options.every,
                                       cv::Size(result.width, result.height), "--annotate");
  }
  ExpressionTimeline timeline(options.timeline);
  const std::int64_t total =
      options.max_seconds > 0
          ? static_cast<std::int64_t>(std::ceil(options.max_seconds * result.fps))
          : source.frames_expected();
  Progress progress("playtest", static_cast<std::uint64_t>(std::max<std::int64_t>(total, 0)));
  std::int64_t emitted = -1;
  vision::SourceFrame frame;
  while (source.next(frame)) {
    const std::vector<vision::Detection> found = faces->detect(frame.image);
    const int tester = timeline.add_frame(frame.time_s, found);
    progress.advance(static_cast<std::uint64_t>(options.every));
    const auto second = static_cast<std::int64_t>(std::floor(frame.time_s));
    if (options.on_second && second - 1 > emitted) {
      const std::vector<SecondOfSession> so_far = timeline.seconds();
      for (std::int64_t s = emitted + 1; s < second; ++s)
        options.on_second(so_far[static_cast<std::size_t>(s)]);
      emitted = second - 1;
    }
    if (writer.isOpened()) {
      annotate(frame.image, found, tester, options.blur_faces);
      writer.write(frame.image);
    }
  }
  progress.finish();
  result.frames_read = source.frames_read();
  result.frames_analysed = source.frames_delivered();
  result.frames_dropped = source.frames_dropped();
  result.ended_early = source.ended_early();
  result.note = source.note();
  result.video_seconds = source.video_seconds();
  result.wall_seconds = source.wall_seconds();
  result.frames_with_face = timeline.frames_with_face();
  result.seconds = timeline.seconds();
  if (options.on_second) {
    for (std::size_t s = static_cast<std::size_t>(emitted + 1); s < result.seconds.size(); ++s)
      options.on_second(result.seconds[s]);
  }
  result.baseline = expression_baseline(result.seconds, options.moments.min_spread);
  result.moments = find_moments(result.seconds, options.moments);
  result.no_face = no_face_stretches(result.seconds);
  if (result.frames_analysed > 0 && result.frames_with_face == 0) {
    result.warnings.push_back(options.source +
                              ": no face was found in any frame (camera covered, tester away, or "
                              "no face-cam): the timeline has no expressions and no moments");
  }
  if (!options.events_path.empty()) {
    result.events = summarise_events(events, result.seconds, options.event_window);
    if (result.events->outside_video > 0) {
      result.warnings.push_back(
          options.events_path + ": " + std::to_string(result.events->outside_video) +
          " events are at or after the end of the video (" +
          std::to_string(static_cast<int>(result.seconds.size())) + " s; the first at " +
          std::to_string(static_cast<long long>(std::llround(result.events->first_outside_s))) +
          " s) and are left out of the event summary");
    }
  }
  return result;
}

}  // namespace playsight::playtest
