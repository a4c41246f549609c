#include "vision/tfjs/layout.h"

#include <opencv2/core.hpp>

#include "core/error.h"

namespace playsight::vision::tfjs {
namespace {

// For each TensorFlow axis, the element stride of the blob axis that holds it.
std::vector<std::size_t> strides_by_tf_axis(const std::vector<int>& blob_dims,
                                            const Layout& layout) {
  std::vector<std::size_t> blob_strides(blob_dims.size(), 1);
  for (int j = static_cast<int>(blob_dims.size()) - 2; j >= 0; --j)
    blob_strides[j] = blob_strides[j + 1] * static_cast<std::size_t>(blob_dims[j + 1]);
  std::vector<std::size_t> strides(layout.size());
  for (std::size_t j = 0; j < layout.size(); ++j) strides[layout[j]] = blob_strides[j];
  return strides;
}

// Calls visit(tf_flat_index, blob_flat_index) for every element, in TensorFlow order.
template <class Visit>
void for_each_element(const std::vector<std::int64_t>& shape, const Layout& layout, Visit&& visit) {
  const auto dims = blob_shape(shape, layout);
  const auto strides = strides_by_tf_axis(dims, layout);
  std::int64_t count = 1;
  for (const auto dim : shape) count *= dim;
  std::vector<std::int64_t> index(shape.size(), 0);
  std::size_t blob_index = 0;
  for (std::int64_t flat = 0; flat < count; ++flat) {
    visit(static_cast<std::size_t>(flat), blob_index);
    for (int axis = static_cast<int>(shape.size()) - 1; axis >= 0; --axis) {
      if (++index[axis] < shape[axis]) {
        blob_index += strides[axis];
        break;
      }
      blob_index -= strides[axis] * static_cast<std::size_t>(shape[axis] - 1);
      index[axis] = 0;
    }
  }
}

}  // namespace

Layout identity_layout(std::size_t rank) {
  Layout layout(rank);
  for (std::size_t i = 0; i < rank; ++i) layout[i] = static_cast<int>(i);
  return layout;
}

Layout channels_first_layout() {
  return {0, 3, 1, 2};
}

int blob_axis(const Layout& layout, int tf_axis) {
  for (std::size_t j = 0; j < layout.size(); ++j)
    if (layout[j] == tf_axis) return static_cast<int>(j);
  throw Error("layout has no axis " + std::to_string(tf_axis));
}

std::vector<int> blob_shape(const std::vector<std::int64_t>& shape, const Layout& layout) {
  std::vector<int> dims(layout.size());
  for (std::size_t j = 0; j < layout.size(); ++j) dims[j] = static_cast<int>(shape[layout[j]]);
  return dims;
}

std::vector<int> permute_order(const Layout& from, const Layout& to) {
  std::vector<int> order(to.size());
  for (std::size_t i = 0; i < to.size(); ++i) order[i] = blob_axis(from, to[i]);
  return order;
}

Layout layout_after_transpose(const Layout& layout, const std::vector<std::int64_t>& perm) {
  std::vector<int> inverse(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) inverse[perm[i]] = static_cast<int>(i);
  Layout result(layout.size());
  for (std::size_t j = 0; j < layout.size(); ++j) result[j] = inverse[layout[j]];
  return result;
}

Tensor blob_to_tensor(const cv::Mat& blob, const Layout& layout,
                      const std::vector<std::int64_t>& shape) {
  Tensor tensor;
  tensor.shape = shape;
  tensor.values.resize(static_cast<std::size_t>(tensor.element_count()));
  if (blob.total() != tensor.values.size()) {
    throw Error("output blob holds " + std::to_string(blob.total()) + " values, expected " +
                shape_text(shape));
  }
  const cv::Mat dense = blob.isContinuous() ? blob : blob.clone();
  const auto* data = dense.ptr<float>();
  for_each_element(shape, layout, [&](std::size_t tf_index, std::size_t blob_index) {
    tensor.values[tf_index] = data[blob_index];
  });
  return tensor;
}

cv::Mat tensor_to_blob(const Tensor& tensor, const Layout& layout) {
  const auto dims = blob_shape(tensor.shape, layout);
  cv::Mat blob(static_cast<int>(dims.size()), dims.data(), CV_32F);
  auto* data = blob.ptr<float>();
  for_each_element(tensor.shape, layout, [&](std::size_t tf_index, std::size_t blob_index) {
    data[blob_index] = tensor.values[tf_index];
  });
  return blob;
}

}  // namespace playsight::vision::tfjs
