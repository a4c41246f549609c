// Import-time evaluation of ops whose inputs are all constants: the shape arithmetic that the
// graphs compute at run time (Shape -> StridedSlice -> Pack -> Reshape) becomes plain numbers
// once the input size is fixed.
#include <cmath>
#include <functional>
#include <numeric>

#include "vision/tfjs/ops.h"

namespace playsight::vision::tfjs {
namespace {

using Tensors = std::vector<HostTensor>;
using Operands = std::vector<const HostTensor*>;

std::vector<std::int64_t> strides_of(const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> strides(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

std::int64_t count_of(const std::vector<std::int64_t>& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
}

int normalise_axis(std::int64_t axis, std::size_t rank) {
  return static_cast<int>(axis < 0 ? axis + static_cast<std::int64_t>(rank) : axis);
}

bool is_integer_type(DataType type) {
  return type == DataType::kInt32 || type == DataType::kInt64;
}

HostTensor make(DataType dtype, std::vector<std::int64_t> shape, std::vector<double> values) {
  return HostTensor{dtype, std::move(shape), std::move(values)};
}

std::optional<Tensors> broadcast_binary(const GraphNode& node, const Operands& in) {
  using Op = std::function<double(double, double)>;
  const bool integer = is_integer_type(in[0]->dtype);
  Op op;
  bool boolean_result = false;
  const std::string& name = node.op;
  if (name == "Add" || name == "AddV2" || name == "BiasAdd")
    op = std::plus<>();
  else if (name == "Sub")
    op = std::minus<>();
  else if (name == "Mul")
    op = std::multiplies<>();
  else if (name == "RealDiv" || name == "Div")
    op = [integer](double a, double b) { return integer ? std::trunc(a / b) : a / b; };
  else if (name == "FloorDiv")
    op = [](double a, double b) { return std::floor(a / b); };
  else if (name == "FloorMod")
    op = [](double a, double b) { return a - std::floor(a / b) * b; };
  else if (name == "Maximum")
    op = [](double a, double b) { return std::max(a, b); };
  else if (name == "Minimum")
    op = [](double a, double b) { return std::min(a, b); };
  else if (name == "SquaredDifference")
    op = [](double a, double b) { return (a - b) * (a - b); };
  else {
    boolean_result = true;
    if (name == "Equal")
      op = [](double a, double b) { return a == b ? 1.0 : 0.0; };
    else if (name == "NotEqual")
      op = [](double a, double b) { return a != b ? 1.0 : 0.0; };
    else if (name == "Less")
      op = [](double a, double b) { return a < b ? 1.0 : 0.0; };
    else if (name == "LessEqual")
      op = [](double a, double b) { return a <= b ? 1.0 : 0.0; };
    else if (name == "Greater")
      op = [](double a, double b) { return a > b ? 1.0 : 0.0; };
    else if (name == "GreaterEqual")
      op = [](double a, double b) { return a >= b ? 1.0 : 0.0; };
    else if (name == "LogicalAnd")
      op = [](double a, double b) { return a != 0 && b != 0; };
    else if (name == "LogicalOr")
      op = [](double a, double b) { return a != 0 || b != 0; };
    else
      return std::nullopt;
  }
  const HostTensor& a = *in[0];
  const HostTensor& b = *in[1];
  const std::size_t rank = std::max(a.shape.size(), b.shape.size());
  std::vector<std::int64_t> shape(rank), a_shape(rank, 1), b_shape(rank, 1);
  std::copy(a.shape.begin(), a.shape.end(), a_shape.begin() + (rank - a.shape.size()));
  std::copy(b.shape.begin(), b.shape.end(), b_shape.begin() + (rank - b.shape.size()));
  for (std::size_t i = 0; i < rank; ++i) shape[i] = std::max(a_shape[i], b_shape[i]);
  const auto out_strides = strides_of(shape);
  const auto a_strides = strides_of(a_shape);
  const auto b_strides = strides_of(b_shape);
  std::vector<double> values(static_cast<std::size_t>(count_of(shape)));
  for (std::size_t flat = 0; flat < values.size(); ++flat) {
    std::int64_t rest = static_cast<std::int64_t>(flat), ai = 0, bi = 0;
    for (std::size_t axis = 0; axis < rank; ++axis) {
      const std::int64_t index = rest / out_strides[axis];
      rest %= out_strides[axis];
      if (a_shape[axis] > 1) ai += index * a_strides[axis];
      if (b_shape[axis] > 1) bi += index * b_strides[axis];
    }
    values[flat] = op(a.values[ai], b.values[bi]);
  }
  return Tensors{make(boolean_result ? DataType::kBool : a.dtype, shape, std::move(values))};
}

HostTensor strided_slice(const GraphNode& node, const Operands& in) {
  const HostTensor& x = *in[0];
  const auto begin = in[1]->integers();
  const auto end = in[2]->integers();
  const auto step = in[3]->integers();
  const auto begin_mask = node.integer("begin_mask", 0);
  const auto end_mask = node.integer("end_mask", 0);
  const auto shrink_mask = node.integer("shrink_axis_mask", 0);
  const std::size_t rank = x.shape.size();
  std::vector<std::int64_t> starts(rank, 0), steps(rank, 1), counts = x.shape;
  std::vector<bool> shrink(rank, false);
  for (std::size_t i = 0; i < begin.size() && i < rank; ++i) {
    const std::int64_t n = x.shape[i], s = step[i];
    std::int64_t b = begin[i], e = end[i];
    if (b < 0) b += n;
    if (e < 0) e += n;
    if (s > 0) {
      b = (begin_mask >> i) & 1 ? 0 : std::clamp<std::int64_t>(b, 0, n);
      e = (end_mask >> i) & 1 ? n : std::clamp<std::int64_t>(e, 0, n);
    } else {
      b = (begin_mask >> i) & 1 ? n - 1 : std::clamp<std::int64_t>(b, -1, n - 1);
      e = (end_mask >> i) & 1 ? -1 : std::clamp<std::int64_t>(e, -1, n - 1);
    }
    if ((shrink_mask >> i) & 1) {
      shrink[i] = true;
      e = b + 1;
    }
    starts[i] = b;
    steps[i] = s;
    counts[i] = s > 0 ? std::max<std::int64_t>(0, (e - b + s - 1) / s)
                      : std::max<std::int64_t>(0, (b - e - s - 1) / -s);
  }
  const auto in_strides = strides_of(x.shape);
  const auto out_strides = strides_of(counts);
  std::vector<double> values(static_cast<std::size_t>(count_of(counts)));
  for (std::size_t flat = 0; flat < values.size(); ++flat) {
    std::int64_t rest = static_cast<std::int64_t>(flat), source = 0;
    for (std::size_t axis = 0; axis < rank; ++axis) {
      const std::int64_t index = rest / out_strides[axis];
      rest %= out_strides[axis];
      source += (starts[axis] + index * steps[axis]) * in_strides[axis];
    }
    values[flat] = x.values[source];
  }
  std::vector<std::int64_t> shape;
  for (std::size_t axis = 0; axis < rank; ++axis)
    if (!shrink[axis]) shape.push_back(counts[axis]);
  return make(x.dtype, shape, std::move(values));
}

// Concatenates along `axis` tensors of equal shape elsewhere.
HostTensor concatenate(const Operands& parts, int axis) {
  auto shape = parts[0]->shape;
  shape[axis] = 0;
  for (const auto* part : parts) shape[axis] += part->shape[axis];
  const std::int64_t outer = count_of({shape.begin(), shape.begin() + axis});
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(count_of(shape)));
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const auto* part : parts) {
      const std::int64_t inner = count_of({part->shape.begin() + axis, part->shape.end()});
      values.insert(values.end(), part->values.begin() + o * inner,
                    part->values.begin() + (o + 1) * inner);
    }
  }
  return make(parts[0]->dtype, shape, std::move(values));
}

HostTensor gather(const HostTensor& params, const HostTensor& indices, int axis) {
  std::vector<std::int64_t> shape(params.shape.begin(), params.shape.begin() + axis);
  shape.insert(shape.end(), indices.shape.begin(), indices.shape.end());
  shape.insert(shape.end(), params.shape.begin() + axis + 1, params.shape.end());
  const std::int64_t outer = count_of({params.shape.begin(), params.shape.begin() + axis});
  const std::int64_t inner = count_of({params.shape.begin() + axis + 1, params.shape.end()});
  std::vector<double> values;
  for (std::int64_t o = 0; o < outer; ++o)
    for (const double index : indices.values) {
      const auto start = params.values.begin() +
                         (o * params.shape[axis] + static_cast<std::int64_t>(index)) * inner;
      values.insert(values.end(), start, start + inner);
    }
  return make(params.dtype, shape, std::move(values));
}

HostTensor sparse_to_dense(const Operands& in) {
  const HostTensor& indices = *in[0];
  auto shape = in[1]->integers();
  const HostTensor& values = *in[2];
  HostTensor out =
      make(values.dtype, shape,
           std::vector<double>(static_cast<std::size_t>(count_of(shape)), in[3]->values.at(0)));
  const auto strides = strides_of(shape);
  const std::size_t rank = shape.size();
  const std::size_t count = rank == 0 ? 0 : indices.values.size() / rank;
  for (std::size_t i = 0; i < count; ++i) {
    std::int64_t flat = 0;
    for (std::size_t axis = 0; axis < rank; ++axis)
      flat += static_cast<std::int64_t>(indices.values[i * rank + axis]) * strides[axis];
    out.values[flat] = values.values.size() == 1 ? values.values[0] : values.values[i];
  }
  return out;
}

HostTensor transpose(const HostTensor& x, const std::vector<std::int64_t>& perm) {
  std::vector<std::int64_t> shape(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) shape[i] = x.shape[perm[i]];
  const auto in_strides = strides_of(x.shape);
  const auto out_strides = strides_of(shape);
  std::vector<double> values(x.values.size());
  for (std::size_t flat = 0; flat < values.size(); ++flat) {
    std::int64_t rest = static_cast<std::int64_t>(flat), source = 0;
    for (std::size_t axis = 0; axis < shape.size(); ++axis) {
      source += rest / out_strides[axis] * in_strides[perm[axis]];
      rest %= out_strides[axis];
    }
    values[flat] = x.values[source];
  }
  return make(x.dtype, shape, std::move(values));
}

std::vector<std::int64_t> resolve_reshape(const HostTensor& x, std::vector<std::int64_t> shape) {
  std::int64_t known = 1;
  int unknown = -1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0)
      unknown = static_cast<int>(i);
    else
      known *= shape[i];
  }
  if (unknown >= 0) shape[unknown] = known == 0 ? 0 : x.element_count() / known;
  return shape;
}

}  // namespace

std::optional<std::vector<HostTensor>> fold_constant(const GraphNode& node, const Operands& in) {
  const std::string& op = node.op;
  if (op == "Identity" || op == "StopGradient" || op == "Snapshot") return Tensors{*in.at(0)};
  if (op == "Cast") {
    HostTensor out = *in.at(0);
    out.dtype = node.data_type("DstT");
    if (is_integer_type(out.dtype))
      for (auto& v : out.values) v = std::trunc(v);
    if (out.dtype == DataType::kBool)
      for (auto& v : out.values) v = v != 0 ? 1 : 0;
    return Tensors{out};
  }
  if (op == "Shape") {
    std::vector<double> dims(in.at(0)->shape.begin(), in.at(0)->shape.end());
    return Tensors{make(DataType::kInt32, {static_cast<std::int64_t>(dims.size())}, dims)};
  }
  if (op == "Size")
    return Tensors{make(DataType::kInt32, {}, {static_cast<double>(in.at(0)->element_count())})};
  if (op == "StridedSlice") return Tensors{strided_slice(node, in)};
  if (op == "Pack") {
    const auto axis = normalise_axis(node.integer("axis", 0), in[0]->shape.size() + 1);
    Operands parts;
    std::vector<HostTensor> expanded;
    expanded.reserve(in.size());
    for (const auto* part : in) {
      HostTensor e = *part;
      e.shape.insert(e.shape.begin() + axis, 1);
      expanded.push_back(std::move(e));
    }
    for (const auto& e : expanded) parts.push_back(&e);
    return Tensors{concatenate(parts, axis)};
  }
  if (op == "Unpack") {
    const HostTensor& x = *in.at(0);
    const auto axis = normalise_axis(node.integer("axis", 0), x.shape.size());
    Tensors outs;
    for (std::int64_t k = 0; k < x.shape[axis]; ++k) {
      HostTensor index = make(DataType::kInt32, {}, {static_cast<double>(k)});
      outs.push_back(gather(x, index, axis));
    }
    return outs;
  }
  if (op == "ConcatV2") {
    Operands parts(in.begin(), in.end() - 1);
    return Tensors{
        concatenate(parts, normalise_axis(static_cast<std::int64_t>(in.back()->values.at(0)),
                                          parts[0]->shape.size()))};
  }
  if (op == "Reshape") {
    HostTensor out = *in.at(0);
    out.shape = resolve_reshape(out, in.at(1)->integers());
    return Tensors{out};
  }
  if (op == "Squeeze") {
    HostTensor out = *in.at(0);
    auto axes = node.integers("squeeze_dims");
    std::vector<std::int64_t> shape;
    for (std::size_t i = 0; i < out.shape.size(); ++i) {
      const bool listed =
          std::find(axes.begin(), axes.end(), static_cast<std::int64_t>(i)) != axes.end() ||
          std::find(axes.begin(), axes.end(),
                    static_cast<std::int64_t>(i) - static_cast<std::int64_t>(out.shape.size())) !=
              axes.end();
      if (!(out.shape[i] == 1 && (axes.empty() || listed))) shape.push_back(out.shape[i]);
    }
    out.shape = shape;
    return Tensors{out};
  }
  if (op == "ExpandDims") {
    HostTensor out = *in.at(0);
    const auto axis =
        normalise_axis(static_cast<std::int64_t>(in.at(1)->values.at(0)), out.shape.size() + 1);
    out.shape.insert(out.shape.begin() + axis, 1);
    return Tensors{out};
  }
  if (op == "Fill") {
    const auto shape = in.at(0)->integers();
    return Tensors{make(
        in.at(1)->dtype, shape,
        std::vector<double>(static_cast<std::size_t>(count_of(shape)), in.at(1)->values.at(0)))};
  }
  if (op == "Range") {
    std::vector<double> values;
    const double start = in.at(0)->values.at(0), limit = in.at(1)->values.at(0),
                 delta = in.at(2)->values.at(0);
    for (double v = start; delta > 0 ? v < limit : v > limit; v += delta) values.push_back(v);
    return Tensors{make(in[0]->dtype, {static_cast<std::int64_t>(values.size())}, values)};
  }
  if (op == "SparseToDense") return Tensors{sparse_to_dense(in)};
  if (op == "GatherV2") {
    const auto axis =
        normalise_axis(static_cast<std::int64_t>(in.at(2)->values.at(0)), in[0]->shape.size());
    return Tensors{gather(*in[0], *in[1], axis)};
  }
  if (op == "Transpose") return Tensors{transpose(*in.at(0), in.at(1)->integers())};
  if (op == "Where") {
    const HostTensor& x = *in.at(0);
    const auto strides = strides_of(x.shape);
    std::vector<double> values;
    std::int64_t count = 0;
    for (std::size_t flat = 0; flat < x.values.size(); ++flat) {
      if (x.values[flat] == 0) continue;
      ++count;
      std::int64_t rest = static_cast<std::int64_t>(flat);
      for (const auto stride : strides) {
        values.push_back(static_cast<double>(rest / stride));
        rest %= stride;
      }
    }
    return Tensors{
        make(DataType::kInt64, {count, static_cast<std::int64_t>(x.shape.size())}, values)};
  }
  if (in.size() == 2) return broadcast_binary(node, in);
  return std::nullopt;
}

}  // namespace playsight::vision::tfjs
