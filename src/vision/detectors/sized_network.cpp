#include "vision/detectors/sized_network.h"

#include <cmath>

#include "core/error.h"

namespace playsight::vision::detectors {
namespace {

bool is_nchw(const ModelSpec& spec) {
  return spec.input_shape[1] <= 3 && spec.input_shape[3] > 3;
}

}  // namespace

int catalogued_long_side(const ModelSpec& spec) {
  return static_cast<int>(is_nchw(spec) ? spec.input_shape[3] : spec.input_shape[2]);
}

SizedNetwork::SizedNetwork(const ModelSpec& spec, std::string models_folder, int long_side,
                           bool flexible)
    : spec_(spec),
      models_folder_(std::move(models_folder)),
      long_side_(long_side > 0 ? long_side : catalogued_long_side(spec)),
      flexible_(flexible) {
  if (long_side_ % 32 != 0 || long_side_ < 64)
    throw InputError("--input-size: expected a multiple of 32, at least 64, got " +
                     std::to_string(long_side_));
  if (!flexible_) long_side_ = catalogued_long_side(spec);
}

cv::Size SizedNetwork::input_size_for(cv::Size frame) const {
  if (!flexible_) return {long_side_, long_side_};
  const double ratio = static_cast<double>(std::min(frame.width, frame.height)) /
                       std::max(frame.width, frame.height);
  const int short_side = std::max(32, static_cast<int>(std::ceil(long_side_ * ratio / 32.0)) * 32);
  return frame.width >= frame.height ? cv::Size(long_side_, short_side)
                                     : cv::Size(short_side, long_side_);
}

std::vector<Tensor> SizedNetwork::run(const cv::Mat& bgr, Letterbox& geometry) {
  if (bgr.empty()) throw InputError("empty frame");
  const cv::Size size = input_size_for(bgr.size());
  if (!network_ || size != built_for_) {
    const std::vector<std::int64_t> shape =
        is_nchw(spec_)
            ? std::vector<std::int64_t>{1, spec_.input_shape[1], size.height, size.width}
            : std::vector<std::int64_t>{1, size.height, size.width, spec_.input_shape[3]};
    network_.reset();
    network_.emplace(load_model(spec_, models_folder_, shape));
    built_for_ = size;
  }
  const cv::Mat input = letterbox(bgr, size.width, size.height, false, geometry);
  return network_->run_image_blob(image_blob(input, spec_));
}

}  // namespace playsight::vision::detectors
