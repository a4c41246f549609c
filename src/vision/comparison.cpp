#include "vision/comparison.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "vision/media.h"
#include "vision/preprocess.h"

namespace playsight::vision {
namespace {

std::vector<cv::Mat> decode_all(const std::string& path, int max_frames) {
  cv::VideoCapture video = open_video(path);
  std::vector<cv::Mat> frames;
  cv::Mat frame;
  while ((max_frames <= 0 || static_cast<int>(frames.size()) < max_frames) && video.read(frame))
    frames.push_back(frame.clone());
  if (frames.empty()) throw InputError(path + ": the video has no frame that can be decoded");
  return frames;
}

double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

std::string kind_label(const std::string& finds) {
  return finds == "faces" ? "face" : "person";
}

}  // namespace

ModelTiming time_model(const std::string& name, const std::string& models_folder,
                       const cv::Mat& frame, int runs) {
  const ModelSpec& spec = model_spec(name);
  ModelTiming timing;
  timing.model = name;
  timing.input_shape = spec.input_shape;
  const auto start = std::chrono::steady_clock::now();
  Network network = load_model(spec, models_folder);
  timing.import_milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  timing.layers = network.layer_count();
  const bool nchw = spec.input_shape[1] <= 3 && spec.input_shape[3] > 3;
  const cv::Size size(static_cast<int>(nchw ? spec.input_shape[3] : spec.input_shape[2]),
                      static_cast<int>(nchw ? spec.input_shape[2] : spec.input_shape[1]));
  cv::Mat resized;
  cv::resize(frame, resized, size, 0, 0, cv::INTER_AREA);
  const cv::Mat blob = image_blob(resized, spec);
  network.run_image_blob(blob);
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto run_start = std::chrono::steady_clock::now();
    network.run_image_blob(blob);
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - run_start)
            .count());
  }
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    timing.median_milliseconds = times[times.size() / 2];
  }
  return timing;
}

Comparison compare_detectors(const std::string& video_path, const ComparisonOptions& options) {
  if (options.sampled_frames < 1) throw InputError("--frames: expected at least 1");
  const std::vector<cv::Mat> frames = decode_all(video_path, options.max_frames);
  Comparison comparison;
  comparison.video = video_path;
  const int samples = std::min<int>(options.sampled_frames, static_cast<int>(frames.size()));
  for (int i = 0; i < samples; ++i) {
    comparison.sampled_frame_indices.push_back(
        static_cast<int>((static_cast<double>(i) + 0.5) * frames.size() / samples));
  }
  for (const auto& name : options.detectors) {
    std::string finds = "people";
    for (const auto& info : detector_catalog())
      if (info.name == name) finds = info.finds;
    auto detector = make_detector(name, options.detector);
    detector->detect(frames.front());  // warm-up (imports the network at this frame size)
    ComparisonRow row;
    row.detector = name;
    row.finds = finds;
    std::size_t next_sample = 0;
    for (std::size_t f = 0; f < frames.size(); ++f) {
      const auto start = std::chrono::steady_clock::now();
      const double cpu_start = process_cpu_seconds();
      const auto detections = detector->detect(frames[f]);
      row.cpu_seconds += process_cpu_seconds() - cpu_start;
      row.seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ++row.frames;
      if (next_sample < comparison.sampled_frame_indices.size() &&
          static_cast<int>(f) == comparison.sampled_frame_indices[next_sample]) {
        const auto count = std::count_if(detections.begin(), detections.end(), [&](const auto& d) {
          return d.label == kind_label(finds);
        });
        row.found_per_sample.push_back(static_cast<int>(count));
        row.found_total += static_cast<int>(count);
        ++next_sample;
      }
    }
    comparison.rows.push_back(std::move(row));
  }
  return comparison;
}

}  // namespace playsight::vision
