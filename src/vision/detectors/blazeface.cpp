// blazeface: MediaPipe BlazeFace (back-camera variant, 256x256, for faces at a distance). 896
// anchors (16x16 cells x 2 at stride 16, 8x8 cells x 6 at stride 32); each regresses a box and six
// landmarks relative to its anchor centre, in input pixels. Faces get a frontal flag from the
// landmarks and, optionally, expression probabilities.
#include <cmath>
#include <optional>

#include "vision/detectors/factories.h"
#include "vision/detectors/sized_network.h"
#include "vision/face_expression.h"

namespace playsight::vision::detectors {
namespace {

constexpr int kInput = 256;

const char* const kLandmarks[] = {"right_eye", "left_eye",  "nose",
                                  "mouth",     "right_ear", "left_ear"};

class BlazeFace : public Detector {
 public:
  explicit BlazeFace(const DetectorOptions& options)
      : network_(model_spec("blazeface"), find_models_folder(options.models_folder), kInput, false),
        min_score_(options.min_score >= 0 ? options.min_score : 0.6) {
    if (options.expressions) expressions_.emplace(find_models_folder(options.models_folder));
  }

  std::vector<Detection> detect(const cv::Mat& bgr) override {
    Letterbox geometry;
    const auto outputs = network_.run(bgr, geometry);
    std::vector<Detection> found;
    decode(outputs[0], outputs[2], 16, 2, geometry, found);
    decode(outputs[1], outputs[3], 8, 6, geometry, found);
    found = suppress_overlaps(std::move(found), 0.3);
    for (auto& face : found) {
      face.frontal = is_frontal(face.keypoints);
      if (expressions_) face.expression = expressions_->classify(bgr, face.box);
    }
    return found;
  }

 private:
  void decode(const Tensor& scores, const Tensor& boxes, int grid, int per_cell,
              const Letterbox& geometry, std::vector<Detection>& found) const {
    for (int anchor = 0; anchor < grid * grid * per_cell; ++anchor) {
      const double logit =
          std::clamp<double>(scores.values[static_cast<std::size_t>(anchor)], -100, 100);
      const double score = 1.0 / (1.0 + std::exp(-logit));
      if (score < min_score_) continue;
      const int cell = anchor / per_cell;
      const double ax = (cell % grid + 0.5) * kInput / grid,
                   ay = (cell / grid + 0.5) * kInput / grid;
      const float* r = &boxes.values[static_cast<std::size_t>(anchor) * 16];
      const double cx = ax + r[0], cy = ay + r[1];
      Detection face;
      face.label = "face";
      face.score = score;
      face.box = {geometry.to_frame_x(cx - r[2] / 2), geometry.to_frame_y(cy - r[3] / 2),
                  geometry.to_frame_x(cx + r[2] / 2), geometry.to_frame_y(cy + r[3] / 2)};
      for (int k = 0; k < 6; ++k) {
        face.keypoints.push_back({kLandmarks[k], geometry.to_frame_x(ax + r[4 + 2 * k]),
                                  geometry.to_frame_y(ay + r[5 + 2 * k]), score});
      }
      found.push_back(std::move(face));
    }
  }

  SizedNetwork network_;
  double min_score_;
  std::optional<ExpressionClassifier> expressions_;
};

}  // namespace

std::unique_ptr<Detector> make_blazeface(const DetectorOptions& options) {
  return std::make_unique<BlazeFace>(options);
}

}  // namespace playsight::vision::detectors
