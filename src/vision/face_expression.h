#pragma once
// ExpressionClassifier: the probabilities of seven facial expressions (angry, disgust, fear,
// happy, sad, surprise, neutral) for a face in a frame, from the imported `emotion` model (a
// mini-Xception on a 64x64 grey crop). Face detectors call it for every face they find.
// Not thread-safe (it owns a Network).
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "vision/detection.h"
#include "vision/network.h"

namespace playsight::vision {

class ExpressionClassifier {
 public:
  explicit ExpressionClassifier(const std::string& models_folder);

  // REQUIRES: `face` overlaps the frame. Probabilities sum to 1, in the order above.
  std::vector<Expression> classify(const cv::Mat& bgr, const Box& face);

  static const std::vector<std::string>& expression_names();

 private:
  Network network_;
};

// Whether a face turns toward the camera, from its landmarks: the nose sits near the middle of
// the eyes (yaw) and both ears are about as far from the nose. Landmarks named as BlazeFace's.
bool is_frontal(const std::vector<Keypoint>& landmarks);

}  // namespace playsight::vision
