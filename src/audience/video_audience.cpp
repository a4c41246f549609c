#include "audience/video_audience.h"

#include <chrono>
#include <cmath>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/error.h"
#include "core/progress.h"
#include "vision/detector.h"
#include "vision/media.h"
#include "vision/model_catalog.h"

namespace playsight::audience {
namespace {

using Clock = std::chrono::steady_clock;

bool is_stream(const std::string& source) {
  return source.find("://") != std::string::npos;
}

cv::VideoCapture open_source(const std::string& source) {
  if (!is_stream(source)) return vision::open_video(source);
  cv::VideoCapture capture(source, cv::CAP_FFMPEG);
  if (!capture.isOpened()) throw InputError(source + ": cannot open the stream");
  return capture;
}

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
  if (options.every < 1) throw InputError("--every: must be at least 1");
  cv::VideoCapture capture = open_source(options.source);
  VideoAudienceResult result;
  result.fps = capture.get(cv::CAP_PROP_FPS);
  if (!(result.fps > 0 && result.fps < 1000)) result.fps = 25;  // streams may not say
  result.width = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_WIDTH));
  result.height = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_HEIGHT));
  const double count = capture.get(cv::CAP_PROP_FRAME_COUNT);
  result.frames_expected =
      count > 0 && !is_stream(options.source) ? static_cast<std::int64_t>(count) : 0;

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
    writer.open(options.annotate_path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'),
                result.fps / options.every, cv::Size(result.width, result.height));
    if (!writer.isOpened())
      throw InputError(options.annotate_path + ": cannot write the annotated video");
  }

  const bool live = options.live || is_stream(options.source);
  const std::int64_t max_frames =
      options.max_seconds > 0
          ? static_cast<std::int64_t>(std::ceil(options.max_seconds * result.fps))
          : 0;
  Progress progress(
      "audience", static_cast<std::uint64_t>(max_frames > 0 ? max_frames : result.frames_expected));
  const Clock::time_point start = Clock::now();
  std::int64_t emitted_second = -1;
  cv::Mat frame;
  for (std::int64_t index = 0;; ++index) {
    if (max_frames > 0 && index >= max_frames) break;
    const double media_time = static_cast<double>(index) / result.fps;
    // A live source keeps its own pace: frames we are too late for are skipped, not analysed.
    const double behind = std::chrono::duration<double>(Clock::now() - start).count() - media_time;
    const bool analyse = index % options.every == 0 && !(live && behind > 1.0);
    const bool got = analyse ? capture.read(frame) : capture.grab();
    if (!got) {
      if (result.frames_expected > 0 && index + 1 < result.frames_expected) {
        result.ended_early = true;
        result.note = options.source + ": the video stopped at frame " + std::to_string(index) +
                      " of " + std::to_string(result.frames_expected) + " (" +
                      std::to_string(static_cast<int>(media_time)) +
                      " s); the report covers the video up to there";
      } else if (is_stream(options.source)) {
        result.ended_early = true;
        result.note = options.source + ": the stream stopped after " +
                      std::to_string(static_cast<int>(media_time)) +
                      " s; the report covers it up to there";
      }
      break;
    }
    ++result.frames_read;
    progress.advance(1);
    if (!analyse) {
      if (index % options.every == 0) ++result.frames_dropped;
      continue;
    }
    FrameObservation observation;
    observation.time_s = media_time;
    observation.people = people->detect(frame);
    if (faces) observation.faces = faces->detect(frame);
    const auto present = analyser.add_frame(observation);
    if (options.on_frame) options.on_frame(index, media_time, present);
    ++result.frames_analysed;
    result.video_seconds = media_time + 1 / result.fps;
    const auto second = static_cast<std::int64_t>(std::floor(media_time));
    if (options.on_second) {
      for (std::int64_t s = emitted_second + 1; s < second; ++s)
        options.on_second(analyser.second_record(s));
      emitted_second = std::max(emitted_second, second - 1);
    }
    if (writer.isOpened()) {
      annotate(frame, present, audience.zone);
      writer.write(frame);
    }
  }
  if (options.on_second && result.frames_analysed > 0) {
    const auto last = static_cast<std::int64_t>(std::floor(result.video_seconds - 1e-9));
    for (std::int64_t s = emitted_second + 1; s <= last; ++s)
      options.on_second(analyser.second_record(s));
  }
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (result.frames_dropped > 0) {
    if (!result.note.empty()) result.note += "; ";
    result.note += std::to_string(result.frames_dropped) +
                   " frames were skipped to keep up with the live stream";
  }
  progress.finish();
  result.audience = analyser.result();
  return result;
}

}  // namespace playsight::audience
