#include "audience/video_audience.h"

#include <chrono>
#include <cmath>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/error.h"
#include "core/progress.h"
#include "vision/detector.h"
#include "vision/frame_source.h"
#include "vision/media.h"
#include "vision/model_catalog.h"

namespace playsight::audience {
namespace {

void annotate(cv::Mat& frame, const std::vector<AudienceAnalyser::FramePerson>& people,
              const std::vector<Point>& zone) {
  if (!zone.empty()) {
    std::vector<cv::Point> polygon;
    for (const Point& p : zone) polygon.emplace_back(static_cast<int>(p.x), static_cast<int>(p.y));
    cv::polylines(frame, polygon, true, cv::Scalar(200, 200, 0), 1);
  }
  for (const auto& person : people) {
    const cv::Scalar colour = person.looking   ? cv::Scalar(40, 200, 40)
                              : person.in_zone ? cv::Scalar(0, 165, 255)
                                               : cv::Scalar(160, 160, 160);
    const cv::Rect box(cv::Point(static_cast<int>(person.box.x1), static_cast<int>(person.box.y1)),
                       cv::Point(static_cast<int>(person.box.x2), static_cast<int>(person.box.y2)));
    cv::rectangle(frame, box, colour, 2);
    cv::putText(frame, "#" + std::to_string(person.id), box.tl() + cv::Point(2, 14),
                cv::FONT_HERSHEY_SIMPLEX, 0.5, colour, 1);
    if (person.face != nullptr) {
      const vision::Box& f = person.face->box;
      const cv::Point centre(static_cast<int>((f.x1 + f.x2) / 2),
                             static_cast<int>((f.y1 + f.y2) / 2));
      // A gaze mark: a filled dot when the face turns to the camera, a ring otherwise.
      cv::circle(frame, centre, 4, colour, person.looking ? cv::FILLED : 1);
    }
  }
}

}  // namespace

VideoAudienceResult analyse_video_audience(const VideoAudienceOptions& options) {
  vision::FrameSource source({options.source, options.every, options.max_seconds, options.live});
  VideoAudienceResult result;
  result.fps = source.fps();
  result.width = source.width();
  result.height = source.height();
  result.frames_expected = source.frames_expected();

  AudienceOptions audience = options.audience;
  audience.frame_interval = options.every / result.fps;
  audience.frame_width = result.width;
  audience.frame_height = result.height;
  audience.tracker.max_missed_frames = std::max(
      1, static_cast<int>(std::lround(options.max_missed_seconds * result.fps / options.every)));
  // People move `every` times further between analysed frames.
  audience.tracker.max_centre_distance *= options.every;
  check_zone(audience);
  AudienceAnalyser analyser(audience);

  vision::DetectorOptions detector_options;
  detector_options.models_folder = vision::find_models_folder(options.models_folder);
  std::unique_ptr<vision::Detector> people =
      vision::make_detector(options.person_detector, detector_options);
  std::unique_ptr<vision::Detector> faces;
  if (!options.face_detector.empty() && options.face_detector != "none")
    faces = vision::make_detector(options.face_detector, detector_options);

  cv::VideoWriter writer;
  if (!options.annotate_path.empty()) {
    writer = vision::open_video_writer(options.annotate_path, result.fps / options.every,
                                       cv::Size(result.width, result.height), "--annotate");
  }

  const std::int64_t total =
      options.max_seconds > 0
          ? static_cast<std::int64_t>(std::ceil(options.max_seconds * result.fps))
          : result.frames_expected;
  Progress progress("audience", static_cast<std::uint64_t>(std::max<std::int64_t>(total, 0)));
  std::int64_t emitted_second = -1;
  vision::SourceFrame frame;
  while (source.next(frame)) {
    FrameObservation observation;
    observation.time_s = frame.time_s;
    observation.people = people->detect(frame.image);
    if (faces) observation.faces = faces->detect(frame.image);
    const auto present = analyser.add_frame(observation);
    if (options.on_frame) options.on_frame(frame.index, frame.time_s, present);
    progress.advance(static_cast<std::uint64_t>(options.every));
    const auto second = static_cast<std::int64_t>(std::floor(frame.time_s));
    if (options.on_second) {
      for (std::int64_t s = emitted_second + 1; s < second; ++s)
        options.on_second(analyser.second_record(s));
      emitted_second = std::max(emitted_second, second - 1);
    }
    if (writer.isOpened()) {
      annotate(frame.image, present, audience.zone);
      writer.write(frame.image);
    }
  }
  result.frames_read = source.frames_read();
  result.frames_analysed = source.frames_delivered();
  result.frames_dropped = source.frames_dropped();
  result.ended_early = source.ended_early();
  result.note = source.note();
  result.video_seconds = source.video_seconds();
  result.wall_seconds = source.wall_seconds();
  if (options.on_second && result.frames_analysed > 0) {
    const auto last = static_cast<std::int64_t>(std::floor(result.video_seconds - 1e-9));
    for (std::int64_t s = emitted_second + 1; s <= last; ++s)
      options.on_second(analyser.second_record(s));
  }
  progress.finish();
  result.audience = analyser.result();
  return result;
}

}  // namespace playsight::audience
