#pragma once
// GraphBuilder: walks a TensorFlow.js graph backwards from the wanted outputs and builds the
// equivalent cv::dnn::Net layer by layer. Every tensor of the graph becomes a Value: either a
// constant (weights, and anything computable from constants and static shapes, folded at import
// time) or a runtime tensor (the output of a layer, with its TensorFlow shape and its Layout).
// The translation of each op lives in ops_*.cpp; this class offers them the bookkeeping: adding
// layers with unique names, putting a tensor into the layout an op needs, padding.
//
// Not thread-safe; used once per import.
#include <map>
#include <opencv2/dnn.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "vision/tfjs/host_tensor.h"
#include "vision/tfjs/layout.h"
#include "vision/tfjs/model_file.h"
#include "vision/tfjs/weights.h"

namespace playsight::vision::tfjs {

struct RuntimeTensor {
  int layer_id = 0;  // 0 is the network's input
  int output = 0;
  std::vector<std::int64_t> shape;  // TensorFlow order
  Layout layout;
};

struct Value {
  std::optional<HostTensor> constant;
  RuntimeTensor runtime;
  bool is_constant() const { return constant.has_value(); }

  static Value of(HostTensor tensor) { return Value{std::move(tensor), {}}; }
  static Value of(RuntimeTensor tensor) { return Value{std::nullopt, std::move(tensor)}; }
};

class GraphBuilder {
 public:
  // input_shape: the shape to build for; graph_input_shape: the placeholder's own (TensorFlow
  // order, no unknown dims).
  GraphBuilder(const ModelFile& model, Weights weights, std::vector<std::int64_t> input_shape,
               std::vector<std::int64_t> graph_input_shape);
  GraphBuilder(const GraphBuilder&) = delete;
  GraphBuilder& operator=(const GraphBuilder&) = delete;

  // The value of tensor "node" or "node:k", translating whatever it depends on first.
  const Value& value(const std::string& tensor);

  // For op translators ------------------------------------------------------------------
  const std::string& model_path() const { return model_.path; }
  // Adds a layer fed by `inputs` (their first outputs unless stated); returns its output 0.
  RuntimeTensor add_layer(const GraphNode& node, const std::string& type,
                          cv::dnn::LayerParams params, const std::vector<RuntimeTensor>& inputs,
                          std::vector<std::int64_t> shape, Layout layout);
  // The same tensor stored in `layout` (adds a Permute layer if it is not already).
  RuntimeTensor in_layout(const GraphNode& node, const RuntimeTensor& tensor, const Layout& layout);
  // Pads tensor axes (TensorFlow order, before/after per axis) with a constant value.
  RuntimeTensor pad(const GraphNode& node, const RuntimeTensor& tensor,
                    const std::vector<std::int64_t>& before, const std::vector<std::int64_t>& after,
                    float value);
  // An error naming the op, the node and the model, for an op or a use of it not supported.
  [[noreturn]] void unsupported(const GraphNode& node, const std::string& why) const;

  cv::dnn::Net& net() { return net_; }
  const std::string& input_name() const { return input_name_; }
  const RuntimeTensor& input() const { return input_; }
  // A spatial size baked into the graph for its own input size, scaled to the size being built
  // for. spatial: 0 height, 1 width.
  std::int64_t scale_baked_size(std::int64_t size, int spatial) const {
    const bool nchw = input_.layout == identity_layout(4);
    const std::size_t axis = static_cast<std::size_t>(spatial) + (nchw ? 2u : 1u);
    if (input_shape_.size() != 4) return size;
    return size * input_shape_[axis] / graph_input_shape_[axis];
  }

 private:
  void translate(const GraphNode& node);
  std::string unique_layer_name(const std::string& node_name);

  const ModelFile& model_;
  Weights weights_;
  std::vector<std::int64_t> input_shape_;
  std::vector<std::int64_t> graph_input_shape_;
  std::unordered_map<std::string, const GraphNode*> nodes_;
  std::unordered_map<std::string, Value> values_;  // "node:k"
  std::map<std::string, int> layer_names_;
  std::vector<std::string> in_progress_;
  cv::dnn::Net net_;
  std::string input_name_;
  RuntimeTensor input_;
};

}  // namespace playsight::vision::tfjs
