#include "vision/media.h"

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace playsight::vision {
namespace {

void require_file(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) throw InputError(path + ": no such file");
}

cv::Mat try_image(const std::string& path) {
  try {
    return cv::imread(path, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    return {};
  }
}

// A video file is opened by FFmpeg only: with OpenCV's default (every backend in turn) an
// undecodable file is also offered to the camera backends, which enumerate USB and FireWire
// devices (leaking in libusb) and print their own complaints before ours.
cv::VideoCapture open_file(const std::string& path) {
  cv::VideoCapture video;
  video.open(path, cv::CAP_FFMPEG);
  return video;
}

}  // namespace

MediaKind media_kind(const std::string& path) {
  require_file(path);
  if (cv::haveImageReader(path)) {
    if (!try_image(path).empty()) return MediaKind::kImage;
    throw InputError(path + ": cannot decode the image (corrupt or truncated)");
  }
  cv::VideoCapture video = open_file(path);
  cv::Mat frame;
  if (video.isOpened() && video.read(frame) && !frame.empty()) return MediaKind::kVideo;
  throw InputError(path + ": neither an image nor a video that can be decoded");
}

cv::Mat read_image(const std::string& path) {
  require_file(path);
  cv::Mat image = try_image(path);
  if (image.empty()) throw InputError(path + ": cannot decode the image (corrupt or truncated)");
  return image;
}

cv::VideoCapture open_video(const std::string& path) {
  require_file(path);
  cv::VideoCapture video = open_file(path);
  if (!video.isOpened()) throw InputError(path + ": cannot open the video");
  return video;
}

VideoInfo video_info(cv::VideoCapture& video) {
  VideoInfo info;
  info.frames = static_cast<int>(video.get(cv::CAP_PROP_FRAME_COUNT));
  info.fps = video.get(cv::CAP_PROP_FPS);
  info.size = cv::Size(static_cast<int>(video.get(cv::CAP_PROP_FRAME_WIDTH)),
                       static_cast<int>(video.get(cv::CAP_PROP_FRAME_HEIGHT)));
  return info;
}

void draw_detections(cv::Mat& frame, const std::vector<Detection>& detections) {
  for (const auto& d : detections) {
    const cv::Scalar colour = d.label == "person" ? cv::Scalar(60, 200, 60)
                              : d.label == "face" ? cv::Scalar(0, 140, 255)
                                                  : cv::Scalar(230, 120, 40);
    const cv::Point top_left(static_cast<int>(d.box.x1), static_cast<int>(d.box.y1));
    const cv::Point bottom_right(static_cast<int>(d.box.x2), static_cast<int>(d.box.y2));
    cv::rectangle(frame, top_left, bottom_right, colour, 2);
    std::string text = d.label + " " + std::to_string(static_cast<int>(d.score * 100)) + "%";
    if (d.frontal) text += *d.frontal ? " frontal" : " turned";
    cv::putText(frame, text, top_left + cv::Point(0, -4), cv::FONT_HERSHEY_SIMPLEX, 0.45, colour, 1,
                cv::LINE_AA);
    for (const auto& point : d.keypoints) {
      if (point.score < 0.2) continue;
      cv::circle(frame, cv::Point(static_cast<int>(point.x), static_cast<int>(point.y)), 2, colour,
                 cv::FILLED);
    }
  }
}

cv::VideoWriter open_video_writer(const std::string& path, double fps, cv::Size size,
                                  const std::string& option) {
  const bool mp4 = path.size() > 4 && path.substr(path.size() - 4) == ".mp4";
  const int fourcc = mp4 ? cv::VideoWriter::fourcc('m', 'p', '4', 'v')
                         : cv::VideoWriter::fourcc('M', 'J', 'P', 'G');
  cv::VideoWriter writer(path, fourcc, fps > 0 ? fps : 10.0, size);
  if (!writer.isOpened()) throw InputError(path + ": cannot write a video here (" + option + ")");
  return writer;
}

}  // namespace playsight::vision
