// centernet: MobileNetV3 CenterNet (COCO). Peaks of the class heatmap (stride 4) that are the
// maximum of their 3x3 neighbourhood become detections; the wh head gives the distances from the
// peak to the box's four sides, in input pixels.
#include <algorithm>

#include "vision/detectors/coco_labels.h"
#include "vision/detectors/factories.h"
#include "vision/detectors/sized_network.h"

namespace playsight::vision::detectors {
namespace {

constexpr int kStride = 4;
constexpr std::size_t kMaxDetections = 100;

class CenterNet : public Detector {
 public:
  explicit CenterNet(const DetectorOptions& options)
      : network_(model_spec("centernet"), find_models_folder(options.models_folder),
                 options.input_size > 0 ? options.input_size : 512, true),
        min_score_(options.min_score >= 0 ? options.min_score : 0.4),
        all_classes_(options.all_classes) {}

  std::vector<Detection> detect(const cv::Mat& bgr) override {
    Letterbox geometry;
    const auto outputs = network_.run(bgr, geometry);
    const Tensor& heat = outputs[0];   // [1, h, w, classes]
    const Tensor& sides = outputs[1];  // [1, h, w, 4]
    const auto h = static_cast<int>(heat.shape[1]), w = static_cast<int>(heat.shape[2]);
    const auto classes = static_cast<int>(heat.shape[3]);
    const int wanted_classes = all_classes_ ? classes : 1;  // class 0 is person
    const auto at = [&](int y, int x, int c) {
      return heat.values[(static_cast<std::size_t>(y) * w + x) * classes + c];
    };
    std::vector<Detection> found;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < wanted_classes; ++c) {
          const float score = at(y, x, c);
          if (score < min_score_ || !is_peak(at, y, x, c, h, w, score)) continue;
          const float* side = &sides.values[(static_cast<std::size_t>(y) * w + x) * 4];
          Detection d;
          d.label = coco_labels().at(static_cast<std::size_t>(c));
          d.score = score;
          d.box = {geometry.to_frame_x(x * kStride - side[0]),
                   geometry.to_frame_y(y * kStride - side[1]),
                   geometry.to_frame_x(x * kStride + side[2]),
                   geometry.to_frame_y(y * kStride + side[3])};
          clip(d.box, bgr.size());
          found.push_back(std::move(d));
        }
    found = suppress_overlaps(std::move(found), 0.6);
    if (found.size() > kMaxDetections) found.resize(kMaxDetections);
    return found;
  }

 private:
  template <class At>
  static bool is_peak(const At& at, int y, int x, int c, int h, int w, float score) {
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int ny = y + dy, nx = x + dx;
        if ((dy || dx) && ny >= 0 && ny < h && nx >= 0 && nx < w && at(ny, nx, c) > score)
          return false;
      }
    return true;
  }

  static void clip(Box& box, cv::Size frame) {
    box.x1 = std::clamp(box.x1, 0.0, static_cast<double>(frame.width));
    box.x2 = std::clamp(box.x2, 0.0, static_cast<double>(frame.width));
    box.y1 = std::clamp(box.y1, 0.0, static_cast<double>(frame.height));
    box.y2 = std::clamp(box.y2, 0.0, static_cast<double>(frame.height));
  }

  SizedNetwork network_;
  double min_score_;
  bool all_classes_;
};

}  // namespace

std::unique_ptr<Detector> make_centernet(const DetectorOptions& options) {
  return std::make_unique<CenterNet>(options);
}

}  // namespace playsight::vision::detectors
