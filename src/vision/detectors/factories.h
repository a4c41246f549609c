#pragma once
// Factories of the detectors in this folder, listed by name in vision/detector_catalog.cpp.
#include <memory>

#include "vision/detector.h"

namespace playsight::vision::detectors {

std::unique_ptr<Detector> make_centernet(const DetectorOptions& options);
std::unique_ptr<Detector> make_nanodet(const DetectorOptions& options);
std::unique_ptr<Detector> make_movenet(const DetectorOptions& options);
std::unique_ptr<Detector> make_blazeface(const DetectorOptions& options);
std::unique_ptr<Detector> make_hog(const DetectorOptions& options);
std::unique_ptr<Detector> make_haar_face(const DetectorOptions& options);
std::unique_ptr<Detector> make_lbp_face(const DetectorOptions& options);

}  // namespace playsight::vision::detectors
