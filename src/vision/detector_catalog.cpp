// The registry of detectors: adding one is a file in detectors/ and a line here.
#include "core/error.h"
#include "vision/detector.h"
#include "vision/detectors/factories.h"

namespace playsight::vision {

const std::vector<DetectorInfo>& detector_catalog() {
  static const std::vector<DetectorInfo> catalog = {
      {"centernet", "people",
       "MobileNetV3 CenterNet (COCO), input 512 on the long side, aspect kept",
       detectors::make_centernet},
      {"nanodet", "people", "NanoDet (COCO), 416x416 letterboxed", detectors::make_nanodet},
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

std::string default_person_detector() {
  return "centernet";
}

}  // namespace playsight::vision
