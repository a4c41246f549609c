// playsight vision compare: the team's detector comparison on a video (people found in sampled
// frames, time over the whole video).
#include <cstdio>
#include <opencv2/core/utility.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"
#include "vision/comparison.h"

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
}

}  // namespace playsight::cli
