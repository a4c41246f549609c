// playsight vision compare: the team's detector comparison on a video (people found in sampled
// frames, time over the whole video).
#include <cstdio>
#include <opencv2/core/utility.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"
#include "vision/comparison.h"
#include "vision/media.h"
#include "vision/model_catalog.h"
#include "vision/tensor.h"

namespace playsight::cli {
namespace {

struct CompareFlags {
  std::string video;
  std::string detectors = "centernet,nanodet,movenet,hog";
  int threads = 0;
  bool json = false;
  vision::ComparisonOptions options;
};

std::vector<std::string> split_names(const std::string& text) {
  std::vector<std::string> names;
  std::stringstream stream(text);
  std::string name;
  while (std::getline(stream, name, ','))
    if (!name.empty()) names.push_back(name);
  if (names.empty()) throw InputError("--detectors: expected names separated by commas");
  return names;
}

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

void run_compare(CompareFlags& flags) {
  cv::setNumThreads(flags.threads > 0 ? flags.threads : -1);
  // Our errors name the file; OpenCV's backends would add lines of their own for a bad file.
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  flags.options.detectors = split_names(flags.detectors);
  const vision::Comparison comparison = vision::compare_detectors(flags.video, flags.options);
  if (flags.json)
    std::printf("%s\n", comparison_json(comparison).dump(2).c_str());
  else
    print_table(comparison);
}

struct ModelsFlags {
  std::string models;
  std::string frame_source;
  int runs = 0;
  int threads = 0;
};

void run_models(const ModelsFlags& flags) {
  cv::setNumThreads(flags.threads > 0 ? flags.threads : -1);
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  const std::string folder = vision::find_models_folder(flags.models);
  cv::Mat frame(480, 640, CV_8UC3, cv::Scalar(90, 120, 150));
  if (!flags.frame_source.empty()) {
    if (vision::media_kind(flags.frame_source) == vision::MediaKind::kImage) {
      frame = vision::read_image(flags.frame_source);
    } else {
      cv::VideoCapture video = vision::open_video(flags.frame_source);
      video.read(frame);
    }
  }
  std::printf("models in %s\n\n%-18s %-16s %7s %10s %12s  %s\n", folder.c_str(), "model", "input",
              "layers", "import ms", "ms per run", "what");
  for (const auto& spec : vision::model_catalog()) {
    const vision::ModelTiming timing = vision::time_model(spec.name, folder, frame, flags.runs);
    std::printf(
        "%-18s %-16s %7zu %10.0f %12s  %s\n", spec.name.c_str(),
        vision::shape_text(timing.input_shape).c_str(), timing.layers, timing.import_milliseconds,
        flags.runs > 0 ? std::to_string(timing.median_milliseconds).substr(0, 6).c_str() : "-",
        spec.what.c_str());
  }
}

}  // namespace

void add_vision_command(CLI::App& app) {
  CLI::App* vision = app.add_subcommand("vision", "Vision runtime tools");
  vision->require_subcommand(1);
  auto flags = std::make_shared<CompareFlags>();
  CLI::App* compare = vision->add_subcommand(
      "compare",
      "Compare detectors on a video: what each finds in N frames sampled evenly over it, and its "
      "time over the whole video (decoding excluded).");
  compare->add_option("video", flags->video, "a video file")->required();
  compare->add_option("--detectors", flags->detectors, "comma-separated detector names")
      ->capture_default_str();
  compare->add_option("--frames", flags->options.sampled_frames, "frames sampled for counting")
      ->capture_default_str();
  compare
      ->add_option("--max-frames", flags->options.max_frames,
                   "time only the first N frames (0 = the whole video)")
      ->capture_default_str();
  compare->add_option("--models", flags->options.detector.models_folder,
                      "folder of the TF.js models");
  compare->add_option("--min-score", flags->options.detector.min_score,
                      "score threshold for every detector (default: each one's own)");
  compare->add_option("--input-size", flags->options.detector.input_size,
                      "networks: the longer input side in pixels (default: each model's own)");
  compare->add_option("--threads", flags->threads, "OpenCV worker threads (0 = one per core)")
      ->capture_default_str();
  compare->add_flag("--json", flags->json, "print JSON instead of the table");
  compare->callback([flags] { run_compare(*flags); });

  auto models_flags = std::make_shared<ModelsFlags>();
  CLI::App* models = vision->add_subcommand(
      "models",
      "List the imported models (importing each, which checks the files); with --runs, time "
      "each network alone on a frame (median milliseconds per run).");
  models->add_option("--models", models_flags->models, "folder of the TF.js models");
  models->add_option("--runs", models_flags->runs, "timed runs per model (0 = only list)")
      ->capture_default_str();
  models->add_option("--frame", models_flags->frame_source,
                     "an image or video whose first frame is the input (default: a flat grey one)");
  models->add_option("--threads", models_flags->threads, "OpenCV worker threads (0 = one per core)")
      ->capture_default_str();
  models->callback([models_flags] { run_models(*models_flags); });
}

}  // namespace playsight::cli
