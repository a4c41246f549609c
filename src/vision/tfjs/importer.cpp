// Network::import_tfjs and running: builds the cv::dnn::Net with GraphBuilder, adds one Identity
// layer per wanted output (so each output is output 0 of a layer with a known name), and converts
// output blobs back to TensorFlow order.
#include <opencv2/dnn.hpp>
#include <set>

#include "core/error.h"
#include "vision/network.h"
#include "vision/tfjs/graph_builder.h"
#include "vision/tfjs/layout.h"
#include "vision/tfjs/model_file.h"
#include "vision/tfjs/weights.h"

namespace playsight::vision {

using tfjs::Layout;

struct Network::Impl {
  std::string source;
  cv::dnn::Net net;
  std::vector<std::int64_t> input_shape;
  Layout input_layout;
  std::vector<std::string> output_names;
  std::vector<cv::String> output_layers;
  std::vector<std::vector<std::int64_t>> output_shapes;
  std::vector<Layout> output_layouts;
  std::size_t layers = 0;
};

namespace {

std::vector<std::string> sink_nodes(const tfjs::ModelFile& model) {
  std::set<std::string> consumed;
  for (const auto& node : model.nodes)
    for (const auto& input : node.inputs) consumed.insert(tfjs::split_tensor_name(input).first);
  std::vector<std::string> sinks;
  for (const auto& node : model.nodes)
    if (!consumed.count(node.name) && node.op != "Const" && node.op != "Placeholder")
      sinks.push_back(node.name);
  return sinks;
}

std::vector<std::int64_t> placeholder_shape(const tfjs::ModelFile& model) {
  const tfjs::GraphNode* placeholder = nullptr;
  for (const auto& node : model.nodes) {
    if (node.op != "Placeholder") continue;
    if (placeholder)
      throw InputError(model.path + ": graphs with several inputs are not supported");
    placeholder = &node;
  }
  if (!placeholder) throw InputError(model.path + ": the graph has no input (Placeholder)");
  auto shape = placeholder->shape("shape");
  for (auto& dim : shape)
    if (dim < 0) dim = 1;
  return shape;
}

}  // namespace

Network::Network(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;
Network::~Network() = default;

Network Network::import_tfjs(const std::string& model_json, const ImportOptions& options) {
  const tfjs::ModelFile model = tfjs::read_model_file(model_json);
  auto impl = std::make_unique<Impl>();
  impl->source = model_json;
  const auto graph_input_shape = placeholder_shape(model);
  impl->input_shape = options.input_shape.empty() ? graph_input_shape : options.input_shape;
  tfjs::GraphBuilder builder(model, tfjs::read_weights(model), impl->input_shape,
                             graph_input_shape);
  impl->input_layout = builder.input().layout;
  impl->output_names = options.outputs.empty() ? sink_nodes(model) : options.outputs;
  for (std::size_t k = 0; k < impl->output_names.size(); ++k) {
    const tfjs::Value& value = builder.value(impl->output_names[k]);
    if (value.is_constant()) {
      throw InputError(model_json + ": output '" + impl->output_names[k] +
                       "' does not depend on the input");
    }
    const std::string layer = "playsight_output_" + std::to_string(k);
    cv::dnn::LayerParams params;
    params.name = layer;
    params.type = "Identity";
    const int id = builder.net().addLayer(layer, "Identity", params);
    builder.net().connect(value.runtime.layer_id, value.runtime.output, id, 0);
    impl->output_layers.push_back(layer);
    impl->output_shapes.push_back(value.runtime.shape);
    impl->output_layouts.push_back(value.runtime.layout);
  }
  impl->net = builder.net();
  impl->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  impl->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  impl->layers = impl->net.getLayerNames().size();
  Network network(std::move(impl));
  // One run at import: OpenCV allocates and checks its layers on the first forward (and the first
  // is several times slower), so problems surface here and later runs are warm.
  Tensor zeros;
  zeros.shape = network.input_shape();
  zeros.values.assign(static_cast<std::size_t>(zeros.element_count()), 0.0f);
  network.run(zeros);
  return network;
}

std::vector<Tensor> Network::run(const Tensor& input) {
  if (input.shape != impl_->input_shape) {
    throw Error(impl_->source + ": input of shape " + shape_text(input.shape) +
                ", the network takes " + shape_text(impl_->input_shape));
  }
  return run_image_blob(tfjs::tensor_to_blob(input, impl_->input_layout));
}

std::vector<Tensor> Network::run_image_blob(const cv::Mat& blob) {
  std::vector<cv::Mat> blobs;
  try {
    impl_->net.setInput(blob);
    impl_->net.forward(blobs, impl_->output_layers);
  } catch (const cv::Exception& error) {
    throw Error(impl_->source + ": OpenCV DNN failed to run the network: " + error.what());
  }
  std::vector<Tensor> outputs;
  for (std::size_t k = 0; k < blobs.size(); ++k) {
    outputs.push_back(
        tfjs::blob_to_tensor(blobs[k], impl_->output_layouts[k], impl_->output_shapes[k]));
  }
  return outputs;
}

const std::string& Network::source() const {
  return impl_->source;
}
const std::vector<std::int64_t>& Network::input_shape() const {
  return impl_->input_shape;
}
const std::vector<std::string>& Network::output_names() const {
  return impl_->output_names;
}
std::size_t Network::layer_count() const {
  return impl_->layers;
}

}  // namespace playsight::vision
