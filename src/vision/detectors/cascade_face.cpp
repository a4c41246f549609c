// haar-face and lbp-face: OpenCV's cascade classifiers from Debian's opencv-data, the fallbacks
// that need no network. A frontal cascade and a profile cascade (run on the frame and its mirror
// image, for both profiles) run together; faces found by the frontal one are frontal. Scores come
// from the number of neighbouring hits, n / (n + 5).
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <optional>

#include "core/error.h"
#include "vision/detectors/factories.h"
#include "vision/face_expression.h"
#include "vision/model_catalog.h"

namespace playsight::vision::detectors {
namespace {

const char* kCascadeFolder = "/usr/share/opencv4/";

cv::CascadeClassifier load_cascade(const std::string& file) {
  const std::string path = kCascadeFolder + file;
  cv::CascadeClassifier cascade;
  if (!cascade.load(path)) {
    throw InputError(path +
                     ": cannot load the cascade (install Debian opencv-data; scripts/setup "
                     "does)");
  }
  return cascade;
}

class CascadeFace : public Detector {
 public:
  CascadeFace(const DetectorOptions& options, const std::string& frontal,
              const std::string& profile)
      : frontal_(load_cascade(frontal)),
        profile_(load_cascade(profile)),
        min_score_(options.min_score >= 0 ? options.min_score : 0.4) {
    if (options.expressions) expressions_.emplace(find_models_folder(options.models_folder));
  }

  std::vector<Detection> detect(const cv::Mat& bgr) override {
    if (bgr.empty()) throw InputError("empty frame");
    cv::Mat grey;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    cv::equalizeHist(grey, grey);
    std::vector<Detection> found;
    run(frontal_, grey, false, true, found);
    run(profile_, grey, false, false, found);
    cv::Mat mirrored;
    cv::flip(grey, mirrored, 1);
    run(profile_, mirrored, true, false, found);
    // Frontal and profile hits on the same face: keep the higher score (ties: frontal first).
    for (auto& face : found) face.label = "face";
    found = suppress_overlaps(std::move(found), 0.3);
    if (expressions_)
      for (auto& face : found) face.expression = expressions_->classify(bgr, face.box);
    return found;
  }

 private:
  void run(cv::CascadeClassifier& cascade, const cv::Mat& grey, bool mirrored, bool frontal,
           std::vector<Detection>& found) const {
    std::vector<cv::Rect> boxes;
    std::vector<int> neighbours;
    const int min_side = std::max(20, std::min(grey.cols, grey.rows) / 40);
    cascade.detectMultiScale(grey, boxes, neighbours, 1.1, 3, 0, cv::Size(min_side, min_side));
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      Detection face;
      face.score = neighbours[i] / (neighbours[i] + 5.0);
      if (face.score < min_score_) continue;
      cv::Rect box = boxes[i];
      if (mirrored) box.x = grey.cols - box.x - box.width;
      face.box = {static_cast<double>(box.x), static_cast<double>(box.y),
                  static_cast<double>(box.x + box.width), static_cast<double>(box.y + box.height)};
      face.frontal = frontal;
      found.push_back(std::move(face));
    }
  }

  cv::CascadeClassifier frontal_;
  cv::CascadeClassifier profile_;
  double min_score_;
  std::optional<ExpressionClassifier> expressions_;
};

}  // namespace

std::unique_ptr<Detector> make_haar_face(const DetectorOptions& options) {
  return std::make_unique<CascadeFace>(options, "haarcascades/haarcascade_frontalface_default.xml",
                                       "haarcascades/haarcascade_profileface.xml");
}

std::unique_ptr<Detector> make_lbp_face(const DetectorOptions& options) {
  return std::make_unique<CascadeFace>(options, "lbpcascades/lbpcascade_frontalface_improved.xml",
                                       "lbpcascades/lbpcascade_profileface.xml");
}

}  // namespace playsight::vision::detectors
