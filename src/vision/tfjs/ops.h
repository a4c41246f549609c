#pragma once
// Op translation: one function per TensorFlow op family, each turning a node whose inputs are
// already Values into its output Values (adding cv::dnn layers through the GraphBuilder).
// fold_constant() evaluates ops whose inputs are all constants at import time.
#include <string>
#include <vector>

#include "vision/tfjs/graph_builder.h"

namespace playsight::vision::tfjs {

using Inputs = std::vector<const Value*>;
using OpTranslator = std::vector<Value> (*)(GraphBuilder& builder, const GraphNode& node,
                                            const Inputs& inputs);

// The translator for a runtime op, or nullptr if the op is not supported.
OpTranslator find_op_translator(const std::string& op);

// Evaluates `node` on constant inputs; nullopt if this op cannot be folded.
std::optional<std::vector<HostTensor>> fold_constant(const GraphNode& node,
                                                     const std::vector<const HostTensor*>& inputs);

// Families (ops_convolution.cpp, ops_elementwise.cpp, ops_shape.cpp).
std::vector<Value> translate_convolution(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_pooling(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_reduction(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_matmul(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_binary(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_unary(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_softmax(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_identity(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_shape_of(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_reshape(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_transpose(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_concat(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_pad(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_resize(GraphBuilder&, const GraphNode&, const Inputs&);
std::vector<Value> translate_split(GraphBuilder&, const GraphNode&, const Inputs&);

// Helpers shared by the translators.
const RuntimeTensor& runtime_input(GraphBuilder& builder, const GraphNode& node,
                                   const Inputs& inputs, std::size_t index);
const HostTensor& constant_input(GraphBuilder& builder, const GraphNode& node, const Inputs& inputs,
                                 std::size_t index);
// A float HostTensor as a cv::Mat of the given dims.
cv::Mat to_mat(const std::vector<float>& values, const std::vector<int>& dims);
// Adds the activation layer named by a fused op or a standalone op ("Relu", "Relu6", ...).
RuntimeTensor add_activation(GraphBuilder& builder, const GraphNode& node,
                             const std::string& activation, const RuntimeTensor& input,
                             const HostTensor* prelu_alpha);

}  // namespace playsight::vision::tfjs
