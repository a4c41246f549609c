// The TF.js importer on small graphs written by the test: ops and attributes the six shipped
// models do not all exercise (dilations, uint8 weights, asymmetric SAME pooling), checked against
// TensorFlow.js; and bad model files, which must fail with messages naming the file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "../support/temp_dir.h"
#include "core/error.h"
#include "vision/network.h"
#include "vision/tfjs/model_file.h"
#include "vision/tfjs/weights.h"
#include "vision_test_support.h"

namespace playsight::vision {
namespace {

using nlohmann::json;

json attr_ints(std::vector<int> values) {
  json list = json::array();
  for (const int v : values) list.push_back(std::to_string(v));
  return {{"list", {{"i", list}}}};
}

json attr_text(const std::string& text) {
  // base64 of the few strings used here
  static const std::map<std::string, std::string> encoded = {{"SAME", "U0FNRQ=="},
                                                             {"VALID", "VkFMSUQ="},
                                                             {"NHWC", "TkhXQw=="},
                                                             {"BiasAdd", "Qmlhc0FkZA=="},
                                                             {"Relu6", "UmVsdTY="}};
  return {{"s", encoded.at(text)}};
}

json node(const std::string& name, const std::string& op, std::vector<std::string> inputs,
          json attr = json::object()) {
  json n = {{"name", name}, {"op", op}, {"attr", attr}};
  if (!inputs.empty()) n["input"] = inputs;
  return n;
}

json constant(const std::string& name, const std::string& dtype) {
  return node(name, "Const", {}, {{"dtype", {{"type", dtype}}}});
}

std::uint16_t to_half(float value) {  // exact for the values used (k/8, |k| < 64)
  if (value == 0) return 0;
  const std::uint16_t sign = value < 0 ? 0x8000 : 0;
  int exponent = 0;
  const float mantissa = std::frexp(std::fabs(value), &exponent);  // [0.5, 1)
  const auto fraction = static_cast<std::uint16_t>(std::lround((mantissa * 2 - 1) * 1024));
  return static_cast<std::uint16_t>(sign | ((exponent - 1 + 15) << 10) | fraction);
}

// A small graph: depthwise (dilation 2, float16 weights) -> fused conv (stride 2, uint8 weights,
// bias, Relu6) -> max pool (SAME, odd size: TF pads only the end) -> global mean.
struct SmallModel {
  std::string json_path;
  std::string bin_path;
};

SmallModel write_small_model(const ::playsight::testing::TempDir& dir) {
  json nodes = json::array();
  nodes.push_back(node(
      "input", "Placeholder", {},
      {{"dtype", {{"type", "DT_FLOAT"}}},
       {"shape",
        {{"shape",
          {{"dim", {{{"size", "1"}}, {{"size", "9"}}, {{"size", "9"}}, {{"size", "2"}}}}}}}}}));
  nodes.push_back(constant("dw_filter", "DT_FLOAT"));
  nodes.push_back(node("dw", "DepthwiseConv2dNative", {"input", "dw_filter"},
                       {{"strides", attr_ints({1, 1, 1, 1})},
                        {"dilations", attr_ints({1, 2, 2, 1})},
                        {"padding", attr_text("SAME")},
                        {"data_format", attr_text("NHWC")}}));
  nodes.push_back(constant("conv_filter", "DT_FLOAT"));
  nodes.push_back(constant("conv_bias", "DT_FLOAT"));
  nodes.push_back(node(
      "conv", "_FusedConv2D", {"dw", "conv_filter", "conv_bias"},
      {{"strides", attr_ints({1, 2, 2, 1})},
       {"dilations", attr_ints({1, 1, 1, 1})},
       {"padding", attr_text("SAME")},
       {"data_format", attr_text("NHWC")},
       {"num_args", {{"i", "1"}}},
       {"fused_ops", {{"list", {{"s", {attr_text("BiasAdd")["s"], attr_text("Relu6")["s"]}}}}}}}));
  nodes.push_back(node("pool", "MaxPool", {"conv"},
                       {{"ksize", attr_ints({1, 2, 2, 1})},
                        {"strides", attr_ints({1, 2, 2, 1})},
                        {"padding", attr_text("SAME")},
                        {"data_format", attr_text("NHWC")}}));
  nodes.push_back(constant("axes", "DT_INT32"));
  nodes.push_back(node("mean", "Mean", {"pool", "axes"}, {{"keep_dims", {{"b", false}}}}));

  std::string bytes;
  const auto append = [&bytes](const void* data, std::size_t size) {
    bytes.append(static_cast<const char*>(data), size);
  };
  for (int i = 0; i < 3 * 3 * 2 * 2; ++i) {  // float16, values k/8
    const std::uint16_t half = to_half(static_cast<float>((i * 7) % 17 - 8) / 8.0f);
    append(&half, 2);
  }
  for (int i = 0; i < 3 * 3 * 4 * 3; ++i) {  // uint8: value = q * 0.02 - 1
    const auto q = static_cast<unsigned char>((i * 37) % 101);
    append(&q, 1);
  }
  for (const float bias : {0.5f, -0.25f, 1.0f}) append(&bias, 4);
  for (const std::int32_t axis : {1, 2}) append(&axis, 4);

  json weights = json::array();
  weights.push_back({{"name", "dw_filter"},
                     {"shape", {3, 3, 2, 2}},
                     {"dtype", "float32"},
                     {"quantization", {{"dtype", "float16"}}}});
  weights.push_back({{"name", "conv_filter"},
                     {"shape", {3, 3, 4, 3}},
                     {"dtype", "float32"},
                     {"quantization", {{"dtype", "uint8"}, {"scale", 0.02}, {"min", -1.0}}}});
  weights.push_back({{"name", "conv_bias"}, {"shape", {3}}, {"dtype", "float32"}});
  weights.push_back({{"name", "axes"}, {"shape", {2}}, {"dtype", "int32"}});
  const json model = {
      {"format", "graph-model"},
      {"generatedBy", "playsight test"},
      {"convertedBy", "playsight test"},
      {"modelTopology",
       {{"node", nodes}, {"library", json::object()}, {"versions", json::object()}}},
      {"weightsManifest", {{{"paths", {"small.bin"}}, {"weights", weights}}}}};
  return {dir.write("small.json", model.dump()), dir.write("small.bin", bytes)};
}

Tensor small_input() {
  Tensor input;
  input.shape = {1, 9, 9, 2};
  for (int i = 0; i < 9 * 9 * 2; ++i) input.values.push_back(std::sin(i * 0.37f) * 2);
  return input;
}

TEST(TfjsImporter, SmallGraphMatchesTensorFlowJs) {
  ::playsight::testing::TempDir dir;
  const SmallModel model = write_small_model(dir);
  ImportOptions options;
  options.outputs = {"pool", "mean", "dw"};
  Network network = Network::import_tfjs(model.json_path, options);
  const Tensor input = small_input();
  const auto ours = network.run(input);
  const auto reference =
      testing::tfjs_reference(model.json_path, input, options.outputs, dir.path());
  ASSERT_EQ(ours.size(), 3u);
  ASSERT_EQ(reference.size(), 3u);
  EXPECT_EQ(ours[0].shape, (std::vector<std::int64_t>{1, 3, 3, 3}));  // 9 -> 5 (stride 2) -> 3
  EXPECT_EQ(ours[1].shape, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(ours[2].shape, (std::vector<std::int64_t>{1, 9, 9, 4}));  // depth multiplier 2
  for (std::size_t k = 0; k < 3; ++k) {
    ASSERT_EQ(ours[k].shape, reference[k].shape);
    double worst = 0;
    for (std::size_t i = 0; i < ours[k].values.size(); ++i)
      worst = std::max(worst, std::fabs(double{ours[k].values[i]} - reference[k].values[i]));
    EXPECT_LE(worst, 1e-5) << options.outputs[k];
  }
}

TEST(TfjsImporter, HalfPrecisionDecoding) {
  EXPECT_EQ(tfjs::half_to_float(0x3C00), 1.0f);
  EXPECT_EQ(tfjs::half_to_float(0xC000), -2.0f);
  EXPECT_EQ(tfjs::half_to_float(0x3555), 0.333251953125f);
  EXPECT_EQ(tfjs::half_to_float(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_TRUE(std::isinf(tfjs::half_to_float(0x7C00)));
}

TEST(TfjsImporter, Base64Attributes) {
  EXPECT_EQ(tfjs::decode_base64("U0FNRQ=="), "SAME");
  EXPECT_EQ(tfjs::decode_base64("TkhXQw=="), "NHWC");
  EXPECT_EQ(tfjs::split_tensor_name("a/b:1"), (std::pair<std::string, int>{"a/b", 1}));
  EXPECT_EQ(tfjs::split_tensor_name("a/b"), (std::pair<std::string, int>{"a/b", 0}));
}

std::string import_error(const std::string& path, const ImportOptions& options = {}) {
  try {
    Network::import_tfjs(path, options);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(TfjsImporter, UnsupportedOpNamesTheOpAndTheNode) {
  ::playsight::testing::TempDir dir;
  const SmallModel model = write_small_model(dir);
  std::ifstream in(model.json_path);
  json doc = json::parse(in);
  doc["modelTopology"]["node"].push_back(node("odd/activation", "Erf", {"mean"}));
  dir.write("small.json", doc.dump());
  ImportOptions options;
  options.outputs = {"odd/activation"};
  const std::string message = import_error(model.json_path, options);
  EXPECT_NE(message.find("Erf"), std::string::npos) << message;
  EXPECT_NE(message.find("odd/activation"), std::string::npos) << message;
  EXPECT_NE(message.find("small.json"), std::string::npos) << message;
}

TEST(TfjsImporter, CorruptModelJsonNamesTheFile) {
  ::playsight::testing::TempDir dir;
  const SmallModel model = write_small_model(dir);
  std::ifstream in(model.json_path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  dir.write("small.json", text.substr(0, text.size() / 2));  // truncated
  const std::string message = import_error(model.json_path);
  EXPECT_NE(message.find(model.json_path), std::string::npos) << message;
  EXPECT_NE(message.find("not a TensorFlow.js model.json"), std::string::npos) << message;
  EXPECT_NE(import_error(dir.file("absent.json")).find("absent.json"), std::string::npos);
}

TEST(TfjsImporter, TruncatedWeightsNameTheModel) {
  ::playsight::testing::TempDir dir;
  const SmallModel model = write_small_model(dir);
  std::filesystem::resize_file(model.bin_path, 40);
  const std::string message = import_error(model.json_path);
  EXPECT_NE(message.find(model.json_path), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
}

TEST(TfjsImporter, MissingShardNamesTheShard) {
  ::playsight::testing::TempDir dir;
  const SmallModel model = write_small_model(dir);
  std::filesystem::remove(model.bin_path);
  const std::string message = import_error(model.json_path);
  EXPECT_NE(message.find("small.bin"), std::string::npos) << message;
  EXPECT_NE(message.find("missing"), std::string::npos) << message;
}

}  // namespace
}  // namespace playsight::vision
