#pragma once
// Network: a pretrained TensorFlow.js graph model imported into OpenCV's DNN engine and ready to
// run on the CPU. Import reads model.json and its weight shards, folds the shape arithmetic for a
// fixed input size, and translates each op into cv::dnn layers (see vision/tfjs/). Outputs are
// returned as Tensors in TensorFlow's axis order, so they compare one to one with what
// TensorFlow.js computes for the same graph.
//
// Import throws InputError naming the file for a missing, corrupt or truncated model.json or
// weights shard, and naming the op and node for an op the importer does not support.
// A Network is movable, not copyable, and not thread-safe: run() from one thread at a time (give
// each thread its own Network). OpenCV's own worker threads are set with cv::setNumThreads by the
// caller.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vision/tensor.h"

namespace cv {
class Mat;
}

namespace playsight::vision {

struct ImportOptions {
  // Tensors to return, "node" or "node:1"; empty = every node that nothing else consumes.
  // Cutting a graph at its heads is how in-graph post-processing (TopK, NMS) is left out.
  std::vector<std::string> outputs;
  // The input shape to build for, in the graph's order (NHWC for most); empty = the
  // placeholder's own, with unknown dimensions (-1) set to 1.
  std::vector<std::int64_t> input_shape;
};

class Network {
 public:
  static Network import_tfjs(const std::string& model_json, const ImportOptions& options = {});

  Network(Network&&) noexcept;
  Network& operator=(Network&&) noexcept;
  ~Network();

  // REQUIRES: input.shape == input_shape(). Returns one Tensor per output, in options order.
  std::vector<Tensor> run(const Tensor& input);
  // Runs on an image blob in OpenCV's NCHW order (cv::dnn::blobFromImage), whichever order the
  // graph itself uses. REQUIRES: the blob matches the input's height, width and channels.
  std::vector<Tensor> run_image_blob(const cv::Mat& blob);

  const std::string& source() const;
  const std::vector<std::int64_t>& input_shape() const;
  const std::vector<std::string>& output_names() const;
  std::size_t layer_count() const;

 private:
  struct Impl;
  explicit Network(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace playsight::vision
