#pragma once
// Detector: finds people, faces or objects in a BGR frame. Every detector — an imported network
// with its pre- and post-processing, or one of OpenCV's classic detectors — sits behind this one
// interface and is made by name from the registry (detector_catalog()), so that callers
// (`playsight detect`, `vision compare`, audience, playtest) choose one with a string.
//
// A Detector is not thread-safe (networks keep state between runs); make one per thread.
// detect() throws InputError for an empty frame.
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "vision/detection.h"

namespace playsight::vision {

struct DetectorOptions {
  std::string models_folder;  // where the TF.js models are (see find_models_folder)
  double min_score = -1;      // < 0: the detector's own default
  int input_size = 0;         // networks: the longer side of the input in pixels; 0 = default
  bool expressions = true;    // face detectors: add expression probabilities (emotion model)
  bool all_classes = false;   // COCO detectors: every class, not only people
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::vector<Detection> detect(const cv::Mat& bgr) = 0;
};

struct DetectorInfo {
  std::string name;   // "centernet", "hog", ...
  std::string finds;  // "people", "faces"
  std::string what;   // one line: the model or method
  std::unique_ptr<Detector> (*make)(const DetectorOptions& options);
};

// Every detector, best person detector first.
const std::vector<DetectorInfo>& detector_catalog();
// Throws InputError listing the known names for an unknown one.
std::unique_ptr<Detector> make_detector(const std::string& name, const DetectorOptions& options);
// The default for `playsight detect`: the most accurate person detector meeting the speed goal.
std::string default_person_detector();

}  // namespace playsight::vision
