// nanodet: NanoDet (COCO) at 416x416, letterboxed. Three levels (strides 8, 16, 32) each give
// per-cell class scores (already sigmoid) and, per box side, a distribution over 11 distance bins
// (generalised focal loss): the side's distance is the distribution's mean times the stride.
#include <cmath>

#include "vision/detectors/coco_labels.h"
#include "vision/detectors/factories.h"
#include "vision/detectors/sized_network.h"

namespace playsight::vision::detectors {
namespace {

constexpr int kBins = 11;

class NanoDet : public Detector {
 public:
  explicit NanoDet(const DetectorOptions& options)
      : network_(model_spec("nanodet"), find_models_folder(options.models_folder), 416, false),
        min_score_(options.min_score >= 0 ? options.min_score : 0.45),
        all_classes_(options.all_classes) {}

  std::vector<Detection> detect(const cv::Mat& bgr) override {
    Letterbox geometry;
    const auto outputs = network_.run(bgr, geometry);
    std::vector<Detection> found;
    const int input = 416;
    for (int level = 0; level < 3; ++level) {
      const Tensor& scores = outputs[static_cast<std::size_t>(level)];     // [1, cells, 80]
      const Tensor& sides = outputs[static_cast<std::size_t>(level) + 3];  // [1, cells, 44]
      const int stride = 8 << level;
      const int grid = input / stride;
      const auto classes = static_cast<int>(scores.shape[2]);
      const int wanted = all_classes_ ? classes : 1;
      for (int cell = 0; cell < grid * grid; ++cell) {
        for (int c = 0; c < wanted; ++c) {
          const float score = scores.values[static_cast<std::size_t>(cell) * classes + c];
          if (score < min_score_) continue;
          const float* bins = &sides.values[static_cast<std::size_t>(cell) * 4 * kBins];
          const double cx = (cell % grid) * stride, cy = (cell / grid) * stride;
          const double left = expected_bin(bins) * stride,
                       top = expected_bin(bins + kBins) * stride;
          const double right = expected_bin(bins + 2 * kBins) * stride;
          const double bottom = expected_bin(bins + 3 * kBins) * stride;
          Detection d;
          d.label = coco_labels().at(static_cast<std::size_t>(c));
          d.score = score;
          d.box = {std::max(0.0, geometry.to_frame_x(cx - left)),
                   std::max(0.0, geometry.to_frame_y(cy - top)),
                   std::min<double>(bgr.cols, geometry.to_frame_x(cx + right)),
                   std::min<double>(bgr.rows, geometry.to_frame_y(cy + bottom))};
          found.push_back(std::move(d));
        }
      }
    }
    return suppress_overlaps(std::move(found), 0.5);
  }

 private:
  // Softmax over the bins, then the mean bin.
  static double expected_bin(const float* logits) {
    float top = logits[0];
    for (int i = 1; i < kBins; ++i) top = std::max(top, logits[i]);
    double total = 0, weighted = 0;
    for (int i = 0; i < kBins; ++i) {
      const double p = std::exp(static_cast<double>(logits[i] - top));
      total += p;
      weighted += p * i;
    }
    return weighted / total;
  }

  SizedNetwork network_;
  double min_score_;
  bool all_classes_;
};

}  // namespace

std::unique_ptr<Detector> make_nanodet(const DetectorOptions& options) {
  return std::make_unique<NanoDet>(options);
}

}  // namespace playsight::vision::detectors
