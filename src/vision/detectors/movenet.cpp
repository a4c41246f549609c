// movenet: MoveNet MultiPose Lightning, up to six people with 17 keypoints each. Heads at stride
// 4: person centres (heatmap), per-centre regression to each keypoint, keypoint heatmaps with
// sub-cell offsets, and box size/offset. Each person's keypoint is the keypoint-heatmap cell that
// is both hot and close to the regressed position (heat / (distance + 1)), refined by its offset.
#include <cmath>

#include "vision/detectors/factories.h"
#include "vision/detectors/sized_network.h"

namespace playsight::vision::detectors {
namespace {

constexpr int kStride = 4;
constexpr int kKeypoints = 17;
constexpr std::size_t kMaxPeople = 6;

const char* const kNames[kKeypoints] = {
    "nose",           "left_eye",   "right_eye",   "left_ear",   "right_ear",   "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
    "right_hip",      "left_knee",  "right_knee",  "left_ankle", "right_ankle"};

struct Grid {
  const Tensor& tensor;
  int width;
  int channels;
  float at(int y, int x, int c) const {
    return tensor.values[(static_cast<std::size_t>(y) * width + x) * channels + c];
  }
};

class MoveNet : public Detector {
 public:
  explicit MoveNet(const DetectorOptions& options)
      : network_(model_spec("movenet-multipose"), find_models_folder(options.models_folder),
                 options.input_size > 0 ? options.input_size : 256, true),
        min_score_(options.min_score >= 0 ? options.min_score : 0.25) {}

  std::vector<Detection> detect(const cv::Mat& bgr) override {
    Letterbox geometry;
    const auto outputs = network_.run(bgr, geometry);
    const int h = static_cast<int>(outputs[0].shape[1]), w = static_cast<int>(outputs[0].shape[2]);
    const Grid centres{outputs[0], w, 1}, heat{outputs[1], w, kKeypoints};
    const Grid regress{outputs[2], w, 2 * kKeypoints}, offsets{outputs[3], w, 2 * kKeypoints};
    const Grid scale{outputs[4], w, 2}, shift{outputs[5], w, 2};
    std::vector<Detection> people;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const float score = centres.at(y, x, 0);
        if (score < min_score_ || !is_peak(centres, y, x, h, w)) continue;
        Detection person;
        person.label = "person";
        person.score = score;
        const double cy = y + shift.at(y, x, 0), cx = x + shift.at(y, x, 1);
        const double half_h = scale.at(y, x, 0) / 2, half_w = scale.at(y, x, 1) / 2;
        person.box = {clamp_x(geometry.to_frame_x((cx - half_w) * kStride), bgr),
                      clamp_y(geometry.to_frame_y((cy - half_h) * kStride), bgr),
                      clamp_x(geometry.to_frame_x((cx + half_w) * kStride), bgr),
                      clamp_y(geometry.to_frame_y((cy + half_h) * kStride), bgr)};
        for (int k = 0; k < kKeypoints; ++k) {
          const double ry = y + regress.at(y, x, 2 * k), rx = x + regress.at(y, x, 2 * k + 1);
          int best_y = 0, best_x = 0;
          double best = -1;
          for (int ky = 0; ky < h; ++ky)
            for (int kx = 0; kx < w; ++kx) {
              const double weighted = heat.at(ky, kx, k) / (std::hypot(ky - ry, kx - rx) + 1.0);
              if (weighted > best) best = weighted, best_y = ky, best_x = kx;
            }
          const double py = best_y + offsets.at(best_y, best_x, 2 * k);
          const double px = best_x + offsets.at(best_y, best_x, 2 * k + 1);
          person.keypoints.push_back({kNames[k], geometry.to_frame_x(px * kStride),
                                      geometry.to_frame_y(py * kStride),
                                      heat.at(best_y, best_x, k)});
        }
        people.push_back(std::move(person));
      }
    people = suppress_overlaps(std::move(people), 0.5);
    if (people.size() > kMaxPeople) people.resize(kMaxPeople);
    return people;
  }

 private:
  static bool is_peak(const Grid& grid, int y, int x, int h, int w) {
    const float value = grid.at(y, x, 0);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int ny = y + dy, nx = x + dx;
        if ((dy || dx) && ny >= 0 && ny < h && nx >= 0 && nx < w && grid.at(ny, nx, 0) > value)
          return false;
      }
    return true;
  }
  static double clamp_x(double x, const cv::Mat& frame) {
    return std::clamp(x, 0.0, static_cast<double>(frame.cols));
  }
  static double clamp_y(double y, const cv::Mat& frame) {
    return std::clamp(y, 0.0, static_cast<double>(frame.rows));
  }

  SizedNetwork network_;
  double min_score_;
};

}  // namespace

std::unique_ptr<Detector> make_movenet(const DetectorOptions& options) {
  return std::make_unique<MoveNet>(options);
}

}  // namespace playsight::vision::detectors
