#pragma once
// The 80 COCO class names, in the order of the COCO detectors' class outputs.
#include <string>
#include <vector>

namespace playsight::vision::detectors {

const std::vector<std::string>& coco_labels();

}  // namespace playsight::vision::detectors
