#pragma once
// How well the expression classifier reads a labelled set of images: `playsight playtest eval
// LABELS.csv`, with LABELS.csv holding path,label (paths relative to the CSV's folder; labels the
// seven expressions, or the usual variants: anger, disgusted, fearful, happiness, sadness,
// surprised). An image no larger than `crop_max_side` on its longer side (a FER-style 48x48
// grey crop, say), or every image with `crops`, is taken as the face itself; a larger one is a
// frame in which the largest face is found first (looking again on a padded copy when the face
// fills the image; an image without a face is counted apart, not guessed). The result: accuracy,
// recall and precision per class, the confusion matrix (rows: the label, columns: the classifier's
// answer).
//
// Errors: InputError "FILE:LINE: column 'label': ..." for an unknown label or an empty path; an
// image that cannot be read is counted and named (the first few), not an error.
// Not thread-safe (it owns networks).
#include <array>
#include <string>
#include <vector>

#include "playtest/expression_timeline.h"

namespace playsight::playtest {

struct EvalOptions {
  std::string labels_path;
  std::string models_folder;
  std::string face_detector = "blazeface";
  bool crops = false;
  int crop_max_side = 96;
};

struct ExpressionEval {
  int images = 0;
  int evaluated = 0;
  int without_face = 0;
  int unreadable = 0;
  std::vector<std::string> problems;  // the first few unreadable or faceless images
  std::array<std::array<int, kExpressionCount>, kExpressionCount> confusion{};
  double accuracy = 0;
  Expressions recall{};     // per label
  Expressions precision{};  // per answer
  std::array<int, kExpressionCount> support{};
};

// The canonical name of a label ("surprised" -> "surprise"), or "" when it is not one.
std::string canonical_expression(std::string label);

ExpressionEval evaluate_expressions(const EvalOptions& options);

}  // namespace playsight::playtest
