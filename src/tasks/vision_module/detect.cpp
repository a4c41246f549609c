// playsight detect: people, faces or objects in an image (one JSON object) or a video (one JSON
// object per frame, as JSON lines), with an annotated copy on request.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "core/error.h"
#include "tasks/vision_module/run.h"
#include "vision/detector.h"
#include "vision/media.h"

namespace playsight::tasks::vision_module {
namespace {

struct DetectRun {
  std::string input;
  std::string draw;
  int every = 1;
  std::vector<int> frames;
  long long max_frames = 0;
};

// --frames 3,10,42: 0-based frame indices.
std::vector<int> frame_indices(const std::vector<std::string>& texts) {
  std::vector<int> frames;
  for (const std::string& text : texts) {
    std::size_t used = 0;
    int index = -1;
    try {
      index = std::stoi(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size() || index < 0)
      throw InputError("--frames: expected frame numbers (0-based, comma-separated), got " +
                       quote_for_message(text));
    frames.push_back(index);
  }
  return frames;
}

void print_json_line(const nlohmann::ordered_json& json) {
  std::printf("%s\n", json.dump().c_str());
}

void detect_in_image(const DetectRun& run, vision::Detector& detector) {
  cv::Mat image = vision::read_image(run.input);
  const auto detections = detector.detect(image);
  print_json_line(vision::to_json(detections));
  if (!run.draw.empty()) {
    vision::draw_detections(image, detections);
    if (!cv::imwrite(run.draw, image)) throw InputError(run.draw + ": cannot write the image");
  }
}

void detect_in_video(const DetectRun& run, vision::Detector& detector) {
  cv::VideoCapture video = vision::open_video(run.input);
  const vision::VideoInfo info = vision::video_info(video);
  cv::VideoWriter writer;
  if (!run.draw.empty())
    writer = vision::open_video_writer(run.draw, info.fps, info.size, "--draw");
  cv::Mat frame;
  std::vector<vision::Detection> detections;
  for (int index = 0; (run.max_frames <= 0 || index < run.max_frames) && video.read(frame);
       ++index) {
    const bool wanted = run.frames.empty() ? index % run.every == 0
                                           : std::find(run.frames.begin(), run.frames.end(),
                                                       index) != run.frames.end();
    if (!wanted) {
      if (writer.isOpened()) {
        vision::draw_detections(frame, detections);  // the last frame's boxes
        writer.write(frame);
      }
      continue;
    }
    detections = detector.detect(frame);
    nlohmann::ordered_json line;
    line["frame"] = index;
    if (info.fps > 0) line["time_s"] = std::round(index / info.fps * 1000) / 1000;
    line["detections"] = vision::to_json(detections)["detections"];
    print_json_line(line);
    if (writer.isOpened()) {
      vision::draw_detections(frame, detections);
      writer.write(frame);
    }
  }
}

}  // namespace

Result run_detect(const Values& values) {
  DetectRun run;
  run.input = values.text("INPUT");
  run.draw = values.text("draw");
  const long long every = values.integer("every");
  if (every < 1) throw InputError("--every: expected 1 or more");
  run.every = static_cast<int>(std::min<long long>(every, 1'000'000'000));
  run.max_frames = values.integer("max-frames");
  quiet_opencv(values.count("threads"));
  run.frames = frame_indices(values.list("frames"));
  const vision::MediaKind kind = vision::media_kind(run.input);
  vision::DetectorOptions options;
  options.models_folder = values.text("models");
  if (values.has("min-score")) options.min_score = values.number("min-score");
  if (values.has("input-size")) options.input_size = static_cast<int>(values.integer("input-size"));
  options.all_classes = values.flag("all-classes");
  options.expressions = !values.flag("no-expressions");
  const std::string name =
      values.has("detector") ? values.text("detector") : vision::default_person_detector();
  auto detector = vision::make_detector(name, options);
  if (kind == vision::MediaKind::kImage)
    detect_in_image(run, *detector);
  else
    detect_in_video(run, *detector);
  return {};
}

}  // namespace playsight::tasks::vision_module
