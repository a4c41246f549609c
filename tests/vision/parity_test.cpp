// Parity: every imported model, run by OpenCV DNN, against the pure-JavaScript TensorFlow.js CPU
// backend on the same real input. Tolerance, per output tensor: max |ours - tfjs| <=
// 1e-3 * max(1, max |tfjs|), i.e. 1e-3 absolute for outputs in [-1, 1] (scores, probabilities)
// and 1e-3 relative to the largest value for outputs in pixels (box sizes).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "../support/temp_dir.h"
#include "vision/model_catalog.h"
#include "vision/network.h"
#include "vision/preprocess.h"
#include "vision_test_support.h"

namespace playsight::vision {
namespace {

struct Difference {
  double max_abs = 0;
  double max_reference = 0;
};

Difference compare(const Tensor& ours, const Tensor& reference) {
  Difference d;
  for (std::size_t i = 0; i < reference.values.size(); ++i) {
    d.max_abs = std::max(d.max_abs, std::fabs(double{ours.values[i]} - reference.values[i]));
    d.max_reference = std::max(d.max_reference, std::fabs(double{reference.values[i]}));
  }
  return d;
}

// A real frame (people on a walkway), cropped and resized to the model's input.
cv::Mat model_sized_frame(const ModelSpec& spec) {
  const bool nchw = spec.input_shape[1] <= 3 && spec.input_shape[3] > 3;
  const int height = static_cast<int>(nchw ? spec.input_shape[2] : spec.input_shape[1]);
  const int width = static_cast<int>(nchw ? spec.input_shape[3] : spec.input_shape[2]);
  cv::Mat frame = testing::vtest_frame(100);
  EXPECT_FALSE(frame.empty()) << "vtest.avi missing: run scripts/setup (Debian opencv-doc)";
  cv::Mat resized;
  cv::resize(frame, resized, cv::Size(width, height), 0, 0, cv::INTER_AREA);
  return resized;
}

class Parity : public ::testing::TestWithParam<std::string> {};

TEST_P(Parity, EveryOutputMatchesTensorFlowJs) {
  const ModelSpec& spec = model_spec(GetParam());
  const std::string model_json = testing::models_folder() + "/" + spec.file;
  Network network = load_model(spec, testing::models_folder());
  const Tensor input = image_tensor(model_sized_frame(spec), spec);
  const std::vector<Tensor> ours = network.run(input);
  ::playsight::testing::TempDir work;
  const std::vector<Tensor> reference =
      testing::tfjs_reference(model_json, input, spec.outputs, work.path());
  ASSERT_EQ(ours.size(), reference.size());
  for (std::size_t k = 0; k < ours.size(); ++k) {
    SCOPED_TRACE(spec.outputs[k]);
    ASSERT_EQ(ours[k].shape, reference[k].shape)
        << shape_text(ours[k].shape) << " vs " << shape_text(reference[k].shape);
    const Difference d = compare(ours[k], reference[k]);
    const double tolerance = 1e-3 * std::max(1.0, d.max_reference);
    std::printf("parity %-18s %-55s %-16s max|diff| %.2e (max|ref| %.3g)\n", spec.name.c_str(),
                spec.outputs[k].c_str(), shape_text(ours[k].shape).c_str(), d.max_abs,
                d.max_reference);
    EXPECT_LE(d.max_abs, tolerance);
    EXPECT_GT(d.max_reference, 0.0) << "an all-zero output proves nothing";
  }
}

INSTANTIATE_TEST_SUITE_P(Models, Parity,
                         ::testing::Values("emotion", "blazeface", "faceres", "centernet",
                                           "nanodet", "movenet-multipose"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace playsight::vision
