// Ops that move data without arithmetic: reshapes, transposes (layout only), concatenation,
// padding, resizing, splitting, and Shape/Size of runtime tensors (constants once the input size
// is fixed).
#include <numeric>

#include "vision/tfjs/ops.h"

namespace playsight::vision::tfjs {
namespace {

std::vector<Value> single(RuntimeTensor tensor) {
  return {Value::of(std::move(tensor))};
}

int normalise_axis(std::int64_t axis, std::size_t rank) {
  return static_cast<int>(axis < 0 ? axis + static_cast<std::int64_t>(rank) : axis);
}

cv::dnn::DictValue int_array(const std::vector<int>& values) {
  return cv::dnn::DictValue::arrayInt(values.data(), static_cast<int>(values.size()));
}

RuntimeTensor reshape_to(GraphBuilder& builder, const GraphNode& node, const RuntimeTensor& x,
                         std::vector<std::int64_t> shape) {
  const std::int64_t count =
      std::accumulate(x.shape.begin(), x.shape.end(), std::int64_t{1}, std::multiplies<>());
  std::int64_t known = 1;
  int unknown = -1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0)
      unknown = static_cast<int>(i);
    else
      known *= shape[i];
  }
  if (unknown >= 0) shape[unknown] = count / known;
  if (shape == x.shape) return x;
  const RuntimeTensor ordered = builder.in_layout(node, x, identity_layout(x.shape.size()));
  std::vector<int> dims(shape.begin(), shape.end());
  cv::dnn::LayerParams params;
  params.set("dim", int_array(dims));
  return builder.add_layer(node, "Reshape", params, {ordered}, shape,
                           identity_layout(shape.size()));
}

}  // namespace

std::vector<Value> translate_shape_of(GraphBuilder& builder, const GraphNode& node,
                                      const Inputs& inputs) {
  const RuntimeTensor& x = runtime_input(builder, node, inputs, 0);
  HostTensor out;
  out.dtype = DataType::kInt32;
  out.follows_input_size = true;
  if (node.op == "Size") {
    out.values = {static_cast<double>(
        std::accumulate(x.shape.begin(), x.shape.end(), std::int64_t{1}, std::multiplies<>()))};
  } else {
    out.shape = {static_cast<std::int64_t>(x.shape.size())};
    out.values.assign(x.shape.begin(), x.shape.end());
  }
  return {Value::of(std::move(out))};
}

std::vector<Value> translate_reshape(GraphBuilder& builder, const GraphNode& node,
                                     const Inputs& inputs) {
  const RuntimeTensor& x = runtime_input(builder, node, inputs, 0);
  std::vector<std::int64_t> shape;
  if (node.op == "Reshape") {
    shape = constant_input(builder, node, inputs, 1).integers();
  } else if (node.op == "ExpandDims") {
    shape = x.shape;
    const auto axis = normalise_axis(
        static_cast<std::int64_t>(constant_input(builder, node, inputs, 1).values.at(0)),
        shape.size() + 1);
    shape.insert(shape.begin() + axis, 1);
  } else {  // Squeeze
    const auto axes = node.integers("squeeze_dims");
    for (std::size_t i = 0; i < x.shape.size(); ++i) {
      bool listed = axes.empty();
      for (const auto axis : axes)
        listed = listed || normalise_axis(axis, x.shape.size()) == static_cast<int>(i);
      if (!(listed && x.shape[i] == 1)) shape.push_back(x.shape[i]);
    }
  }
  return single(reshape_to(builder, node, x, shape));
}

std::vector<Value> translate_transpose(GraphBuilder& builder, const GraphNode& node,
                                       const Inputs& inputs) {
  RuntimeTensor x = runtime_input(builder, node, inputs, 0);
  const auto perm = constant_input(builder, node, inputs, 1).integers();
  std::vector<std::int64_t> shape(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) shape[i] = x.shape[perm[i]];
  x.layout = layout_after_transpose(x.layout, perm);
  x.shape = shape;
  return single(x);
}

std::vector<Value> translate_concat(GraphBuilder& builder, const GraphNode& node,
                                    const Inputs& inputs) {
  std::vector<RuntimeTensor> parts;
  for (std::size_t i = 0; i + 1 < inputs.size(); ++i) {
    if (inputs[i]->is_constant())
      builder.unsupported(node, "concatenating a constant with runtime tensors is not supported");
    parts.push_back(builder.in_layout(node, inputs[i]->runtime, inputs[0]->runtime.layout));
  }
  const auto axis =
      normalise_axis(static_cast<std::int64_t>(
                         constant_input(builder, node, inputs, inputs.size() - 1).values.at(0)),
                     parts[0].shape.size());
  auto shape = parts[0].shape;
  shape[axis] = 0;
  for (const auto& part : parts) shape[axis] += part.shape[axis];
  cv::dnn::LayerParams params;
  params.set("axis", blob_axis(parts[0].layout, axis));
  return single(builder.add_layer(node, "Concat", params, parts, shape, parts[0].layout));
}

std::vector<Value> translate_pad(GraphBuilder& builder, const GraphNode& node,
                                 const Inputs& inputs) {
  if (node.op == "MirrorPad") builder.unsupported(node, "mirror padding is not supported");
  const RuntimeTensor& x = runtime_input(builder, node, inputs, 0);
  const auto paddings = constant_input(builder, node, inputs, 1).integers();
  std::vector<std::int64_t> before, after;
  for (std::size_t axis = 0; axis < x.shape.size(); ++axis) {
    before.push_back(paddings.at(axis * 2));
    after.push_back(paddings.at(axis * 2 + 1));
  }
  const float value =
      node.op == "PadV2" ? static_cast<float>(constant_input(builder, node, inputs, 2).values.at(0))
                         : 0.0f;
  return single(builder.pad(node, x, before, after, value));
}

std::vector<Value> translate_resize(GraphBuilder& builder, const GraphNode& node,
                                    const Inputs& inputs) {
  RuntimeTensor x = runtime_input(builder, node, inputs, 0);
  if (x.shape.size() != 4) builder.unsupported(node, "only 4-D NHWC images can be resized");
  x = builder.in_layout(node, x, channels_first_layout());
  const HostTensor& target = constant_input(builder, node, inputs, 1);
  auto size = target.integers();
  if (!target.follows_input_size) {  // e.g. centernet's upsampling targets, fixed for 512x512
    size.at(0) = builder.scale_baked_size(size[0], 0);
    size.at(1) = builder.scale_baked_size(size[1], 1);
  }
  cv::dnn::LayerParams params;
  params.set("interpolation", node.op == "ResizeBilinear" ? "bilinear" : "nearest");
  params.set("height", static_cast<int>(size.at(0)));
  params.set("width", static_cast<int>(size.at(1)));
  params.set("align_corners", node.flag("align_corners", false));
  params.set("half_pixel_centers", node.flag("half_pixel_centers", false));
  auto shape = x.shape;
  shape[1] = size[0];
  shape[2] = size[1];
  return single(builder.add_layer(node, "Resize", params, {x}, shape, x.layout));
}

std::vector<Value> translate_split(GraphBuilder& builder, const GraphNode& node,
                                   const Inputs& inputs) {
  const bool split_v = node.op == "SplitV";
  const RuntimeTensor& x = runtime_input(builder, node, inputs, split_v ? 0 : 1);
  const auto axis =
      normalise_axis(static_cast<std::int64_t>(
                         constant_input(builder, node, inputs, split_v ? 2 : 0).values.at(0)),
                     x.shape.size());
  std::vector<std::int64_t> sizes;
  if (split_v) {
    sizes = constant_input(builder, node, inputs, 1).integers();
    std::int64_t known = 0;
    int unknown = -1;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] < 0)
        unknown = static_cast<int>(i);
      else
        known += sizes[i];
    }
    if (unknown >= 0) sizes[unknown] = x.shape[axis] - known;
  } else {
    const auto parts = node.integer("num_split", 1);
    sizes.assign(static_cast<std::size_t>(parts), x.shape[axis] / parts);
  }
  std::vector<int> points;
  std::int64_t at = 0;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i)
    points.push_back(static_cast<int>(at += sizes[i]));
  cv::dnn::LayerParams params;
  params.set("axis", blob_axis(x.layout, axis));
  params.set("slice_point", int_array(points));
  const RuntimeTensor first = builder.add_layer(node, "Slice", params, {x}, x.shape, x.layout);
  std::vector<Value> outputs;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    RuntimeTensor part = first;
    part.output = static_cast<int>(i);
    part.shape[axis] = sizes[i];
    outputs.push_back(Value::of(part));
  }
  return outputs;
}

}  // namespace playsight::vision::tfjs
