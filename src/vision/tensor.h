#pragma once
// Tensor: a dense float tensor on the host, in TensorFlow's axis order (row-major, last axis
// fastest). It is what an imported network returns for each output and what the parity tests
// compare against the TensorFlow.js reference. A value type; no sharing, no views.
#include <cstdint>
#include <string>
#include <vector>

namespace playsight::vision {

struct Tensor {
  std::vector<std::int64_t> shape;
  std::vector<float> values;  // size() == product of shape

  std::int64_t element_count() const {
    std::int64_t count = 1;
    for (const std::int64_t dim : shape) count *= dim;
    return count;
  }
};

// "[1,128,128,80]", for messages.
std::string shape_text(const std::vector<std::int64_t>& shape);

}  // namespace playsight::vision
