#pragma once
// HostTensor: a constant of the graph (a weight, or a value folded at import time), any dtype,
// its values held as double. double is exact for every float32 and int32 value and for the
// int64 values these graphs hold (shapes, indices), which keeps constant folding to one code path.
#include <cstdint>
#include <vector>

#include "vision/tfjs/model_file.h"

namespace playsight::vision::tfjs {

struct HostTensor {
  DataType dtype = DataType::kFloat32;
  std::vector<std::int64_t> shape;
  std::vector<double> values;
  // Computed from a runtime tensor's shape (Shape, Size): follows the input size. A constant that
  // is not, but holds a size (a resize target), was baked in for the graph's own input size.
  bool follows_input_size = false;

  std::int64_t element_count() const {
    std::int64_t count = 1;
    for (const std::int64_t dim : shape) count *= dim;
    return count;
  }
  // The values as integers (shapes, axes, paddings).
  std::vector<std::int64_t> integers() const {
    return std::vector<std::int64_t>(values.begin(), values.end());
  }
  std::vector<float> floats() const { return std::vector<float>(values.begin(), values.end()); }
};

}  // namespace playsight::vision::tfjs
