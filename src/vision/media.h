#pragma once
// Reading frames: an image file or a video file, with errors that name the file. Also drawing
// detections on a frame (for --draw).
#include <functional>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#include <string>

#include "vision/detection.h"

namespace playsight::vision {

enum class MediaKind { kImage, kVideo };

// Image or video, by what the file decodes as. Throws InputError naming the file when it does not
// exist or is neither (a corrupt image, a truncated or unknown video).
MediaKind media_kind(const std::string& path);

// Throws InputError naming the file when it cannot be read or decoded as an image.
cv::Mat read_image(const std::string& path);

// Throws InputError naming the file when it cannot be opened as a video or has no frame.
cv::VideoCapture open_video(const std::string& path);

struct VideoInfo {
  int frames = 0;  // as the container says (0 if unknown)
  double fps = 0;  // 0 if unknown
  cv::Size size;
};
VideoInfo video_info(cv::VideoCapture& video);

// A video to write frames to: MPEG-4 for a .mp4 path, MJPG otherwise (.avi). Throws InputError
// "PATH: cannot write a video here (OPTION)" when it cannot be opened.
cv::VideoWriter open_video_writer(const std::string& path, double fps, cv::Size size,
                                  const std::string& option);

// Boxes (green people, orange faces, blue other), labels with scores, keypoints.
void draw_detections(cv::Mat& frame, const std::vector<Detection>& detections);

}  // namespace playsight::vision
