#include "vision/preprocess.h"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

namespace playsight::vision {
namespace {

void range_factors(PixelRange range, double& scale, double& shift) {
  switch (range) {
    case PixelRange::kZeroTo255:
      scale = 1.0, shift = 0.0;
      return;
    case PixelRange::kZeroToOne:
      scale = 1.0 / 255.0, shift = 0.0;
      return;
    case PixelRange::kMinusOneToOne:
      scale = 1.0 / 127.5, shift = -1.0;
      return;
  }
}

}  // namespace

cv::Mat letterbox(const cv::Mat& bgr, int width, int height, bool centre, Letterbox& geometry) {
  geometry.scale =
      std::min(static_cast<double>(width) / bgr.cols, static_cast<double>(height) / bgr.rows);
  const int resized_w = std::max(1, static_cast<int>(std::lround(bgr.cols * geometry.scale)));
  const int resized_h = std::max(1, static_cast<int>(std::lround(bgr.rows * geometry.scale)));
  geometry.pad_x = centre ? (width - resized_w) / 2 : 0;
  geometry.pad_y = centre ? (height - resized_h) / 2 : 0;
  cv::Mat canvas(height, width, bgr.type(), cv::Scalar::all(0));
  cv::Mat resized;
  cv::resize(bgr, resized, cv::Size(resized_w, resized_h), 0, 0, cv::INTER_LINEAR);
  resized.copyTo(canvas(cv::Rect(static_cast<int>(geometry.pad_x), static_cast<int>(geometry.pad_y),
                                 resized_w, resized_h)));
  return canvas;
}

cv::Mat image_blob(const cv::Mat& bgr, const ModelSpec& spec) {
  double scale = 1.0, shift = 0.0;
  range_factors(spec.range, scale, shift);
  cv::Mat source = bgr;
  if (spec.grey) cv::cvtColor(bgr, source, cv::COLOR_BGR2GRAY);
  cv::Mat floats;
  source.convertTo(floats, CV_32F, scale, shift);
  // blobFromImage with scale 1 and no mean keeps our values; swapRB makes RGB.
  return cv::dnn::blobFromImage(floats, 1.0, cv::Size(), cv::Scalar(), !spec.grey, false, CV_32F);
}

Tensor image_tensor(const cv::Mat& bgr, const ModelSpec& spec) {
  const cv::Mat blob = image_blob(bgr, spec);  // [1, C, H, W]
  const int channels = blob.size[1], height = blob.size[2], width = blob.size[3];
  const bool nchw = spec.input_shape.size() == 4 && spec.input_shape[1] == channels &&
                    spec.input_shape[3] != channels;
  Tensor tensor;
  tensor.shape = nchw ? std::vector<std::int64_t>{1, channels, height, width}
                      : std::vector<std::int64_t>{1, height, width, channels};
  tensor.values.resize(static_cast<std::size_t>(channels) * height * width);
  const auto* data = blob.ptr<float>();
  for (int c = 0; c < channels; ++c)
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        const std::size_t source = (static_cast<std::size_t>(c) * height + y) * width + x;
        const std::size_t target =
            nchw ? source : (static_cast<std::size_t>(y) * width + x) * channels + c;
        tensor.values[target] = data[source];
      }
  return tensor;
}

}  // namespace playsight::vision
