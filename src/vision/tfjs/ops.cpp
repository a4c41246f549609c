// The table of supported runtime ops, and helpers shared by the translators.
#include "vision/tfjs/ops.h"

#include <unordered_map>

namespace playsight::vision::tfjs {

OpTranslator find_op_translator(const std::string& op) {
  static const std::unordered_map<std::string, OpTranslator> table = {
      {"Conv2D", translate_convolution},
      {"_FusedConv2D", translate_convolution},
      {"DepthwiseConv2dNative", translate_convolution},
      {"FusedDepthwiseConv2dNative", translate_convolution},
      {"MaxPool", translate_pooling},
      {"AvgPool", translate_pooling},
      {"Mean", translate_reduction},
      {"Max", translate_reduction},
      {"MatMul", translate_matmul},
      {"_FusedMatMul", translate_matmul},
      {"Add", translate_binary},
      {"AddV2", translate_binary},
      {"BiasAdd", translate_binary},
      {"Sub", translate_binary},
      {"Mul", translate_binary},
      {"RealDiv", translate_binary},
      {"Maximum", translate_binary},
      {"Minimum", translate_binary},
      {"SquaredDifference", translate_binary},
      {"Relu", translate_unary},
      {"Relu6", translate_unary},
      {"LeakyRelu", translate_unary},
      {"Prelu", translate_unary},
      {"Sigmoid", translate_unary},
      {"Tanh", translate_unary},
      {"Elu", translate_unary},
      {"Abs", translate_unary},
      {"Exp", translate_unary},
      {"Neg", translate_unary},
      {"Square", translate_unary},
      {"Sqrt", translate_unary},
      {"Rsqrt", translate_unary},
      {"Reciprocal", translate_unary},
      {"Softmax", translate_softmax},
      {"Identity", translate_identity},
      {"StopGradient", translate_identity},
      {"Cast", translate_identity},  // runtime tensors are float32 throughout
      {"Shape", translate_shape_of},
      {"Size", translate_shape_of},
      {"Reshape", translate_reshape},
      {"Squeeze", translate_reshape},
      {"ExpandDims", translate_reshape},
      {"Transpose", translate_transpose},
      {"ConcatV2", translate_concat},
      {"Pad", translate_pad},
      {"PadV2", translate_pad},
      {"MirrorPad", translate_pad},
      {"ResizeBilinear", translate_resize},
      {"ResizeNearestNeighbor", translate_resize},
      {"Split", translate_split},
      {"SplitV", translate_split},
  };
  const auto found = table.find(op);
  return found == table.end() ? nullptr : found->second;
}

const RuntimeTensor& runtime_input(GraphBuilder& builder, const GraphNode& node,
                                   const Inputs& inputs, std::size_t index) {
  if (index >= inputs.size()) builder.unsupported(node, "missing input " + std::to_string(index));
  if (inputs[index]->is_constant())
    builder.unsupported(node, "input " + std::to_string(index) +
                                  " is a constant where a tensor "
                                  "computed from the image was expected");
  return inputs[index]->runtime;
}

const HostTensor& constant_input(GraphBuilder& builder, const GraphNode& node, const Inputs& inputs,
                                 std::size_t index) {
  if (index >= inputs.size()) builder.unsupported(node, "missing input " + std::to_string(index));
  if (!inputs[index]->is_constant())
    builder.unsupported(node, "input " + std::to_string(index) +
                                  " must be a constant (a weight or a fixed shape) but depends "
                                  "on the image");
  return *inputs[index]->constant;
}

cv::Mat to_mat(const std::vector<float>& values, const std::vector<int>& dims) {
  cv::Mat mat(static_cast<int>(dims.size()), dims.data(), CV_32F);
  std::copy(values.begin(), values.end(), mat.ptr<float>());
  return mat;
}

}  // namespace playsight::vision::tfjs
