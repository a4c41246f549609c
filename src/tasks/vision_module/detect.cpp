// playsight detect: people, faces or objects in an image (one JSON object) or a video (one JSON
// object per frame, as JSON lines), with an annotated copy on request.
#include <algorithm>
#include <cstdio>
#include <opencv2/core/utility.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "cli/commands.h"
#include "core/error.h"
#include "vision/detector.h"
#include "vision/media.h"
#include "vision/model_catalog.h"

namespace playsight::cli {
namespace {

struct DetectFlags {
  std::string input;
  std::string detector;
  std::string draw;
  int every = 1;
  std::vector<int> frames;
  int max_frames = 0;
  int threads = 0;
  bool no_expressions = false;
  vision::DetectorOptions options;
};

void print_json_line(const nlohmann::ordered_json& json) {
  std::printf("%s\n", json.dump().c_str());
}

void detect_in_image(const DetectFlags& flags, vision::Detector& detector) {
  cv::Mat image = vision::read_image(flags.input);
  const auto detections = detector.detect(image);
  print_json_line(vision::to_json(detections));
  if (!flags.draw.empty()) {
    vision::draw_detections(image, detections);
    if (!cv::imwrite(flags.draw, image)) throw InputError(flags.draw + ": cannot write the image");
  }
}

void detect_in_video(const DetectFlags& flags, vision::Detector& detector) {
  cv::VideoCapture video = vision::open_video(flags.input);
  const vision::VideoInfo info = vision::video_info(video);
  cv::VideoWriter writer;
  if (!flags.draw.empty())
    writer = vision::open_video_writer(flags.draw, info.fps, info.size, "--draw");
  cv::Mat frame;
  std::vector<vision::Detection> detections;
  for (int index = 0; (flags.max_frames <= 0 || index < flags.max_frames) && video.read(frame);
       ++index) {
    const bool wanted = flags.frames.empty() ? index % flags.every == 0
                                             : std::find(flags.frames.begin(), flags.frames.end(),
                                                         index) != flags.frames.end();
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

void run_detect(DetectFlags& flags) {
  if (flags.every < 1) throw InputError("--every: expected 1 or more");
  cv::setNumThreads(flags.threads > 0 ? flags.threads : -1);
  // Our errors name the file; OpenCV's backends would add lines of their own for a bad file.
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  const vision::MediaKind kind = vision::media_kind(flags.input);
  flags.options.expressions = !flags.no_expressions;
  const std::string name =
      flags.detector.empty() ? vision::default_person_detector() : flags.detector;
  auto detector = vision::make_detector(name, flags.options);
  if (kind == vision::MediaKind::kImage)
    detect_in_image(flags, *detector);
  else
    detect_in_video(flags, *detector);
}

std::string detector_help() {
  std::string text = "detector to use (default: " + vision::default_person_detector() + "):";
  for (const auto& info : vision::detector_catalog())
    text += "\n  " + info.name + " (" + info.finds + "): " + info.what;
  return text;
}

}  // namespace

void add_detect_command(CLI::App& app) {
  auto flags = std::make_shared<DetectFlags>();
  CLI::App* command = app.add_subcommand(
      "detect",
      "People, faces or objects in an image or a video, as JSON (a video: one line per frame). "
      "Coordinates are the input's pixels.");
  command->add_option("input", flags->input, "an image or a video file")->required();
  command->add_option("--detector", flags->detector, detector_help());
  command->add_option("--draw", flags->draw,
                      "also write the input with the detections drawn (an image, or a video: "
                      ".avi MJPG or .mp4)");
  command->add_option("--models", flags->options.models_folder,
                      "folder of the TF.js models (default: node_modules/@vladmandic/"
                      "human-models/models found from here or the binary; $PLAYSIGHT_MODELS)");
  command->add_option("--min-score", flags->options.min_score,
                      "drop detections scoring below this (default: the detector's own)");
  command->add_option("--input-size", flags->options.input_size,
                      "networks: the longer input side in pixels, a multiple of 32 (default: the "
                      "model's own)");
  command->add_flag("--all-classes", flags->options.all_classes,
                    "COCO detectors: report every class, not only people");
  command->add_flag("--no-expressions", flags->no_expressions,
                    "face detectors: skip the expression model");
  command->add_option("--every", flags->every, "video: detect on every Nth frame")
      ->capture_default_str();
  command
      ->add_option("--frames", flags->frames,
                   "video: detect on these frames only (0-based, comma-separated)")
      ->delimiter(',');
  command->add_option("--max-frames", flags->max_frames, "video: stop after N frames (0 = all)")
      ->capture_default_str();
  command->add_option("--threads", flags->threads, "OpenCV worker threads (0 = one per core)")
      ->capture_default_str();
  command->callback([flags] { run_detect(*flags); });
}

}  // namespace playsight::cli
