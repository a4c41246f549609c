#pragma once
// SizedNetwork: an imported network whose input size follows the frames' aspect ratio. Fully
// convolutional models (centernet, movenet) run faster on a 768x576 frame at 512x384 than
// letterboxed into 512x512; the network is imported again only when the frame size changes
// (once per video). Fixed-size models (nanodet's heads are reshaped to fixed sizes) pass
// `flexible = false` and are letterboxed.
#include <opencv2/core.hpp>
#include <optional>
#include <string>

#include "vision/model_catalog.h"
#include "vision/network.h"
#include "vision/preprocess.h"

namespace playsight::vision::detectors {

class SizedNetwork {
 public:
  SizedNetwork(const ModelSpec& spec, std::string models_folder, int long_side, bool flexible);

  // Runs the network on `bgr`; `geometry` maps model pixels back to the frame.
  std::vector<Tensor> run(const cv::Mat& bgr, Letterbox& geometry);
  const ModelSpec& spec() const { return spec_; }

 private:
  cv::Size input_size_for(cv::Size frame) const;

  ModelSpec spec_;
  std::string models_folder_;
  int long_side_;
  bool flexible_;
  cv::Size built_for_;
  std::optional<Network> network_;
};

// The default long side for a model: its catalogued input size.
int catalogued_long_side(const ModelSpec& spec);

}  // namespace playsight::vision::detectors
