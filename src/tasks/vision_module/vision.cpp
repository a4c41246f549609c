// playsight vision compare: the team's detector comparison on a video (people found in sampled
// frames, time over the whole video); playsight vision models: the imported models, timed on a
// frame on request.
#include <cstdio>
#include <opencv2/videoio.hpp>
#include <string>

#include "core/error.h"
#include "tasks/vision_module/run.h"
#include "vision/comparison.h"
#include "vision/media.h"
#include "vision/model_catalog.h"
#include "vision/tensor.h"

namespace playsight::tasks::vision_module {
namespace {

void print_table(const vision::Comparison& comparison) {
  std::string frames;
  for (const int index : comparison.sampled_frame_indices)
    frames += (frames.empty() ? "" : ",") + std::to_string(index);
  std::printf("%s: found in %zu sampled frames (%s); time over %d frames\n\n",
              comparison.video.c_str(), comparison.sampled_frame_indices.size(), frames.c_str(),
              comparison.rows.empty() ? 0 : comparison.rows[0].frames);
  std::printf("%-12s %-7s %7s  %-24s %10s %9s %7s %12s\n", "detector", "finds", "found",
              "per frame", "total s", "ms/frame", "fps", "cpu ms/frame");
  for (const auto& row : comparison.rows) {
    std::string per_frame;
    for (const int n : row.found_per_sample)
      per_frame += (per_frame.empty() ? "" : " ") + std::to_string(n);
    const double ms = row.milliseconds_per_frame();
    std::printf("%-12s %-7s %7d  %-24s %10.2f %9.1f %7.1f %12.1f\n", row.detector.c_str(),
                row.finds.c_str(), row.found_total, per_frame.c_str(), row.seconds, ms,
                ms > 0 ? 1000 / ms : 0.0, row.frames ? row.cpu_seconds * 1000 / row.frames : 0.0);
  }
}

nlohmann::json comparison_json(const vision::Comparison& comparison) {
  nlohmann::json json;
  json["video"] = comparison.video;
  json["sampled_frames"] = comparison.sampled_frame_indices;
  for (const auto& row : comparison.rows) {
    json["detectors"].push_back({{"detector", row.detector},
                                 {"finds", row.finds},
                                 {"found", row.found_total},
                                 {"found_per_frame", row.found_per_sample},
                                 {"frames", row.frames},
                                 {"seconds", row.seconds},
                                 {"cpu_seconds", row.cpu_seconds},
                                 {"ms_per_frame", row.milliseconds_per_frame()}});
  }
  return json;
}

}  // namespace

Result run_vision_compare(const Values& values) {
  quiet_opencv(values.count("threads"));
  vision::ComparisonOptions options;
  options.detectors = values.list("detectors");
  if (options.detectors.empty())
    throw InputError("--detectors: expected names separated by commas");
  options.sampled_frames = static_cast<int>(values.integer("frames"));
  options.max_frames = static_cast<int>(values.integer("max-frames"));
  options.detector.models_folder = values.text("models");
  if (values.has("min-score")) options.detector.min_score = values.number("min-score");
  if (values.has("input-size"))
    options.detector.input_size = static_cast<int>(values.integer("input-size"));
  const vision::Comparison comparison = vision::compare_detectors(values.text("VIDEO"), options);
  if (values.flag("json"))
    std::printf("%s\n", comparison_json(comparison).dump(2).c_str());
  else
    print_table(comparison);
  return {};
}

Result run_vision_models(const Values& values) {
  quiet_opencv(values.count("threads"));
  const std::string folder = vision::find_models_folder(values.text("models"));
  const std::string& frame_source = values.text("frame");
  const int runs = static_cast<int>(values.integer("runs"));
  cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(90, 120, 150));
  if (!frame_source.empty()) {
    if (vision::media_kind(frame_source) == vision::MediaKind::kImage) {
      frame = vision::read_image(frame_source);
    } else {
      cv::VideoCapture video = vision::open_video(frame_source);
      video.read(frame);
    }
  }
  std::printf("models in %s\n\n%-18s %-16s %7s %10s %12s  %s\n", folder.c_str(), "model", "input",
              "layers", "import ms", "ms per run", "what");
  for (const auto& spec : vision::model_catalog()) {
    const vision::ModelTiming timing = vision::time_model(spec.name, folder, frame, runs);
    std::printf("%-18s %-16s %7zu %10.0f %12s  %s\n", spec.name.c_str(),
                vision::shape_text(timing.input_shape).c_str(), timing.layers,
                timing.import_milliseconds,
                runs > 0 ? std::to_string(timing.median_milliseconds).substr(0, 6).c_str() : "-",
                spec.what.c_str());
  }
  return {};
}

}  // namespace playsight::tasks::vision_module
