#include "vision/tfjs/graph_builder.h"

#include <algorithm>

#include "core/error.h"
#include "vision/tfjs/ops.h"

namespace playsight::vision::tfjs {
namespace {

std::string value_key(const std::string& tensor) {
  const auto [node, output] = split_tensor_name(tensor);
  return node + ":" + std::to_string(output);
}

// The layout the network's input blob is fed in: images as NCHW, whatever the graph says.
Layout input_layout(const std::vector<std::int64_t>& shape) {
  if (shape.size() == 4 && shape[1] > 4 && shape[3] <= 4) return channels_first_layout();
  return identity_layout(shape.size());
}

}  // namespace

GraphBuilder::GraphBuilder(const ModelFile& model, Weights weights,
                           std::vector<std::int64_t> input_shape,
                           std::vector<std::int64_t> graph_input_shape)
    : model_(model),
      weights_(std::move(weights)),
      input_shape_(std::move(input_shape)),
      graph_input_shape_(std::move(graph_input_shape)) {
  if (graph_input_shape_.size() != input_shape_.size()) graph_input_shape_ = input_shape_;
  for (const auto& node : model_.nodes) nodes_[node.name] = &node;
  input_name_ = "input";
  net_.setInputsNames({input_name_});
  input_ = RuntimeTensor{0, 0, input_shape_, input_layout(input_shape_)};
}

const Value& GraphBuilder::value(const std::string& tensor) {
  const std::string key = value_key(tensor);
  if (const auto found = values_.find(key); found != values_.end()) return found->second;
  const auto [node_name, output] = split_tensor_name(tensor);
  const auto node = nodes_.find(node_name);
  if (node == nodes_.end())
    throw InputError(model_.path + ": the graph has no node '" + node_name + "'");
  if (std::find(in_progress_.begin(), in_progress_.end(), node_name) != in_progress_.end())
    unsupported(*node->second, "the graph has a cycle through this node (control flow)");
  in_progress_.push_back(node_name);
  translate(*node->second);
  in_progress_.pop_back();
  const auto found = values_.find(key);
  if (found == values_.end())
    unsupported(*node->second, "output " + std::to_string(output) + " was not produced");
  return found->second;
}

void GraphBuilder::translate(const GraphNode& node) {
  const std::string key = node.name + ":0";
  if (node.op == "Placeholder") {
    values_[key] = Value::of(input_);
    return;
  }
  if (node.op == "Const") {
    const auto weight = weights_.find(node.name);
    if (weight == weights_.end())
      throw InputError(model_.path + ": Const node '" + node.name +
                       "' has no entry in the weights manifest");
    values_[key] = Value::of(weight->second);
    return;
  }
  Inputs inputs;
  bool all_constant = true;
  for (const auto& input : node.inputs) {
    const Value& value = this->value(input);
    inputs.push_back(&value);
    all_constant = all_constant && value.is_constant();
  }
  std::vector<Value> outputs;
  if (all_constant) {
    std::vector<const HostTensor*> constants;
    bool follows_input_size = false;
    for (const Value* input : inputs) {
      constants.push_back(&*input->constant);
      follows_input_size = follows_input_size || input->constant->follows_input_size;
    }
    auto folded = fold_constant(node, constants);
    if (!folded) unsupported(node, "cannot evaluate this op on constant inputs");
    for (auto& tensor : *folded) {
      tensor.follows_input_size = follows_input_size;
      outputs.push_back(Value::of(std::move(tensor)));
    }
  } else {
    const OpTranslator translator = find_op_translator(node.op);
    if (!translator) unsupported(node, "this op is not supported by the importer");
    try {
      outputs = translator(*this, node, inputs);
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& error) {
      throw Error(model_.path + ": node '" + node.name + "' (op " + node.op + "): " + error.what());
    }
  }
  for (std::size_t k = 0; k < outputs.size(); ++k)
    values_[node.name + ":" + std::to_string(k)] = std::move(outputs[k]);
}

std::string GraphBuilder::unique_layer_name(const std::string& node_name) {
  std::string name = node_name;
  std::replace(name.begin(), name.end(), '.', '_');  // '.' separates output numbers in cv::dnn
  const int count = layer_names_[name]++;
  return count == 0 ? name : name + "#" + std::to_string(count);
}

RuntimeTensor GraphBuilder::add_layer(const GraphNode& node, const std::string& type,
                                      cv::dnn::LayerParams params,
                                      const std::vector<RuntimeTensor>& inputs,
                                      std::vector<std::int64_t> shape, Layout layout) {
  const std::string name = unique_layer_name(node.name);
  params.name = name;
  params.type = type;
  const int id = net_.addLayer(name, type, params);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    net_.connect(inputs[i].layer_id, inputs[i].output, id, static_cast<int>(i));
  return RuntimeTensor{id, 0, std::move(shape), std::move(layout)};
}

RuntimeTensor GraphBuilder::in_layout(const GraphNode& node, const RuntimeTensor& tensor,
                                      const Layout& layout) {
  if (tensor.layout == layout) return tensor;
  const auto order = permute_order(tensor.layout, layout);
  cv::dnn::LayerParams params;
  params.set("order", cv::dnn::DictValue::arrayInt(order.data(), static_cast<int>(order.size())));
  return add_layer(node, "Permute", params, {tensor}, tensor.shape, layout);
}

RuntimeTensor GraphBuilder::pad(const GraphNode& node, const RuntimeTensor& tensor,
                                const std::vector<std::int64_t>& before,
                                const std::vector<std::int64_t>& after, float value) {
  std::vector<int> paddings;
  auto shape = tensor.shape;
  for (const int tf_axis : tensor.layout) {
    paddings.push_back(static_cast<int>(before[tf_axis]));
    paddings.push_back(static_cast<int>(after[tf_axis]));
  }
  for (std::size_t axis = 0; axis < shape.size(); ++axis) shape[axis] += before[axis] + after[axis];
  cv::dnn::LayerParams params;
  params.set("paddings",
             cv::dnn::DictValue::arrayInt(paddings.data(), static_cast<int>(paddings.size())));
  params.set("value", value);
  params.set("type", "constant");
  return add_layer(node, "Padding", params, {tensor}, shape, tensor.layout);
}

void GraphBuilder::unsupported(const GraphNode& node, const std::string& why) const {
  throw InputError(model_.path + ": node '" + node.name + "' (op " + node.op + "): " + why);
}

}  // namespace playsight::vision::tfjs
