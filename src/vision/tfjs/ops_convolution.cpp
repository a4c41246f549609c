// Convolutions (plain, depthwise, with TF.js fused bias/activation), pooling, global reductions
// and fully connected layers.
#include <cfloat>
#include <cmath>

#include "vision/tfjs/ops.h"

namespace playsight::vision::tfjs {
namespace {

struct Window {
  std::int64_t before = 0, after = 0, out = 0;
};

// TensorFlow's padding rule for one spatial axis. SAME puts the odd extra pixel at the end.
Window window(const std::string& padding, std::int64_t in, std::int64_t kernel, std::int64_t stride,
              std::int64_t dilation, std::int64_t explicit_before, std::int64_t explicit_after) {
  const std::int64_t effective = (kernel - 1) * dilation + 1;
  Window w;
  if (padding == "SAME") {
    w.out = (in + stride - 1) / stride;
    const std::int64_t total = std::max<std::int64_t>((w.out - 1) * stride + effective - in, 0);
    w.before = total / 2;
    w.after = total - w.before;
  } else if (padding == "EXPLICIT") {
    w.before = explicit_before;
    w.after = explicit_after;
    w.out = (in + w.before + w.after - effective) / stride + 1;
  } else {
    w.out = (in - effective) / stride + 1;
  }
  return w;
}

struct SpatialAxes {
  int height, width, channels;
};

SpatialAxes spatial_axes(const GraphNode& node) {
  return node.text("data_format", "NHWC") == "NCHW" ? SpatialAxes{2, 3, 1} : SpatialAxes{1, 2, 3};
}

Layout channels_first_for(const SpatialAxes& axes) {
  return axes.channels == 1 ? identity_layout(4) : channels_first_layout();
}

std::int64_t attribute_at(const std::vector<std::int64_t>& values, int axis) {
  return values.size() == 4 ? values[axis] : 1;
}

// Spatial windows of a conv or pool node (height, width), and the input padded where TF's
// padding is asymmetric (OpenCV's layers take symmetric pads only).
struct Geometry {
  Window height, width;
  RuntimeTensor input;
};

Geometry geometry(GraphBuilder& builder, const GraphNode& node, RuntimeTensor x,
                  const SpatialAxes& axes, std::int64_t kernel_h, std::int64_t kernel_w,
                  std::int64_t dilation_h, std::int64_t dilation_w, float pad_value,
                  bool may_pad_explicitly) {
  const auto strides = node.integers("strides");
  const std::string padding = node.text("padding", "VALID");
  const auto explicit_pads = node.integers("explicit_paddings");
  auto pad_at = [&](int axis, int side) {
    return explicit_pads.size() == 8 ? explicit_pads[axis * 2 + side] : 0;
  };
  Geometry g;
  g.height = window(padding, x.shape[axes.height], kernel_h, attribute_at(strides, axes.height),
                    dilation_h, pad_at(axes.height, 0), pad_at(axes.height, 1));
  g.width = window(padding, x.shape[axes.width], kernel_w, attribute_at(strides, axes.width),
                   dilation_w, pad_at(axes.width, 0), pad_at(axes.width, 1));
  if (g.height.before != g.height.after || g.width.before != g.width.after) {
    if (!may_pad_explicitly)
      builder.unsupported(node, "asymmetric padding is not supported for average pooling");
    std::vector<std::int64_t> before(4, 0), after(4, 0);
    before[axes.height] = g.height.before;
    after[axes.height] = g.height.after;
    before[axes.width] = g.width.before;
    after[axes.width] = g.width.after;
    x = builder.pad(node, x, before, after, pad_value);
    g.height.before = g.height.after = g.width.before = g.width.after = 0;
  }
  g.input = x;
  return g;
}

void set_window_params(cv::dnn::LayerParams& params, const GraphNode& node, const Geometry& g,
                       const SpatialAxes& axes, std::int64_t kernel_h, std::int64_t kernel_w) {
  const auto strides = node.integers("strides");
  params.set("kernel_h", static_cast<int>(kernel_h));
  params.set("kernel_w", static_cast<int>(kernel_w));
  params.set("stride_h", static_cast<int>(attribute_at(strides, axes.height)));
  params.set("stride_w", static_cast<int>(attribute_at(strides, axes.width)));
  params.set("pad_h", static_cast<int>(g.height.before));
  params.set("pad_w", static_cast<int>(g.width.before));
}

std::vector<Value> single(RuntimeTensor tensor) {
  return {Value::of(std::move(tensor))};
}

}  // namespace

std::vector<Value> translate_convolution(GraphBuilder& builder, const GraphNode& node,
                                         const Inputs& inputs) {
  const bool depthwise = node.op.find("Depthwise") != std::string::npos;
  const SpatialAxes axes = spatial_axes(node);
  RuntimeTensor x =
      builder.in_layout(node, runtime_input(builder, node, inputs, 0), channels_first_for(axes));
  const HostTensor& filter = constant_input(builder, node, inputs, 1);
  if (filter.shape.size() != 4) builder.unsupported(node, "the filter is not 4-D");
  const std::int64_t kernel_h = filter.shape[0], kernel_w = filter.shape[1];
  const std::int64_t in_channels = filter.shape[2];
  const std::int64_t out_channels = depthwise ? in_channels * filter.shape[3] : filter.shape[3];
  if (x.shape[axes.channels] != in_channels && !depthwise)
    builder.unsupported(node, "grouped convolutions are not supported");
  const auto dilations = node.integers("dilations");
  const std::int64_t dilation_h = attribute_at(dilations, axes.height);
  const std::int64_t dilation_w = attribute_at(dilations, axes.width);
  const Geometry g =
      geometry(builder, node, x, axes, kernel_h, kernel_w, dilation_h, dilation_w, 0.0f, true);

  // HWIO -> OIHW; depthwise [kh, kw, C, M] -> [C*M, 1, kh, kw] (output channel c*M + m).
  const std::int64_t group_in = depthwise ? 1 : in_channels;
  std::vector<float> weights(
      static_cast<std::size_t>(out_channels * group_in * kernel_h * kernel_w));
  for (std::int64_t y = 0; y < kernel_h; ++y)
    for (std::int64_t xk = 0; xk < kernel_w; ++xk)
      for (std::int64_t i = 0; i < in_channels; ++i)
        for (std::int64_t o = 0; o < filter.shape[3]; ++o) {
          const double value =
              filter.values[((y * kernel_w + xk) * in_channels + i) * filter.shape[3] + o];
          const std::int64_t out = depthwise ? i * filter.shape[3] + o : o;
          const std::int64_t in = depthwise ? 0 : i;
          weights[((out * group_in + in) * kernel_h + y) * kernel_w + xk] =
              static_cast<float>(value);
        }

  const auto fused = node.texts("fused_ops");
  std::vector<float> bias;
  std::string activation;
  const HostTensor* prelu_alpha = nullptr;
  std::size_t next_arg = 2;
  for (const auto& op : fused) {
    if (op == "BiasAdd") {
      bias = constant_input(builder, node, inputs, next_arg++).floats();
    } else if (op == "FusedBatchNorm") {
      const auto scale = constant_input(builder, node, inputs, next_arg).floats();
      const auto offset = constant_input(builder, node, inputs, next_arg + 1).floats();
      const auto mean = constant_input(builder, node, inputs, next_arg + 2).floats();
      const auto variance = constant_input(builder, node, inputs, next_arg + 3).floats();
      next_arg += 4;
      const float epsilon = node.number("epsilon", 0.001f);
      const std::size_t per_output = weights.size() / static_cast<std::size_t>(out_channels);
      bias.assign(static_cast<std::size_t>(out_channels), 0.0f);
      for (std::size_t o = 0; o < bias.size(); ++o) {
        const float factor = scale[o] / std::sqrt(variance[o] + epsilon);
        for (std::size_t k = 0; k < per_output; ++k) weights[o * per_output + k] *= factor;
        bias[o] = offset[o] - mean[o] * factor;
      }
    } else if (op == "Prelu") {
      activation = op;
      prelu_alpha = &constant_input(builder, node, inputs, next_arg++);
    } else {
      activation = op;
    }
  }

  cv::dnn::LayerParams params;
  set_window_params(params, node, g, axes, kernel_h, kernel_w);
  params.set("dilation_h", static_cast<int>(dilation_h));
  params.set("dilation_w", static_cast<int>(dilation_w));
  params.set("num_output", static_cast<int>(out_channels));
  params.set("group", static_cast<int>(depthwise ? in_channels : 1));
  params.set("bias_term", !bias.empty());
  params.blobs.push_back(
      to_mat(weights, {static_cast<int>(out_channels), static_cast<int>(group_in),
                       static_cast<int>(kernel_h), static_cast<int>(kernel_w)}));
  if (!bias.empty()) params.blobs.push_back(to_mat(bias, {1, static_cast<int>(out_channels)}));
  auto shape = g.input.shape;
  shape[axes.height] = g.height.out;
  shape[axes.width] = g.width.out;
  shape[axes.channels] = out_channels;
  RuntimeTensor out =
      builder.add_layer(node, "Convolution", params, {g.input}, shape, g.input.layout);
  if (!activation.empty()) out = add_activation(builder, node, activation, out, prelu_alpha);
  return single(out);
}

std::vector<Value> translate_pooling(GraphBuilder& builder, const GraphNode& node,
                                     const Inputs& inputs) {
  const bool max = node.op == "MaxPool";
  const SpatialAxes axes = spatial_axes(node);
  RuntimeTensor x =
      builder.in_layout(node, runtime_input(builder, node, inputs, 0), channels_first_for(axes));
  const auto ksize = node.integers("ksize");
  const std::int64_t kernel_h = attribute_at(ksize, axes.height);
  const std::int64_t kernel_w = attribute_at(ksize, axes.width);
  const Geometry g = geometry(builder, node, x, axes, kernel_h, kernel_w, 1, 1, -FLT_MAX, max);
  cv::dnn::LayerParams params;
  set_window_params(params, node, g, axes, kernel_h, kernel_w);
  params.set("pool", max ? "max" : "ave");
  params.set("ceil_mode", false);
  params.set("ave_pool_padded_area", false);  // TF averages over the real pixels only
  auto shape = g.input.shape;
  shape[axes.height] = g.height.out;
  shape[axes.width] = g.width.out;
  return single(builder.add_layer(node, "Pooling", params, {g.input}, shape, g.input.layout));
}

std::vector<Value> translate_reduction(GraphBuilder& builder, const GraphNode& node,
                                       const Inputs& inputs) {
  RuntimeTensor x = runtime_input(builder, node, inputs, 0);
  const int rank = static_cast<int>(x.shape.size());
  std::vector<bool> reduced(static_cast<std::size_t>(rank), false);
  for (const auto axis : constant_input(builder, node, inputs, 1).integers())
    reduced[static_cast<std::size_t>(axis < 0 ? axis + rank : axis)] = true;
  if (rank != 4) builder.unsupported(node, "only reductions of 4-D tensors are supported");
  // A global pooling needs the reduced axes at blob axes 2 and 3; reorder the blob if needed.
  Layout wanted;
  for (int axis = 0; axis < rank; ++axis)
    if (!reduced[axis]) wanted.push_back(axis);
  for (int axis = 0; axis < rank; ++axis)
    if (reduced[axis]) wanted.push_back(axis);
  if (wanted.size() != 4 || !reduced[wanted[2]] || !reduced[wanted[3]] || reduced[wanted[1]] ||
      reduced[wanted[0]])
    builder.unsupported(node,
                        "only reductions over two spatial axes (global pooling) are supported");
  if (!(x.layout[2] == wanted[2] && x.layout[3] == wanted[3]) &&
      !(x.layout[2] == wanted[3] && x.layout[3] == wanted[2]))
    x = builder.in_layout(node, x, wanted);
  cv::dnn::LayerParams params;
  params.set("pool", node.op == "Max" ? "max" : "ave");
  params.set("global_pooling", true);
  auto shape = x.shape;
  for (int axis = 0; axis < rank; ++axis)
    if (reduced[axis]) shape[axis] = 1;
  RuntimeTensor pooled = builder.add_layer(node, "Pooling", params, {x}, shape, x.layout);
  if (node.flag("keep_dims", false)) return single(pooled);
  // Drop the reduced axes: blob [N, C, 1, 1] -> [N, C].
  cv::dnn::LayerParams flatten;
  flatten.set("axis", 1);
  flatten.set("end_axis", -1);
  std::vector<std::int64_t> kept_shape;
  Layout kept_layout;
  for (int j = 0; j < 2; ++j) {
    const int tf_axis = pooled.layout[j];
    int renumbered = 0;
    for (int axis = 0; axis < tf_axis; ++axis)
      if (!reduced[axis]) ++renumbered;
    kept_layout.push_back(renumbered);
  }
  for (int axis = 0; axis < rank; ++axis)
    if (!reduced[axis]) kept_shape.push_back(x.shape[axis]);
  return single(builder.add_layer(node, "Flatten", flatten, {pooled}, kept_shape, kept_layout));
}

std::vector<Value> translate_matmul(GraphBuilder& builder, const GraphNode& node,
                                    const Inputs& inputs) {
  RuntimeTensor x = runtime_input(builder, node, inputs, 0);
  if (x.shape.size() != 2 || node.flag("transpose_a", false))
    builder.unsupported(node, "only [batch, features] x constant matrix is supported");
  x = builder.in_layout(node, x, identity_layout(2));
  const HostTensor& matrix = constant_input(builder, node, inputs, 1);
  const bool transposed = node.flag("transpose_b", false);
  const std::int64_t in_features = transposed ? matrix.shape[1] : matrix.shape[0];
  const std::int64_t out_features = transposed ? matrix.shape[0] : matrix.shape[1];
  std::vector<float> weights(static_cast<std::size_t>(in_features * out_features));
  for (std::int64_t o = 0; o < out_features; ++o)
    for (std::int64_t i = 0; i < in_features; ++i)
      weights[o * in_features + i] = static_cast<float>(
          transposed ? matrix.values[o * in_features + i] : matrix.values[i * out_features + o]);
  std::vector<float> bias;
  std::string activation;
  const HostTensor* prelu_alpha = nullptr;
  std::size_t next_arg = 2;
  for (const auto& op : node.texts("fused_ops")) {
    if (op == "BiasAdd") {
      bias = constant_input(builder, node, inputs, next_arg++).floats();
    } else {
      activation = op;
      if (op == "Prelu") prelu_alpha = &constant_input(builder, node, inputs, next_arg++);
    }
  }
  cv::dnn::LayerParams params;
  params.set("num_output", static_cast<int>(out_features));
  params.set("bias_term", !bias.empty());
  params.set("axis", 1);
  params.blobs.push_back(
      to_mat(weights, {static_cast<int>(out_features), static_cast<int>(in_features)}));
  if (!bias.empty()) params.blobs.push_back(to_mat(bias, {1, static_cast<int>(out_features)}));
  RuntimeTensor out = builder.add_layer(node, "InnerProduct", params, {x},
                                        {x.shape[0], out_features}, identity_layout(2));
  if (!activation.empty()) out = add_activation(builder, node, activation, out, prelu_alpha);
  return single(out);
}

}  // namespace playsight::vision::tfjs
