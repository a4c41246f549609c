#pragma once
// Layout tracking. TensorFlow.js graphs are NHWC (or NCHW with explicit Transpose nodes); OpenCV's
// DNN engine wants image tensors as NCHW blobs. Rather than inserting a transpose for every
// Transpose node (nanodet has 83), each runtime tensor carries a Layout: the permutation saying
// which TensorFlow axis each axis of the OpenCV blob holds. A Transpose node only changes the
// layout; a real Permute layer is added only where an op needs a particular layout (a
// convolution wants its channel axis at blob axis 1, a Reshape wants TensorFlow's element order).
#include <cstdint>
#include <vector>

#include "vision/tensor.h"

namespace cv {
class Mat;
}

namespace playsight::vision::tfjs {

// layout[j] = the TensorFlow axis held by blob axis j.
using Layout = std::vector<int>;

Layout identity_layout(std::size_t rank);
// An NHWC tensor stored as an NCHW blob: {0, 3, 1, 2}.
Layout channels_first_layout();
// The blob axis that holds TensorFlow axis `tf_axis`.
int blob_axis(const Layout& layout, int tf_axis);
// The blob's shape for a tensor of TensorFlow shape `shape` in `layout`.
std::vector<int> blob_shape(const std::vector<std::int64_t>& shape, const Layout& layout);
// The `order` of a Permute layer that turns a blob in layout `from` into layout `to`.
std::vector<int> permute_order(const Layout& from, const Layout& to);
// The layout of Transpose(x, perm)'s output when x is stored in `layout` (no data moves).
Layout layout_after_transpose(const Layout& layout, const std::vector<std::int64_t>& perm);
// Reads a blob stored in `layout` back into TensorFlow order.
Tensor blob_to_tensor(const cv::Mat& blob, const Layout& layout,
                      const std::vector<std::int64_t>& shape);
// Writes a TensorFlow-order tensor into a blob in `layout` (CV_32F).
cv::Mat tensor_to_blob(const Tensor& tensor, const Layout& layout);

}  // namespace playsight::vision::tfjs
