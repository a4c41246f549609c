#pragma once
// Turning a frame into a model's input: letterboxing (resize keeping the aspect ratio, pad the
// rest) and conversion to the model's channel order, pixel range and axis order. Box coordinates
// found on the model's input map back to the frame with Letterbox::to_frame_x/y.
#include <opencv2/core.hpp>

#include "vision/model_catalog.h"
#include "vision/tensor.h"

namespace playsight::vision {

struct Letterbox {
  double scale = 1.0;  // model pixels per frame pixel
  double pad_x = 0.0;  // model pixels left of the image
  double pad_y = 0.0;
  double to_frame_x(double model_x) const { return (model_x - pad_x) / scale; }
  double to_frame_y(double model_y) const { return (model_y - pad_y) / scale; }
};

// Resizes `bgr` into a width x height canvas keeping its aspect ratio, centred on black when
// `centre`, else at the top left. Fills `geometry`.
cv::Mat letterbox(const cv::Mat& bgr, int width, int height, bool centre, Letterbox& geometry);

// A BGR 8-bit image already of the model's size as an NCHW float blob, converted to the model's
// channels (RGB or grey) and pixel range (Network::run_image_blob takes it).
cv::Mat image_blob(const cv::Mat& bgr, const ModelSpec& spec);

// The same as a Tensor in the graph's own axis order (Network::run and the tfjs reference).
Tensor image_tensor(const cv::Mat& bgr, const ModelSpec& spec);

}  // namespace playsight::vision
