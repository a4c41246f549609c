// Element-wise ops: activations, and binary arithmetic between two runtime tensors or a runtime
// tensor and a constant (scalar -> Power/ReLU6, per-channel -> Scale). OpenCV 4.6 has no general
// broadcasting layer, so other broadcasts are refused with a clear message.
#include <cfloat>

#include "vision/tfjs/ops.h"

namespace playsight::vision::tfjs {
namespace {

std::vector<Value> single(RuntimeTensor tensor) {
  return {Value::of(std::move(tensor))};
}

cv::dnn::LayerParams power(float scale, float shift, float exponent = 1.0f) {
  cv::dnn::LayerParams params;
  params.set("power", exponent);
  params.set("scale", scale);
  params.set("shift", shift);
  return params;
}

cv::dnn::LayerParams clip(float low, float high) {
  cv::dnn::LayerParams params;
  params.set("min_value", low);
  params.set("max_value", high);
  return params;
}

// The TF axis of x along which constant c varies, if c broadcasts to x as a per-channel vector
// (shape [C], [1, C], [1, 1, 1, C], ... aligned to the right); -1 otherwise.
int per_channel_axis(const RuntimeTensor& x, const HostTensor& c) {
  const int rank = static_cast<int>(x.shape.size());
  const int c_rank = static_cast<int>(c.shape.size());
  if (c_rank > rank) return -1;
  int axis = -1;
  for (int i = 0; i < c_rank; ++i) {
    const std::int64_t dim = c.shape[c_rank - 1 - i];
    if (dim == 1) continue;
    const int x_axis = rank - 1 - i;
    if (axis >= 0 || dim != x.shape[x_axis]) return -1;
    axis = x_axis;
  }
  return axis;
}

std::vector<std::int64_t> broadcast_shape(const std::vector<std::int64_t>& a,
                                          const std::vector<std::int64_t>& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  std::vector<std::int64_t> shape(rank, 1);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    shape[i] = std::max(da, db);
  }
  return shape;
}

std::vector<Value> with_constant(GraphBuilder& builder, const GraphNode& node,
                                 const RuntimeTensor& x, const HostTensor& c, bool constant_first) {
  const std::string& op = node.op;
  const bool add = op == "Add" || op == "AddV2" || op == "BiasAdd";
  if (c.element_count() == 1) {
    const float s = static_cast<float>(c.values.at(0));
    const auto layer = [&](const std::string& type, cv::dnn::LayerParams params) {
      return single(builder.add_layer(node, type, std::move(params), {x}, x.shape, x.layout));
    };
    if (add) return layer("Power", power(1, s));
    if (op == "Sub") return layer("Power", constant_first ? power(-1, s) : power(1, -s));
    if (op == "Mul") return layer("Power", power(s, 0));
    if (op == "RealDiv" && !constant_first) return layer("Power", power(1 / s, 0));
    if (op == "RealDiv") {
      const RuntimeTensor inverse =
          builder.add_layer(node, "Power", power(1, 0, -1), {x}, x.shape, x.layout);
      return single(builder.add_layer(node, "Power", power(s, 0), {inverse}, x.shape, x.layout));
    }
    if (op == "Maximum") return layer("ReLU6", clip(s, FLT_MAX));
    if (op == "Minimum") return layer("ReLU6", clip(-FLT_MAX, s));
    if (op == "SquaredDifference") return layer("Power", power(1, -s, 2));
    builder.unsupported(node, "this op with a scalar constant is not supported");
  }
  const int axis = per_channel_axis(x, c);
  if (axis < 0 || x.shape.size() > 4) {
    builder.unsupported(node, "a constant operand of shape " + shape_text(c.shape) +
                                  " that is not a per-channel vector of " + shape_text(x.shape));
  }
  std::vector<float> scale(c.values.size(), 1.0f), shift;
  if (op == "Mul") {
    scale = c.floats();
  } else if (op == "RealDiv" && !constant_first) {
    for (std::size_t i = 0; i < scale.size(); ++i) scale[i] = static_cast<float>(1.0 / c.values[i]);
  } else if (add || op == "Sub") {
    shift = c.floats();
    if (op == "Sub" && !constant_first)
      for (auto& v : shift) v = -v;
    if (op == "Sub" && constant_first)
      for (auto& v : scale) v = -1.0f;
  } else {
    builder.unsupported(node, "this op with a per-channel constant is not supported");
  }
  cv::dnn::LayerParams params;
  params.set("axis", blob_axis(x.layout, axis));
  params.set("bias_term", !shift.empty());
  const int channels = static_cast<int>(scale.size());
  params.blobs.push_back(to_mat(scale, {1, channels}));
  if (!shift.empty()) params.blobs.push_back(to_mat(shift, {1, channels}));
  return single(builder.add_layer(node, "Scale", params, {x}, x.shape, x.layout));
}

}  // namespace

RuntimeTensor add_activation(GraphBuilder& builder, const GraphNode& node,
                             const std::string& activation, const RuntimeTensor& input,
                             const HostTensor* prelu_alpha) {
  cv::dnn::LayerParams params;
  std::string type;
  if (activation == "Relu") {
    type = "ReLU";
  } else if (activation == "Relu6") {
    type = "ReLU6";
    params = clip(0.0f, 6.0f);
  } else if (activation == "LeakyRelu") {
    type = "ReLU";
    params.set("negative_slope", node.has("leakyrelu_alpha") ? node.number("leakyrelu_alpha", 0.2f)
                                                             : node.number("alpha", 0.2f));
  } else if (activation == "Sigmoid") {
    type = "Sigmoid";
  } else if (activation == "Tanh") {
    type = "TanH";
  } else if (activation == "Elu") {
    type = "ELU";
  } else if (activation == "Abs") {
    type = "AbsVal";
  } else if (activation == "Exp") {
    type = "Exp";
  } else if (activation == "Prelu" && prelu_alpha) {
    type = "PReLU";
    const auto alpha = prelu_alpha->floats();
    params.blobs.push_back(to_mat(alpha, {1, static_cast<int>(alpha.size())}));
  } else {
    builder.unsupported(node, "activation '" + activation + "' is not supported");
  }
  return builder.add_layer(node, type, params, {input}, input.shape, input.layout);
}

std::vector<Value> translate_unary(GraphBuilder& builder, const GraphNode& node,
                                   const Inputs& inputs) {
  const RuntimeTensor& x = runtime_input(builder, node, inputs, 0);
  const auto layer = [&](cv::dnn::LayerParams params) {
    return single(builder.add_layer(node, "Power", std::move(params), {x}, x.shape, x.layout));
  };
  if (node.op == "Neg") return layer(power(-1, 0));
  if (node.op == "Square") return layer(power(1, 0, 2));
  if (node.op == "Sqrt") return layer(power(1, 0, 0.5f));
  if (node.op == "Rsqrt") return layer(power(1, 0, -0.5f));
  if (node.op == "Reciprocal") return layer(power(1, 0, -1));
  const HostTensor* alpha = nullptr;
  if (node.op == "Prelu") alpha = &constant_input(builder, node, inputs, 1);
  return single(add_activation(builder, node, node.op, x, alpha));
}

std::vector<Value> translate_binary(GraphBuilder& builder, const GraphNode& node,
                                    const Inputs& inputs) {
  if (inputs.size() != 2) builder.unsupported(node, "expected two inputs");
  if (inputs[0]->is_constant())
    return with_constant(builder, node, inputs[1]->runtime, *inputs[0]->constant, true);
  if (inputs[1]->is_constant())
    return with_constant(builder, node, inputs[0]->runtime, *inputs[1]->constant, false);
  RuntimeTensor a = inputs[0]->runtime;
  RuntimeTensor b = inputs[1]->runtime;
  const std::string& op = node.op;
  if (a.shape == b.shape) {
    b = builder.in_layout(node, b, a.layout);
    cv::dnn::LayerParams params;
    if (op == "Add" || op == "AddV2" || op == "BiasAdd") {
      params.set("operation", "sum");
    } else if (op == "Sub") {
      params.set("operation", "sum");
      const float coefficients[] = {1.0f, -1.0f};
      params.set("coeff", cv::dnn::DictValue::arrayReal(coefficients, 2));
    } else if (op == "Mul") {
      params.set("operation", "prod");
    } else if (op == "Maximum") {
      params.set("operation", "max");
    } else if (op == "RealDiv") {
      params.set("operation", "div");
    } else {
      builder.unsupported(node, "this op between two runtime tensors is not supported");
    }
    return single(builder.add_layer(node, "Eltwise", params, {a, b}, a.shape, a.layout));
  }
  // Squeeze-and-excite: x[N,H,W,C] * s[N,1,1,C] -> Scale with the scale as second input.
  const auto shape = broadcast_shape(a.shape, b.shape);
  if (op == "Mul" && a.shape.size() == 4 && b.shape.size() == 4) {
    RuntimeTensor& big = a.shape == shape ? a : b;
    RuntimeTensor& small = a.shape == shape ? b : a;
    small = builder.in_layout(node, small, big.layout);
    if (big.shape == shape && small.shape[big.layout[0]] == big.shape[big.layout[0]] &&
        small.shape[big.layout[1]] == big.shape[big.layout[1]] && small.shape[big.layout[2]] == 1 &&
        small.shape[big.layout[3]] == 1) {
      cv::dnn::LayerParams params;
      params.set("axis", 1);
      return single(builder.add_layer(node, "Scale", params, {big, small}, shape, big.layout));
    }
  }
  builder.unsupported(node, "broadcasting " + shape_text(a.shape) + " with " + shape_text(b.shape) +
                                " is not supported");
}

std::vector<Value> translate_softmax(GraphBuilder& builder, const GraphNode& node,
                                     const Inputs& inputs) {
  const RuntimeTensor& x = runtime_input(builder, node, inputs, 0);
  cv::dnn::LayerParams params;
  params.set("axis", blob_axis(x.layout, static_cast<int>(x.shape.size()) - 1));
  return single(builder.add_layer(node, "Softmax", params, {x}, x.shape, x.layout));
}

std::vector<Value> translate_identity(GraphBuilder&, const GraphNode&, const Inputs& inputs) {
  return {*inputs.at(0)};
}

}  // namespace playsight::vision::tfjs
