#pragma once
// Detection: what a detector found in one frame, in the frame's pixel coordinates. The plain data
// contract that the audience and playtest parts consume, and what `playsight detect` prints.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace playsight::vision {

struct Box {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;  // top left and bottom right, pixels
  double width() const { return x2 - x1; }
  double height() const { return y2 - y1; }
  double area() const { return width() > 0 && height() > 0 ? width() * height() : 0.0; }
};

// Intersection over union of two boxes (0 when either is empty).
double intersection_over_union(const Box& a, const Box& b);

struct Keypoint {
  std::string name;  // "left_eye", "nose", ...
  double x = 0, y = 0;
  double score = 1.0;
};

struct Expression {
  std::string name;  // "happy", ...
  double probability = 0;
};

struct Detection {
  std::string label;  // "person", "face", or a COCO class name
  double score = 0;   // 0..1
  Box box;
  std::vector<Keypoint> keypoints;     // face landmarks or body keypoints, when the model has them
  std::optional<bool> frontal;         // faces: turned toward the camera
  std::vector<Expression> expression;  // faces, when an expression model ran
};

// Keeps the highest-scoring of any boxes of the same label overlapping by more than
// `max_overlap` IoU (greedy non-maximum suppression). Result sorted by score, highest first.
std::vector<Detection> suppress_overlaps(std::vector<Detection> detections, double max_overlap);

// {"label", "score", "box": {"x1", ...}, "keypoints": [...], "frontal", "expression": {...}}
nlohmann::ordered_json to_json(const Detection& detection);
nlohmann::ordered_json to_json(const std::vector<Detection>& detections);  // {"detections": [...]}

}  // namespace playsight::vision
