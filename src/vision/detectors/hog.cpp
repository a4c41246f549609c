// hog: OpenCV's classic HOG + linear SVM people detector (Dalal & Triggs), the fallback that needs
// no model files. Its SVM margin becomes a 0..1 score through a logistic curve.
#include <cmath>
#include <opencv2/objdetect.hpp>

#include "vision/detectors/factories.h"

namespace playsight::vision::detectors {
namespace {

class Hog : public Detector {
 public:
  explicit Hog(const DetectorOptions& options)
      : min_score_(options.min_score >= 0 ? options.min_score : 0.5) {
    hog_.setSVMDetector(cv::HOGDescriptor::getDefaultPeopleDetector());
  }

  std::vector<Detection> detect(const cv::Mat& bgr) override {
    std::vector<cv::Rect> boxes;
    std::vector<double> weights;
    hog_.detectMultiScale(bgr, boxes, weights, 0.0, cv::Size(8, 8), cv::Size(), 1.05, 2.0);
    std::vector<Detection> found;
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      Detection d;
      d.label = "person";
      d.score = 1.0 / (1.0 + std::exp(-weights[i]));
      if (d.score < min_score_) continue;
      const cv::Rect box = boxes[i] & cv::Rect(0, 0, bgr.cols, bgr.rows);
      d.box = {static_cast<double>(box.x), static_cast<double>(box.y),
               static_cast<double>(box.x + box.width), static_cast<double>(box.y + box.height)};
      found.push_back(std::move(d));
    }
    return suppress_overlaps(std::move(found), 0.5);
  }

 private:
  cv::HOGDescriptor hog_;
  double min_score_;
};

}  // namespace

std::unique_ptr<Detector> make_hog(const DetectorOptions& options) {
  return std::make_unique<Hog>(options);
}

}  // namespace playsight::vision::detectors
