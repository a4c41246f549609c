#pragma once
// Comparing detectors on one video, the team's way: how many people (or faces) each finds in N
// frames sampled evenly over the video, and how long it takes over the whole video.
#include <string>
#include <vector>

#include "vision/detector.h"
#include "vision/model_catalog.h"

namespace playsight::vision {

struct ComparisonOptions {
  std::vector<std::string> detectors;  // names from detector_catalog()
  int sampled_frames = 5;
  int max_frames = 0;  // 0 = the whole video (for the timing)
  DetectorOptions detector;
};

struct ComparisonRow {
  std::string detector;
  std::string finds;                  // "people" or "faces"
  std::vector<int> found_per_sample;  // detections of its kind in each sampled frame
  int found_total = 0;
  int frames = 0;          // frames timed
  double seconds = 0;      // detection time over those frames (decoding excluded)
  double cpu_seconds = 0;  // CPU time of the whole process over the same frames (all threads)
  double milliseconds_per_frame() const { return frames ? seconds * 1000 / frames : 0; }
};

struct Comparison {
  std::string video;
  std::vector<int> sampled_frame_indices;
  std::vector<ComparisonRow> rows;
};

struct ModelTiming {
  std::string model;
  std::vector<std::int64_t> input_shape;
  std::size_t layers = 0;
  double import_milliseconds = 0;
  double median_milliseconds = 0;  // one forward pass on a real frame, median of `runs`
};

// Imports a catalogued model and times its network alone (no pre- or post-processing) on
// `frame` resized to the model's input, after one warm-up run.
ModelTiming time_model(const std::string& name, const std::string& models_folder,
                       const cv::Mat& frame, int runs);

// Decodes the video once, then runs each detector over every frame (timing) and counts its finds
// on the sampled frames. Throws InputError for an unopenable video or an unknown detector.
Comparison compare_detectors(const std::string& video_path, const ComparisonOptions& options);

}  // namespace playsight::vision
