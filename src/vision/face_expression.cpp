#include "vision/face_expression.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "vision/model_catalog.h"
#include "vision/preprocess.h"

namespace playsight::vision {
namespace {

const Keypoint* find(const std::vector<Keypoint>& points, const std::string& name) {
  for (const auto& point : points)
    if (point.name == name) return &point;
  return nullptr;
}

}  // namespace

ExpressionClassifier::ExpressionClassifier(const std::string& models_folder)
    : network_(load_model(model_spec("emotion"), models_folder)) {}

const std::vector<std::string>& ExpressionClassifier::expression_names() {
  static const std::vector<std::string> names = {"angry", "disgust",  "fear",   "happy",
                                                 "sad",   "surprise", "neutral"};
  return names;
}

std::vector<Expression> ExpressionClassifier::classify(const cv::Mat& bgr, const Box& face) {
  // A square crop around the face, a little larger than the box (the model saw whole heads).
  const double side = std::max(face.width(), face.height()) * 1.1;
  const double cx = (face.x1 + face.x2) / 2, cy = (face.y1 + face.y2) / 2;
  cv::Rect crop(static_cast<int>(cx - side / 2), static_cast<int>(cy - side / 2),
                static_cast<int>(side), static_cast<int>(side));
  crop &= cv::Rect(0, 0, bgr.cols, bgr.rows);
  if (crop.width < 2 || crop.height < 2) return {};
  cv::Mat resized;
  cv::resize(bgr(crop), resized, cv::Size(64, 64), 0, 0, cv::INTER_AREA);
  const auto outputs = network_.run_image_blob(image_blob(resized, model_spec("emotion")));
  std::vector<Expression> expression;
  for (std::size_t i = 0; i < expression_names().size(); ++i)
    expression.push_back({expression_names()[i], outputs.at(0).values.at(i)});
  return expression;
}

bool is_frontal(const std::vector<Keypoint>& landmarks) {
  const Keypoint* right_eye = find(landmarks, "right_eye");
  const Keypoint* left_eye = find(landmarks, "left_eye");
  const Keypoint* nose = find(landmarks, "nose");
  if (!right_eye || !left_eye || !nose) return false;
  const double eye_distance = std::hypot(left_eye->x - right_eye->x, left_eye->y - right_eye->y);
  if (eye_distance <= 0) return false;
  const double yaw = std::fabs(nose->x - (left_eye->x + right_eye->x) / 2) / eye_distance;
  const Keypoint* right_ear = find(landmarks, "right_ear");
  const Keypoint* left_ear = find(landmarks, "left_ear");
  double symmetry = 1.0;
  if (right_ear && left_ear) {
    const double to_right = std::fabs(nose->x - right_ear->x);
    const double to_left = std::fabs(nose->x - left_ear->x);
    symmetry = std::max(to_right, to_left) > 0
                   ? std::min(to_right, to_left) / std::max(to_right, to_left)
                   : 0.0;
  }
  return yaw < 0.3 && symmetry > 0.45;
}

}  // namespace playsight::vision
