// The registry of detectors: adding one is a file in detectors/ and a line here.
#include "core/error.h"
#include "vision/detector.h"
#include "vision/detectors/factories.h"

namespace playsight::vision {

const std::vector<DetectorInfo>& detector_catalog() {
  static const std::vector<DetectorInfo> catalog = {
      {"nanodet", "people", "NanoDet (COCO), 416x416 letterboxed", detectors::make_nanodet},
      {"centernet", "people",
       "MobileNetV3 CenterNet (COCO), input 512 on the long side, aspect kept",
       detectors::make_centernet},
      {"movenet", "people",
       "MoveNet MultiPose Lightning: up to 6 people with 17 keypoints, 256 on the long side",
       detectors::make_movenet},
      {"hog", "people", "OpenCV HOG + linear SVM people detector (no model files)",
       detectors::make_hog},
      {"blazeface", "faces",
       "BlazeFace (256x256): faces with 6 landmarks, frontal flag and expressions",
       detectors::make_blazeface},
      {"haar-face", "faces",
       "OpenCV Haar cascades, frontal + profile (Debian opencv-data), with expressions",
       detectors::make_haar_face},
      {"lbp-face", "faces",
       "OpenCV LBP cascades, frontal + profile (Debian opencv-data), with expressions",
       detectors::make_lbp_face},
  };
  return catalog;
}

std::unique_ptr<Detector> make_detector(const std::string& name, const DetectorOptions& options) {
  std::string known;
  for (const auto& info : detector_catalog()) {
    if (info.name == name) return info.make(options);
    known += (known.empty() ? "" : ", ") + info.name;
  }
  throw InputError("unknown detector '" + name + "' (known: " + known + ")");
}

// nanodet: on vtest.avi it finds 29 of 31 hand-counted people (as many as centernet) at over 20
// frames per second on 2 cores, where centernet needs about twice the time
// (bench/vision_count_people.py, scripts/bench-vision).
std::string default_person_detector() {
  return "nanodet";
}

}  // namespace playsight::vision
